package org.lstm4j.train;

import java.util.Objects;
import java.util.function.Function;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.data.Batch;
import org.lstm4j.data.DataLoader;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.nn.Module;
import org.lstm4j.nn.Reduction;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

/**
 * Evaluates a classifier over a loader: mean cross-entropy, top-1 accuracy and the confusion matrix, with
 * the model in eval mode (no dropout) and no autograd graph, as {@code model.eval()} under
 * {@code torch.no_grad()}. The model's previous mode is restored afterwards.
 */
public final class ClassificationEvaluator implements Evaluator {
    private final Module model;
    private final Function<Tensor, Tensor> forward;
    private final DataLoader<IndexTensor> loader;
    private final int numClasses;
    private final CrossEntropyLoss loss = new CrossEntropyLoss(Reduction.SUM);

    /**
     * @param forward    the model's forward pass, inputs to logits (B, numClasses)
     * @param loader     the held-out data, usually without shuffling
     * @param numClasses the number of classes (the logits' width)
     */
    public ClassificationEvaluator(Module model, Function<Tensor, Tensor> forward, DataLoader<IndexTensor> loader,
            int numClasses) {
        this.model = Objects.requireNonNull(model, "model");
        this.forward = Objects.requireNonNull(forward, "forward");
        this.loader = Objects.requireNonNull(loader, "loader");
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
        }
        this.numClasses = numClasses;
    }

    @Override
    public Evaluation evaluate() {
        long start = System.nanoTime();
        boolean wasTraining = model.isTraining();
        model.eval();
        ConfusionMatrix confusion = new ConfusionMatrix(numClasses);
        double lossSum = 0;
        try (GradMode.Guard noGrad = GradMode.noGrad()) {
            for (Batch<IndexTensor> batch : loader) {
                Tensor logits = forward.apply(batch.inputs());
                if (logits.dim() != 2 || logits.size(1) != numClasses) {
                    throw new IllegalArgumentException("the model's output should be logits (batch, " + numClasses
                            + "), got shape " + java.util.Arrays.toString(logits.shape()));
                }
                lossSum += loss.forward(logits, batch.targets()).item();
                confusion.add(logits, batch.targets());
            }
        } finally {
            model.train(wasTraining);
        }
        long examples = confusion.total();
        return new Evaluation(lossSum / examples, confusion.accuracy(), examples, (System.nanoTime() - start) / 1e9,
                confusion);
    }
}

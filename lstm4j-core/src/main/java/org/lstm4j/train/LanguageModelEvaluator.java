package org.lstm4j.train;

import java.util.Objects;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.data.Batch;
import org.lstm4j.data.ParallelStreams;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.nn.Module;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.nn.Reduction;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

/**
 * Evaluates a next-token model over the whole of a held-out text: every window of every stream, in order,
 * the state carried from window to window as in training (from zeros at the start), in eval mode without
 * autograd. The loss is the mean cross-entropy per predicted token in nats (divide by ln 2 for bits per
 * character); the accuracy is how often the most likely token was the next one.
 */
public final class LanguageModelEvaluator implements Evaluator {
    private final Module model;
    private final TruncatedBptt.StatefulForward forward;
    private final ParallelStreams data;
    private final CrossEntropyLoss loss = new CrossEntropyLoss(Reduction.SUM);

    /**
     * @param forward the model's forward from a state, inputs (B, T) to logits (B·T, V) and the final state
     * @param data    the held-out text cut into streams and windows
     */
    public LanguageModelEvaluator(Module model, TruncatedBptt.StatefulForward forward, ParallelStreams data) {
        this.model = Objects.requireNonNull(model, "model");
        this.forward = Objects.requireNonNull(forward, "forward");
        this.data = Objects.requireNonNull(data, "data");
    }

    @Override
    public Evaluation evaluate() {
        long start = System.nanoTime();
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long tokens = 0;
        long correct = 0;
        int streams = data.streams();
        int[] order = new int[streams];
        try (GradMode.Guard noGrad = GradMode.noGrad()) {
            RecurrentState state = null;
            for (int w = 0; w < data.windows(); w++) {
                for (int s = 0; s < streams; s++) {
                    order[s] = w * streams + s;
                }
                Batch<IndexTensor> batch = data.gather(order, 0, streams);
                RecurrentOutput out = forward.forward(batch.inputs(), state);
                state = out.state();
                Tensor logits = out.output();
                int[] targets = batch.targets().data();
                if (logits.dim() != 2 || logits.size(0) != targets.length) {
                    throw new IllegalArgumentException("the model's output should be logits (" + targets.length
                            + ", vocabulary), got shape " + java.util.Arrays.toString(logits.shape()));
                }
                lossSum += loss.forward(logits, batch.targets()).item();
                correct += countArgmaxHits(logits, targets);
                tokens += targets.length;
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(lossSum / tokens, (double) correct / tokens, tokens, (System.nanoTime() - start) / 1e9, null);
    }

    private static long countArgmaxHits(Tensor logits, int[] targets) {
        float[] l = logits.data();
        int width = logits.size(1);
        long hits = 0;
        for (int r = 0; r < targets.length; r++) {
            int base = r * width;
            int best = 0;
            for (int v = 1; v < width; v++) {
                if (l[base + v] > l[base + best]) {
                    best = v;
                }
            }
            if (best == targets[r]) {
                hits++;
            }
        }
        return hits;
    }
}

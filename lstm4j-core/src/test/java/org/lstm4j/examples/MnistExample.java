package org.lstm4j.examples;

import java.nio.file.Path;
import java.util.List;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.ImageClassificationDataset;
import org.lstm4j.models.RecurrentClassifier;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.ClassificationEvaluator;
import org.lstm4j.train.EpochResult;
import org.lstm4j.train.Evaluation;
import org.lstm4j.train.Trainer;
import org.lstm4j.train.TrainingListener;

/** MNIST read row by row (28 steps of 28 pixels) by an LSTM, with the library's data and training API. */
public class MnistExample {

    public static Evaluation train(Path mnistDir, Path checkpoints, int epochs, long maxSteps) throws Exception {
        ImageClassificationDataset train = ImageClassificationDataset.loadIdx(mnistDir, "train");
        ImageClassificationDataset test = ImageClassificationDataset.loadIdx(mnistDir, "t10k");
        DataLoader<IndexTensor> trainLoader = DataLoader.builder(train).batchSize(100).shuffle(true)
                .generator(new Generator(1)).build();           // the loader owns its shuffling generator
        DataLoader<IndexTensor> testLoader = DataLoader.builder(test).batchSize(1000).build();

        Generator modelGenerator = new Generator(0);            // initial weights and dropout masks
        RecurrentClassifier.Config config = new RecurrentClassifier.Config("lstm", 28, 64, 1, false, 0.0, 10, "pytorch");
        RecurrentClassifier model = new RecurrentClassifier(config, modelGenerator);
        Adam adam = new Adam(model.parameters(), 2e-3);
        ClassificationEvaluator evaluator = new ClassificationEvaluator(model, model::forward, testLoader, 10);

        Trainer<IndexTensor> trainer = Trainer.builder(model, model::forward, new CrossEntropyLoss(), adam)
                .evaluator(evaluator)
                .maxSteps(maxSteps)
                .generator("model", modelGenerator)             // saved in checkpoints, for an exact resume
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(Trainer<?> t, EpochResult epoch) {
                        System.out.printf("epoch %d: train loss %.4f, test accuracy %.2f%%%n", epoch.epoch(),
                                epoch.trainLoss(), 100 * epoch.validation().accuracy());
                    }
                })
                .build();
        List<EpochResult> history = trainer.fit(trainLoader, epochs);
        trainer.saveCheckpoint(checkpoints, Checkpoint.toJson(config), null, true);
        // Resume later with trainer.restore(Checkpoint.load(checkpoints), trainLoader), then fit again.
        return history.isEmpty() || history.get(history.size() - 1).step() != trainer.step()
                ? evaluator.evaluate() : history.get(history.size() - 1).validation();
    }

    public static void main(String[] args) throws Exception {
        Evaluation e = train(Path.of(args[0]), Path.of("mnist-checkpoint"), 2, Long.MAX_VALUE);
        System.out.printf("test accuracy %.2f%%%n", 100 * e.accuracy());
    }
}

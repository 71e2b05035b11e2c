package org.lstm4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.TensorDataset;
import org.lstm4j.models.RecurrentClassifier;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.train.Trainer;

/**
 * A small classification problem and model shared by the tests: the same examples, model, seeds and batches
 * for single-process training ({@link Trainer} and {@link DataLoader}) and for {@link SparkTrainer}.
 */
final class TrainingFixture {
    private TrainingFixture() {}

    static final int EXAMPLES = 200;
    static final int STEPS = 6;
    static final int FEATURES = 5;
    static final int CLASSES = 3;
    /** 200 / 32: six full batches and a partial one of 8 per epoch, so runs cross the partial batch. */
    static final int BATCH = 32;
    static final long MODEL_SEED = 7;
    static final long SHUFFLE_SEED = 11;
    static final double LR = 0.01;

    static final RecurrentClassifier.Config CONFIG =
            new RecurrentClassifier.Config("lstm", FEATURES, 12, 2, false, 0.0, CLASSES, "pytorch");

    static RecurrentClassifier newModel() {
        return new RecurrentClassifier(CONFIG, new Generator(MODEL_SEED));
    }

    /** Random sequences whose class is decided by the sum of their first feature (so the loss can fall). */
    static List<LabeledSequence> examples() {
        Generator g = new Generator(3);
        List<LabeledSequence> out = new ArrayList<>();
        for (int i = 0; i < EXAMPLES; i++) {
            float[] values = new float[STEPS * FEATURES];
            float sum = 0;
            for (int j = 0; j < values.length; j++) {
                values[j] = g.uniform(-1, 1);
                if (j % FEATURES == 0) {
                    sum += values[j];
                }
            }
            int label = sum < -0.7f ? 0 : sum < 0.7f ? 1 : 2;
            out.add(new LabeledSequence(values, STEPS, FEATURES, label));
        }
        return out;
    }

    /** The model after {@code steps} steps of single-process training on the same batches. */
    static RecurrentClassifier trainSingleProcess(int steps) {
        List<LabeledSequence> examples = examples();
        float[] inputs = new float[EXAMPLES * STEPS * FEATURES];
        int[] labels = new int[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) {
            System.arraycopy(examples.get(i).values(), 0, inputs, i * STEPS * FEATURES, STEPS * FEATURES);
            labels[i] = examples.get(i).label();
        }
        TensorDataset<IndexTensor> dataset =
                TensorDataset.ofClasses(Tensor.of(inputs, EXAMPLES, STEPS, FEATURES), IndexTensor.of(labels));
        DataLoader<IndexTensor> loader = DataLoader.builder(dataset).batchSize(BATCH).shuffle(true)
                .generator(new Generator(SHUFFLE_SEED)).build();
        RecurrentClassifier model = newModel();
        Trainer<IndexTensor> trainer = Trainer.builder(model, model::forward, new CrossEntropyLoss(),
                new Adam(model.parameters(), LR)).maxSteps(steps).build();
        trainer.fit(loader, 100);
        return model;
    }

    /** The largest absolute difference between two models' parameters. */
    static double maxDifference(RecurrentClassifier a, RecurrentClassifier b) {
        List<Tensor> pa = a.parameters();
        List<Tensor> pb = b.parameters();
        double max = 0;
        for (int i = 0; i < pa.size(); i++) {
            float[] x = pa.get(i).data();
            float[] y = pb.get(i).data();
            for (int j = 0; j < x.length; j++) {
                max = Math.max(max, Math.abs((double) x[j] - y[j]));
            }
        }
        return max;
    }

    /** The parameters' values, concatenated, for exact comparison. */
    static float[] flat(RecurrentClassifier model) {
        return ParameterVector.flatten(model.parameters());
    }
}

package org.lstm4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.data.Batch;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.ImageClassificationDataset;
import org.lstm4j.data.TensorDataset;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.nn.Linear;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Datasets;
import org.lstm4j.train.Accuracy;
import org.lstm4j.train.EpochResult;
import org.lstm4j.train.Trainer;

class RecurrentClassifierTest {

    /** The first n images of a split as an in-memory dataset. */
    private static TensorDataset<IndexTensor> firstImages(ImageClassificationDataset split, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Batch<IndexTensor> b = split.gather(idx, 0, n);
        return TensorDataset.ofClasses(b.inputs(), b.targets());
    }

    @Test
    void aFewHundredMnistImagesAreLearnedWellAboveChance() throws Exception {
        java.nio.file.Path dir = Datasets.require("mnist");
        TensorDataset<IndexTensor> train = firstImages(ImageClassificationDataset.loadIdx(dir, "train"), 400);
        TensorDataset<IndexTensor> test = firstImages(ImageClassificationDataset.loadIdx(dir, "t10k"), 300);
        Generator g = new Generator(0);
        RecurrentClassifier model = new RecurrentClassifier(
                new RecurrentClassifier.Config("lstm", 28, 48, 1, false, 0, 10, "pytorch"), g);
        Trainer<IndexTensor> trainer = Trainer.builder(model, model::forward, new CrossEntropyLoss(),
                new Adam(model.parameters(), 5e-3)).build();
        List<EpochResult> history = trainer.fit(
                DataLoader.builder(train).batchSize(20).shuffle(true).generator(new Generator(1)).build(), 8);
        assertTrue(history.get(7).trainLoss() < 0.6 * history.get(0).trainLoss(),
                "loss fell from " + history.get(0).trainLoss() + " to " + history.get(7).trainLoss());
        model.eval();
        double accuracy = Accuracy.top1(model.forward(test.inputs()), test.targets());
        assertTrue(accuracy > 0.45, "test accuracy " + accuracy + " after 400 images x 8 epochs (chance: 0.1)");
    }

    @Test
    void theBidirectionalHeadReadsBothDirectionsFinalStates() {
        Generator g = new Generator(3);
        RecurrentClassifier model = new RecurrentClassifier(
                new RecurrentClassifier.Config("gru", 4, 5, 2, true, 0, 3, "pytorch"), g);
        Tensor x = Tensor.randn(new Generator(4), 2, 6, 4);
        Tensor out = model.rnn().forward(x).output(); // (B, T, 2H)
        Tensor forwardLast = out.select(1, -1).narrow(1, 0, 5);
        Tensor backwardFirst = out.select(1, 0).narrow(1, 5, 5);
        Tensor expected = model.fc().forward(Tensor.cat(List.of(forwardLast, backwardFirst), 1));
        assertArrayEquals(expected.data(), model.forward(x).data(), 1e-6f);
        assertEquals(List.of("rnn.weight_ih_l0", "rnn.weight_hh_l0"),
                List.copyOf(model.stateDict().keySet()).subList(0, 2));
        assertTrue(model.stateDict().containsKey("fc.bias"));
        assertEquals(5 * 2, ((Linear) model.fc()).weight().size(1));
    }

    @Test
    void kerasInitAndBadConfigurations() {
        RecurrentClassifier keras = new RecurrentClassifier(
                new RecurrentClassifier.Config("lstm", 28, 16, 1, false, 0, 10, "keras"), new Generator(0));
        float[] biasIh = keras.rnn().namedParameters().get("bias_ih_l0").data();
        assertEquals(1f, biasIh[16]);  // forget gate block [H, 2H)
        assertEquals(0f, biasIh[0]);
        assertEquals(0f, keras.fc().bias().data()[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecurrentClassifier.Config("transformer", 28, 16, 1, false, 0, 10, "pytorch"));
        assertTrue(e.getMessage().contains("[lstm, gru, rnn]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RecurrentClassifier(
                new RecurrentClassifier.Config("lstm", 28, 0, 1, false, 0, 10, "pytorch"), new Generator(0)));
        assertTrue(e.getMessage().contains("hidden_size"), e.getMessage());
        RecurrentClassifier model = new RecurrentClassifier(
                new RecurrentClassifier.Config("rnn", 28, 8, 1, false, 0, 10, "pytorch"), new Generator(0));
        e = assertThrows(IllegalArgumentException.class, () -> model.forward(Tensor.zeros(28, 28)));
        assertTrue(e.getMessage().contains("(batch, steps, 28)"), e.getMessage());
    }
}

package org.lstm4j.cli.plot;

import java.util.ArrayList;
import java.util.List;

/** Realistic inputs for the classification plots: Fashion-MNIST's 10 classes, 3 models over 5 epochs. */
final class FashionMnistSamples {
    static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** A test set of 1000 images per class, as an LSTM around 88% accuracy confuses them. */
    static long[][] confusion() {
        return new long[][] {
            {852, 2, 16, 28, 4, 1, 88, 0, 9, 0},
            {3, 968, 2, 19, 4, 0, 3, 0, 1, 0},
            {18, 1, 812, 11, 89, 0, 66, 0, 3, 0},
            {27, 9, 12, 893, 31, 0, 24, 0, 4, 0},
            {1, 1, 96, 36, 804, 0, 60, 0, 2, 0},
            {0, 0, 0, 1, 0, 956, 0, 29, 2, 12},
            {148, 2, 92, 31, 81, 0, 635, 0, 11, 0},
            {0, 0, 0, 0, 0, 17, 0, 955, 0, 28},
            {4, 1, 5, 5, 3, 3, 8, 4, 966, 1},
            {0, 0, 0, 0, 0, 7, 1, 39, 0, 953},
        };
    }

    /** lstm, bilstm and gru over 5 epochs; the bidirectional model costs twice the time per epoch. */
    static List<CurveSeries> threeModels() {
        return List.of(
                series("lstm", 41.5, new double[] {0.812, 0.468, 0.409, 0.376, 0.352},
                        new double[] {0.8214, 0.8477, 0.8602, 0.8689, 0.8731}),
                series("bilstm", 83.0, new double[] {0.735, 0.431, 0.377, 0.344, 0.321},
                        new double[] {0.8339, 0.8581, 0.8703, 0.8768, 0.8822}),
                series("gru", 34.2, new double[] {0.779, 0.452, 0.398, 0.367, 0.347},
                        new double[] {0.8262, 0.8519, 0.8627, 0.8701, 0.8745}));
    }

    /** One model over {@code epochs} epochs, the loss falling over more than two decades. */
    static CurveSeries longRun(String label, int epochs, double secondsPerEpoch, double scale) {
        List<EpochPoint> points = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double loss = scale * 2.3 * Math.exp(-0.18 * e) + 0.004;
            double accuracy = 0.97 - 0.6 * Math.exp(-0.25 * e);
            points.add(new EpochPoint(e, loss, accuracy, e * secondsPerEpoch));
        }
        return new CurveSeries(label, points);
    }

    /**
     * A 100-epoch run evaluated before training (epoch 0: accuracy 10%, no training loss yet) and then only
     * every 5 epochs: NaN where not measured.
     */
    static CurveSeries sparselyEvaluated(String label, double secondsPerEpoch) {
        List<EpochPoint> points = new ArrayList<>();
        points.add(new EpochPoint(0, Double.NaN, 0.1, 0));
        for (int e = 1; e <= 100; e++) {
            double loss = 2.3 * Math.exp(-0.05 * e) + 0.02 + 0.01 * Math.sin(e);
            double accuracy = e % 5 == 0 ? 0.9 - 0.7 * Math.exp(-0.06 * e) : Double.NaN;
            points.add(new EpochPoint(e, loss, accuracy, e * secondsPerEpoch));
        }
        return new CurveSeries(label, points);
    }

    static CurveSeries series(String label, double secondsPerEpoch, double[] losses, double[] accuracies) {
        List<EpochPoint> points = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            points.add(new EpochPoint(i + 1, losses[i], accuracies[i], (i + 1) * secondsPerEpoch));
        }
        return new CurveSeries(label, points);
    }

    private FashionMnistSamples() {}
}

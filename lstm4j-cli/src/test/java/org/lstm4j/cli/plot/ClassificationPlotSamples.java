package org.lstm4j.cli.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.lstm4j.cli.plot.ClassificationPlots.XAxis;

/**
 * Writes sample figures for a person to look at (not a test: it asserts nothing). From lstm4j-cli after
 * {@code mvn test-compile}: {@code java -Djava.awt.headless=true -cp
 * target/classes:target/test-classes:../lstm4j-core/target/classes:XCHART_JAR:JACKSON_JARS
 * org.lstm4j.cli.plot.ClassificationPlotSamples /tmp/plots-samples} (the jars from ~/.m2), or from an IDE.
 */
final class ClassificationPlotSamples {
    private ClassificationPlotSamples() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ClassificationPlotSamples OUTPUT_DIR");
        }
        Path dir = Path.of(args[0]);
        List<CurveSeries> three = FashionMnistSamples.threeModels();
        ClassificationPlots.writeCurves(List.of(three.get(0)), "classify: lstm on Fashion-MNIST",
                dir.resolve("classify-curves.png"));
        ClassificationPlots.writeCurves(three, "compare: lstm vs bilstm vs gru on Fashion-MNIST",
                dir.resolve("compare-curves.png"), XAxis.EPOCH, XAxis.WALL_TIME);
        ClassificationPlots.writeCurves(
                List.of(FashionMnistSamples.longRun("lstm", 30, 41.5, 1), FashionMnistSamples.longRun("gru", 30, 34.2, 1.3)),
                "30 epochs (log loss axis)", dir.resolve("long-curves.png"), XAxis.EPOCH, XAxis.WALL_TIME);
        ClassificationPlots.writeCurves(List.of(FashionMnistSamples.sparselyEvaluated("gru", 3)),
                "100 epochs, test accuracy every 5", dir.resolve("sparse-curves.png"), XAxis.EPOCH, XAxis.WALL_TIME);
        ClassificationPlots.writeCurves(List.of(FashionMnistSamples.series("lstm", 2.5,
                        new double[] {0.8, 0.21, 0.11, 0.072, 0.061}, new double[] {0.71, 0.84, 0.88, 0.9, 0.905})),
                "loss over a little more than a decade", dir.resolve("one-decade-curves.png"));
        ClassificationPlots.writeConfusion(FashionMnistSamples.confusion(), FashionMnistSamples.CLASSES,
                "classify: lstm on Fashion-MNIST, test set", dir.resolve("confusion.png"));
        ClassificationPlots.writeCurves(List.of(three.get(0), new CurveSeries("gru", List.of(
                        new EpochPoint(1, 0.7, Double.NaN, 30), new EpochPoint(2, 0.45, Double.NaN, 60)))),
                "a model never evaluated", dir.resolve("no-data-curves.png"));
        List<CurveSeries> many = new java.util.ArrayList<>();
        String[] labels = {"lstm-h64", "lstm-h128", "lstm-h256", "bilstm-h128", "gru-h64", "gru-h128", "rnn-h128"};
        for (int i = 0; i < labels.length; i++) {
            many.add(FashionMnistSamples.longRun(labels[i], 12, 20 + 7 * i, 1 + 0.1 * i));
        }
        ClassificationPlots.writeCurves(many, "seven models", dir.resolve("many-curves.png"));
        List<String> longNames = new java.util.ArrayList<>(FashionMnistSamples.CLASSES);
        longNames.set(9, "Ankle boot with a much longer name than usual");
        long[][] big = FashionMnistSamples.confusion();
        big[0][0] = 123_456;
        ClassificationPlots.writeConfusion(big, longNames, "a long class name, a large count", dir.resolve("confusion-long.png"));
        ClassificationPlots.writeConfusion(new long[][] {{50, 3, 0}, {7, 41, 2}, {0, 0, 0}}, List.of("cat", "dog", "bird"),
                "three classes, one never seen", dir.resolve("confusion-small.png"));
    }
}

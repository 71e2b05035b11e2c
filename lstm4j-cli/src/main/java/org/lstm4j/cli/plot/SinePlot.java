package org.lstm4j.cli.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.lstm4j.cli.sine.SineResult;
import org.lstm4j.io.AtomicFiles;

/**
 * The sine task's figure: target vs prediction on the last window (left) and the training loss per step
 * on a log scale (right). XChart has no subplots, so two charts are rendered and placed side by side in
 * one image.
 */
public final class SinePlot {
    /** Size of each of the two panels, in pixels. */
    public static final int PANEL_WIDTH = 640;
    public static final int PANEL_HEIGHT = 420;

    private SinePlot() {}

    /** Renders the figure (headless: needs no display). */
    public static BufferedImage render(SineResult result, String subtitle) {
        BufferedImage left = BitmapEncoder.getBufferedImage(predictionChart(result, subtitle));
        BufferedImage right = BitmapEncoder.getBufferedImage(lossChart(result));
        BufferedImage image = new BufferedImage(
                left.getWidth() + right.getWidth(), Math.max(left.getHeight(), right.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(left, 0, 0, null);
            g.drawImage(right, left.getWidth(), 0, null);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Renders the figure and writes it as a PNG, atomically. */
    public static void writePng(SineResult result, String subtitle, Path target) throws IOException {
        BufferedImage image = render(result, subtitle);
        Path parent = target.toAbsolutePath().getParent();
        java.nio.file.Files.createDirectories(parent);
        AtomicFiles.write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    static XYChart predictionChart(SineResult result, String subtitle) {
        XYChart chart = new XYChartBuilder()
                .width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title("Last window: cos(t) vs prediction" + (subtitle.isEmpty() ? "" : " (" + subtitle + ")"))
                .xAxisTitle("t").yAxisTitle("value")
                .build();
        style(chart);
        chart.getStyler().setXAxisDecimalPattern("0.00");
        // cos stays in [-1, 1]; a fixed range keeps a poor fit from being rescaled into a good-looking one.
        chart.getStyler().setYAxisMin(-1.2);
        chart.getStyler().setYAxisMax(1.2);
        XYSeries target = chart.addSeries("target cos(t)", toDouble(result.t()), toDouble(result.target()));
        target.setMarker(SeriesMarkers.NONE);
        XYSeries prediction = chart.addSeries("prediction", toDouble(result.t()), toDouble(result.prediction()));
        prediction.setMarker(SeriesMarkers.CIRCLE);
        return chart;
    }

    static XYChart lossChart(SineResult result) {
        XYChart chart = new XYChartBuilder()
                .width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title("Training loss (MSE per step)")
                .xAxisTitle("step").yAxisTitle("loss (log scale)")
                .build();
        style(chart);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setXAxisMin(0.0);
        float[] losses = result.losses();
        double[] steps = new double[losses.length];
        double[] values = new double[losses.length];
        double logSum = 0;
        for (int i = 0; i < losses.length; i++) {
            steps[i] = i + 1;
            // A log axis rejects zero: a loss of exactly 0 is drawn at the smallest normal float.
            values[i] = Math.max(losses[i], Float.MIN_NORMAL);
            logSum += Math.log(values[i]);
        }
        // Decade labels only (1, 0.1, 0.01) read best, but a short run may not span a decade: label
        // the intermediate ticks then, or the axis would have no labels at all.
        double max = Arrays.stream(values).max().orElse(1);
        double min = Arrays.stream(values).min().orElse(1);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(max / min >= 10);
        XYSeries series = chart.addSeries("training loss", steps, values);
        series.setMarker(losses.length <= 50 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        if (losses.length > 20) {
            // XChart puts a tick on every k-th data point when x values are equally spaced, which gives
            // crowded labels at odd steps (1, 18, 35, ...). One invisible point off the grid makes it fall
            // back to round tick values (0, 50, 100, ...).
            XYSeries anchor = chart.addSeries("anchor", new double[] {0.5}, new double[] {Math.exp(logSum / losses.length)});
            anchor.setMarker(SeriesMarkers.NONE);
            anchor.setLineColor(new Color(0, 0, 0, 0));
            anchor.setShowInLegend(false);
        }
        return chart;
    }

    private static void style(XYChart chart) {
        Styler styler = chart.getStyler();
        // Below the plot: inside, it would hide the curves wherever they happen to run.
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setAntiAlias(true);
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}

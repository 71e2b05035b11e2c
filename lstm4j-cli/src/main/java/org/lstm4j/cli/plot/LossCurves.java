package org.lstm4j.cli.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Loss curves of step-wise training (a language model's): one panel against optimisation steps, one against
 * wall time, each curve a labelled series of (step, seconds, loss) points, e.g. training and validation loss.
 */
public final class LossCurves {
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
    };

    /**
     * One labelled curve.
     *
     * @param label   legend label
     * @param steps   x of the steps panel
     * @param seconds x of the wall-time panel (seconds since the start)
     * @param loss    y; NaN points are left out
     */
    public record Curve(String label, double[] steps, double[] seconds, double[] loss) {
        public Curve {
            Objects.requireNonNull(label, "label");
            if (steps.length != seconds.length || steps.length != loss.length) {
                throw new IllegalArgumentException("curve '" + label + "': " + steps.length + " steps, " + seconds.length
                        + " times and " + loss.length + " losses: they must be as many");
            }
        }
    }

    private LossCurves() {}

    /** Writes the two panels side by side as a PNG (temp file + rename). */
    public static void write(List<Curve> curves, String title, Path png) throws IOException {
        BufferedImage image = render(curves, title);
        PlotImages.writePng(image, png);
    }

    public static BufferedImage render(List<Curve> curves, String title) {
        if (curves.isEmpty() || curves.stream().allMatch(c -> finite(c.loss()).length == 0)) {
            throw new IllegalArgumentException("no loss to plot");
        }
        int width = CurvePlot.PANEL_WIDTH;
        int height = CurvePlot.PANEL_HEIGHT;
        int header = PlotImages.TITLE_HEIGHT;
        BufferedImage image = PlotImages.whiteImage(2 * width, header + height);
        Graphics2D g = PlotImages.graphics(image);
        try {
            g.setColor(PlotImages.TEXT);
            PlotImages.drawCentered(g, title, PlotImages.TITLE_FONT, image.getWidth() / 2, header / 2 + 2, image.getWidth() - 40);
            g.drawImage(BitmapEncoder.getBufferedImage(chart(curves, false)), 0, header, null);
            g.drawImage(BitmapEncoder.getBufferedImage(chart(curves, true)), width, header, null);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static XYChart chart(List<Curve> curves, boolean wallTime) {
        double maxSeconds = 0;
        for (Curve c : curves) {
            for (double s : c.seconds()) {
                maxSeconds = Math.max(maxSeconds, s);
            }
        }
        boolean minutes = maxSeconds > 120;
        XYChart chart = new XYChartBuilder().width(CurvePlot.PANEL_WIDTH).height(CurvePlot.PANEL_HEIGHT)
                .title(wallTime ? "Loss vs wall time" : "Loss vs steps")
                .xAxisTitle(wallTime ? "wall time (" + (minutes ? "min" : "s") + ")" : "step")
                .yAxisTitle("cross-entropy (nats per character)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setAntiAlias(true);
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int p = 0; p < c.loss().length; p++) {
                if (Double.isFinite(c.loss()[p])) {
                    xs.add(wallTime ? c.seconds()[p] / (minutes ? 60 : 1) : c.steps()[p]);
                    ys.add(c.loss()[p]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(c.label(), xs, ys);
            s.setLineColor(COLORS[i % COLORS.length]);
            s.setMarkerColor(COLORS[i % COLORS.length]);
            s.setMarker(xs.size() > CurvePlot.MAX_POINTS_WITH_MARKERS ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    private static double[] finite(double[] values) {
        return java.util.Arrays.stream(values).filter(Double::isFinite).toArray();
    }
}

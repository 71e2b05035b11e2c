package org.lstm4j.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.lstm4j.cli.plot.ClassificationPlots.XAxis;

/** The training-curve charts behind {@link ClassificationPlots#renderCurves}. */
final class CurvePlot {
    static final int PANEL_WIDTH = 640;
    static final int PANEL_HEIGHT = 420;
    /** Above this many points per series the markers would merge into a thick line: lines only. */
    static final int MAX_POINTS_WITH_MARKERS = 60;
    /** Up to this many distinct x values, XChart may put a tick on each (see {@link #anchorRoundTicks}). */
    static final int MAX_DATA_TICKS = 20;

    /** Matplotlib's tab10 colors: distinct, and the same series gets the same color in every chart. */
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };
    /** Marker shapes tell the series apart where colors do not (gray-scale print, color blindness). */
    private static final Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN,
    };

    private CurvePlot() {}

    static BufferedImage render(List<CurveSeries> series, String title, List<XAxis> rows) {
        validate(series);
        int header = title.isEmpty() ? 0 : PlotImages.TITLE_HEIGHT;
        BufferedImage image = PlotImages.whiteImage(2 * PANEL_WIDTH, header + rows.size() * PANEL_HEIGHT);
        Graphics2D g = PlotImages.graphics(image);
        try {
            if (!title.isEmpty()) {
                g.setColor(PlotImages.TEXT);
                PlotImages.drawCentered(g, title, PlotImages.TITLE_FONT, image.getWidth() / 2, header / 2 + 2,
                        image.getWidth() - 40);
            }
            for (int r = 0; r < rows.size(); r++) {
                int y = header + r * PANEL_HEIGHT;
                g.drawImage(BitmapEncoder.getBufferedImage(lossChart(series, rows.get(r))), 0, y, null);
                g.drawImage(BitmapEncoder.getBufferedImage(accuracyChart(series, rows.get(r))), PANEL_WIDTH, y, null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    static void validate(List<CurveSeries> series) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("no series to plot");
        }
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < series.size(); i++) {
            CurveSeries s = series.get(i);
            if (s == null) {
                throw new IllegalArgumentException("series " + i + " is null");
            }
            if (!labels.add(s.label())) {
                throw new IllegalArgumentException("two series are labelled '" + s.label() + "': labels must differ");
            }
        }
        if (!anyFinite(series, EpochPoint::trainLoss)) {
            throw new IllegalArgumentException("no finite train loss in any series: nothing to plot");
        }
        if (!anyFinite(series, EpochPoint::testAccuracy)) {
            throw new IllegalArgumentException("no finite test accuracy in any series: nothing to plot");
        }
    }

    static XYChart lossChart(List<CurveSeries> series, XAxis x) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (CurveSeries s : series) {
            for (EpochPoint p : s.points()) {
                if (!Double.isNaN(p.trainLoss())) {
                    min = Math.min(min, p.trainLoss());
                    max = Math.max(max, p.trainLoss());
                }
            }
        }
        boolean log = logScale(min, max);
        XYChart chart = chart("Train loss " + per(x), x, series, log ? "train loss (log scale)" : "train loss");
        if (log) {
            chart.getStyler().setYAxisLogarithmic(true);
            // Decade labels only (1, 0.1, 0.01): XChart's labels in between overlap, and a tick label
            // formatter would turn the axis linear. If the losses pass fewer than two powers of ten, the
            // axis is widened to the enclosing ones so that at least two are labelled.
            chart.getStyler().setYAxisLogarithmicDecadeOnly(true);
            double lowDecade = Math.floor(Math.log10(min));
            double highDecade = Math.ceil(Math.log10(max));
            if (Math.floor(Math.log10(max)) - Math.ceil(Math.log10(min)) < 1) {
                chart.getStyler().setYAxisMin(Math.pow(10, lowDecade));
                chart.getStyler().setYAxisMax(Math.pow(10, highDecade));
            }
        }
        addSeries(chart, series, x, EpochPoint::trainLoss);
        return chart;
    }

    static XYChart accuracyChart(List<CurveSeries> series, XAxis x) {
        XYChart chart = chart("Test accuracy " + per(x), x, series, "test accuracy (%)");
        addSeries(chart, series, x, p -> 100 * p.testAccuracy());
        return chart;
    }

    /** Log scale when the positive losses span more than a decade; a zero loss keeps the axis linear. */
    static boolean logScale(double min, double max) {
        return min > 0 && max / min > 10;
    }

    /** The unit the wall-time axis is drawn in: seconds up to 2 minutes, minutes up to 2 hours, then hours. */
    static TimeUnit timeUnit(List<CurveSeries> series) {
        double max = 0;
        for (CurveSeries s : series) {
            max = Math.max(max, s.points().get(s.points().size() - 1).elapsedSeconds());
        }
        return max <= 120 ? TimeUnit.S : max <= 7200 ? TimeUnit.MIN : TimeUnit.H;
    }

    enum TimeUnit {
        S("s", 1), MIN("min", 60), H("h", 3600);

        final String symbol;
        final double seconds;

        TimeUnit(String symbol, double seconds) {
            this.symbol = symbol;
            this.seconds = seconds;
        }
    }

    private static String per(XAxis x) {
        return x == XAxis.EPOCH ? "per epoch" : "vs wall time";
    }

    private static XYChart chart(String title, XAxis x, List<CurveSeries> series, String yTitle) {
        String xTitle = x == XAxis.EPOCH ? "epoch" : "wall time (" + timeUnit(series).symbol + ")";
        XYChart chart = new XYChartBuilder()
                .width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        XYStyler styler = chart.getStyler();
        // Outside the plot: inside, it would hide the curves wherever they happen to run. Below it in one
        // line while the labels fit the panel's width, else in a column on the right.
        boolean oneLine = legendWidth(series, styler) <= PANEL_WIDTH - 40;
        styler.setLegendPosition(oneLine ? Styler.LegendPosition.OutsideS : Styler.LegendPosition.OutsideE);
        styler.setLegendLayout(oneLine ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setAntiAlias(true);
        // Both charts of a row span the same x range, though one may have no value at some x (no loss
        // at epoch 0).
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double unit = timeUnit(series).seconds;
        for (CurveSeries s : series) {
            for (EpochPoint p : s.points()) {
                double v = x == XAxis.EPOCH ? p.epoch() : p.elapsedSeconds() / unit;
                xMin = Math.min(xMin, v);
                xMax = Math.max(xMax, v);
            }
        }
        if (x == XAxis.EPOCH) {
            // Epochs are whole numbers: leave a tick that falls between two epochs unlabelled.
            styler.setxAxisTickLabelsFormattingFunction(
                    v -> Math.abs(v - Math.rint(v)) < 1e-9 ? Long.toString(Math.round(v)) : "");
        } else {
            xMin = 0;
        }
        if (xMax > xMin) {
            styler.setXAxisMin(xMin);
            styler.setXAxisMax(xMax);
        }
        return chart;
    }

    /** Width of a one-line legend: each entry is a line sample, its label and padding. */
    static int legendWidth(List<CurveSeries> series, Styler styler) {
        FontMetrics fm = PlotImages.metrics(styler.getLegendFont());
        int width = 0;
        for (CurveSeries s : series) {
            width += fm.stringWidth(s.label() + " (no data)") + 40;
        }
        return width;
    }

    private static void addSeries(XYChart chart, List<CurveSeries> series, XAxis x, ToDoubleFunction<EpochPoint> y) {
        double unit = timeUnit(series).seconds;
        TreeSet<Double> xValues = new TreeSet<>();
        double yValue = Double.NaN;
        for (int i = 0; i < series.size(); i++) {
            CurveSeries s = series.get(i);
            List<EpochPoint> points = s.points();
            // NaN is "not measured": leave the point out, so the line joins the measured neighbours (an
            // evaluation every few epochs still draws a line).
            double[] xs = new double[points.size()];
            double[] ys = new double[points.size()];
            int m = 0;
            for (EpochPoint p : points) {
                double v = y.applyAsDouble(p);
                if (!Double.isNaN(v)) {
                    xs[m] = x == XAxis.EPOCH ? p.epoch() : p.elapsedSeconds() / unit;
                    ys[m] = v;
                    xValues.add(xs[m]);
                    if (Double.isNaN(yValue)) {
                        yValue = v;
                    }
                    m++;
                }
            }
            boolean finite = m > 0;
            if (finite) {
                xs = Arrays.copyOf(xs, m);
                ys = Arrays.copyOf(ys, m);
            } else {
                // Kept (a single NaN point draws nothing) so the legend says so and colors stay aligned.
                xs = new double[] {x == XAxis.EPOCH ? points.get(0).epoch() : points.get(0).elapsedSeconds() / unit};
                ys = new double[] {Double.NaN};
            }
            XYSeries line = chart.addSeries(finite ? s.label() : s.label() + " (no data)", xs, ys);
            line.setLineColor(COLORS[i % COLORS.length]);
            line.setMarkerColor(COLORS[i % COLORS.length]);
            line.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            line.setMarker(xs.length <= MAX_POINTS_WITH_MARKERS ? MARKERS[i % MARKERS.length] : SeriesMarkers.NONE);
        }
        anchorRoundTicks(chart, xValues, yValue);
    }

    /**
     * XChart puts a tick on every k-th data point when the x values are equally spaced, which gives
     * crowded labels at odd values (1 2 3 ... 30 epochs, 0.3 0.6 0.9 min). One invisible point off the
     * grid makes it fall back to round tick values (0, 5, 10, ...).
     */
    private static void anchorRoundTicks(XYChart chart, TreeSet<Double> xValues, double yValue) {
        if (xValues.size() <= MAX_DATA_TICKS) {
            return;
        }
        double first = xValues.first();
        double second = xValues.higher(first);
        XYSeries anchor = chart.addSeries("\u0000anchor", new double[] {first + (second - first) / 2}, new double[] {yValue});
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineColor(new Color(0, 0, 0, 0));
        anchor.setShowInLegend(false);
    }

    private static boolean anyFinite(List<CurveSeries> series, ToDoubleFunction<EpochPoint> value) {
        for (CurveSeries s : series) {
            for (EpochPoint p : s.points()) {
                if (!Double.isNaN(value.applyAsDouble(p))) {
                    return true;
                }
            }
        }
        return false;
    }
}

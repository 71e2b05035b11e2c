package org.lstm4j.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.cli.plot.ClassificationPlots.PANEL_HEIGHT;
import static org.lstm4j.cli.plot.ClassificationPlots.PANEL_WIDTH;
import static org.lstm4j.cli.plot.ClassificationPlots.TITLE_HEIGHT;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.lstm4j.cli.plot.ClassificationPlots.XAxis;

class ClassificationCurvesPlotTest {
    private static final int BLUE = 0x1f77b4;   // first series
    private static final int ORANGE = 0xff7f0e; // second series
    private static final int WHITE = 0xffffff;

    @TempDir
    Path tmp;

    private static EpochPoint point(int epoch, double loss, double accuracy) {
        return new EpochPoint(epoch, loss, accuracy, 10.0 * epoch);
    }

    private static CurveSeries series(String label, EpochPoint... points) {
        return new CurveSeries(label, List.of(points));
    }

    private static IllegalArgumentException rejects(Executable call, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
        return e;
    }

    @Test
    void rendersHeadless() {
        assertTrue(GraphicsEnvironment.isHeadless(), "the tests must run as the CLI does: java.awt.headless=true");
    }

    @Test
    void epochCurvesAreOneRowOfTwoPanelsUnderTheTitle() throws IOException {
        Path png = tmp.resolve("curves.png");
        ClassificationPlots.writeCurves(FashionMnistSamples.threeModels(), "compare", png);
        BufferedImage image = PngFiles.read(png);
        assertEquals(2 * PANEL_WIDTH, image.getWidth());
        assertEquals(TITLE_HEIGHT + PANEL_HEIGHT, image.getHeight());
        PngFiles.assertOnlyFiles(tmp, "curves.png");
    }

    @Test
    void epochAndWallTimeGiveTwoRows() throws IOException {
        Path png = tmp.resolve("curves.png");
        ClassificationPlots.writeCurves(FashionMnistSamples.threeModels(), "compare", png, XAxis.EPOCH, XAxis.WALL_TIME);
        BufferedImage image = PngFiles.read(png);
        assertEquals(2 * PANEL_WIDTH, image.getWidth());
        assertEquals(TITLE_HEIGHT + 2 * PANEL_HEIGHT, image.getHeight());
        PngFiles.assertOnlyFiles(tmp, "curves.png");
    }

    @Test
    void anEmptyTitleDrawsNoTitleBand() {
        BufferedImage image = ClassificationPlots.renderCurves(FashionMnistSamples.threeModels(), "", XAxis.WALL_TIME);
        assertEquals(PANEL_HEIGHT, image.getHeight());
    }

    @Test
    void everySeriesIsDrawnInItsOwnColorInBothCharts() {
        List<CurveSeries> two = FashionMnistSamples.threeModels().subList(0, 2);
        BufferedImage image = ClassificationPlots.renderCurves(two, "two models");
        for (int panel = 0; panel < 2; panel++) {
            int x = panel * PANEL_WIDTH;
            for (int color : new int[] {BLUE, ORANGE}) {
                int pixels = PngFiles.countNear(image, color, 12, x, TITLE_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT);
                assertTrue(pixels > 100, "panel " + panel + ": only " + pixels + " pixels of " + Integer.toHexString(color));
            }
        }
        assertTrue(PngFiles.anyPixelOtherThan(image, WHITE, 0, 0, image.getWidth(), TITLE_HEIGHT), "no title drawn");
    }

    @Test
    void writeCreatesMissingDirectoriesAndReplacesAnOldFile() throws IOException {
        Path png = tmp.resolve("a/b/curves.png");
        ClassificationPlots.writeCurves(FashionMnistSamples.threeModels(), "first", png);
        byte[] first = Files.readAllBytes(png);
        ClassificationPlots.writeCurves(FashionMnistSamples.threeModels(), "second", png, XAxis.EPOCH, XAxis.WALL_TIME);
        assertFalse(Arrays.equals(first, Files.readAllBytes(png)));
        assertEquals(TITLE_HEIGHT + 2 * PANEL_HEIGHT, PngFiles.read(png).getHeight());
        PngFiles.assertOnlyFiles(png.getParent(), "curves.png");
    }

    @Test
    void aSingleEpochStillPlots() throws IOException {
        Path png = tmp.resolve("one.png");
        ClassificationPlots.writeCurves(List.of(series("lstm", point(1, 0.6, 0.8))), "one epoch", png,
                XAxis.EPOCH, XAxis.WALL_TIME);
        assertEquals(TITLE_HEIGHT + 2 * PANEL_HEIGHT, PngFiles.read(png).getHeight());
    }

    @Test
    void nanMeansNotMeasuredAndIsLeftOut() {
        // Epoch 0: evaluated before training, so no training loss; then test accuracy only every other epoch.
        CurveSeries sparse = series("lstm", point(0, Double.NaN, 0.1), point(1, 0.9, Double.NaN), point(2, 0.5, 0.8),
                point(3, 0.4, Double.NaN), point(4, 0.35, 0.86));
        BufferedImage image = ClassificationPlots.renderCurves(List.of(sparse), "sparse", XAxis.EPOCH, XAxis.WALL_TIME);
        // The accuracy line joins the measured epochs (0, 2, 4) instead of leaving isolated points.
        int pixels = PngFiles.countNear(image, BLUE, 12, PANEL_WIDTH, TITLE_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT);
        assertTrue(pixels > 300, "accuracy line has only " + pixels + " pixels");
    }

    @Test
    void aSeriesWithoutAnyAccuracyIsListedAsNoData() {
        CurveSeries measured = series("lstm", point(1, 0.8, 0.8), point(2, 0.5, 0.85));
        CurveSeries unmeasured = series("gru", point(1, 0.7, Double.NaN), point(2, 0.45, Double.NaN));
        XYChart chart = CurvePlot.accuracyChart(List.of(measured, unmeasured), XAxis.EPOCH);
        assertTrue(chart.getSeriesMap().containsKey("gru (no data)"), chart.getSeriesMap().keySet().toString());
        ClassificationPlots.renderCurves(List.of(measured, unmeasured), "");
    }

    @Test
    void lossAxisIsLogarithmicOnlyOverMoreThanADecade() {
        assertFalse(CurvePlot.logScale(0.32, 0.81));
        assertFalse(CurvePlot.logScale(0.1, 1.0));
        assertTrue(CurvePlot.logScale(0.05, 0.8));
        assertFalse(CurvePlot.logScale(0, 2.3), "a zero loss cannot go on a log axis");

        List<CurveSeries> fiveEpochs = FashionMnistSamples.threeModels();
        assertFalse(CurvePlot.lossChart(fiveEpochs, XAxis.EPOCH).getStyler().isYAxisLogarithmic());
        List<CurveSeries> longRun = List.of(FashionMnistSamples.longRun("lstm", 30, 40, 1));
        XYChart log = CurvePlot.lossChart(longRun, XAxis.WALL_TIME);
        assertTrue(log.getStyler().isYAxisLogarithmic());
        assertEquals("train loss (log scale)", log.getYAxisTitle());
    }

    @Test
    void aLogAxisSpanningOnlyOnePowerOfTenIsWidenedToLabelTwo() {
        CurveSeries s = series("lstm", point(1, 0.8, 0.7), point(2, 0.2, 0.8), point(3, 0.061, 0.85));
        XYChart chart = CurvePlot.lossChart(List.of(s), XAxis.EPOCH);
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertEquals(0.01, chart.getStyler().getYAxisMin(), 1e-12);
        assertEquals(1.0, chart.getStyler().getYAxisMax(), 1e-12);
    }

    @Test
    void theLegendGoesBelowWhileItFitsOneLineElseToTheRight() {
        assertEquals(Styler.LegendPosition.OutsideS,
                CurvePlot.lossChart(FashionMnistSamples.threeModels(), XAxis.EPOCH).getStyler().getLegendPosition());
        List<CurveSeries> many = new ArrayList<>();
        for (String label : new String[] {"lstm-h64", "lstm-h128", "lstm-h256", "bilstm-h128", "gru-h64", "gru-h128"}) {
            many.add(FashionMnistSamples.longRun(label, 5, 30, 1));
        }
        assertEquals(Styler.LegendPosition.OutsideE,
                CurvePlot.accuracyChart(many, XAxis.EPOCH).getStyler().getLegendPosition());
    }

    @Test
    void wallTimeIsInSecondsMinutesOrHours() {
        assertEquals(CurvePlot.TimeUnit.S, CurvePlot.timeUnit(List.of(series("a", new EpochPoint(1, 1, 0.5, 120)))));
        assertEquals(CurvePlot.TimeUnit.MIN, CurvePlot.timeUnit(List.of(series("a", new EpochPoint(1, 1, 0.5, 121)))));
        assertEquals(CurvePlot.TimeUnit.H, CurvePlot.timeUnit(List.of(series("a", new EpochPoint(1, 1, 0.5, 7201)))));
        assertEquals("wall time (min)", CurvePlot.lossChart(FashionMnistSamples.threeModels(), XAxis.WALL_TIME).getXAxisTitle());
    }

    @Test
    void badSeriesListsAreRejectedBeforeAnyFileIsWritten() {
        CurveSeries ok = series("lstm", point(1, 0.5, 0.8));
        Path png = tmp.resolve("bad.png");
        rejects(() -> ClassificationPlots.writeCurves(List.of(), "t", png), "no series to plot");
        List<CurveSeries> withNull = new ArrayList<>();
        withNull.add(ok);
        withNull.add(null);
        rejects(() -> ClassificationPlots.writeCurves(withNull, "t", png), "series 1 is null");
        rejects(() -> ClassificationPlots.writeCurves(List.of(ok, series("lstm", point(1, 0.4, 0.9))), "t", png),
                "two series are labelled 'lstm'");
        rejects(() -> ClassificationPlots.writeCurves(List.of(series("lstm", point(1, Double.NaN, 0.8))), "t", png),
                "no finite train loss");
        rejects(() -> ClassificationPlots.writeCurves(List.of(series("lstm", point(1, 0.5, Double.NaN))), "t", png),
                "no finite test accuracy");
        rejects(() -> ClassificationPlots.writeCurves(List.of(ok), "t", png, XAxis.EPOCH, XAxis.EPOCH),
                "x axis EPOCH requested twice");
        rejects(() -> ClassificationPlots.writeCurves(List.of(ok), "t", png, XAxis.EPOCH, null), "x axis must not be null");
        assertFalse(Files.exists(png));
        assertThrows(NullPointerException.class, () -> ClassificationPlots.writeCurves(List.of(ok), null, png));
        assertThrows(NullPointerException.class, () -> ClassificationPlots.writeCurves(List.of(ok), "t", null));
    }

    @Test
    void badPointsAreRejected() {
        rejects(() -> new EpochPoint(-1, 0.5, 0.8, 1), "epoch must be at least 0, was -1");
        rejects(() -> new EpochPoint(1, -0.1, 0.8, 1), "trainLoss must be finite and at least 0");
        rejects(() -> new EpochPoint(1, Double.POSITIVE_INFINITY, 0.8, 1), "was Infinity at epoch 1");
        IllegalArgumentException percent = rejects(() -> new EpochPoint(3, 0.5, 87.5, 1),
                "testAccuracy is a fraction in [0, 1] (NaN: not measured), was 87.5 at epoch 3");
        assertTrue(percent.getMessage().endsWith("(a percentage?)"), percent.getMessage());
        rejects(() -> new EpochPoint(1, 0.5, -0.01, 1), "testAccuracy is a fraction in [0, 1]");
        rejects(() -> new EpochPoint(1, 0.5, 0.8, -2), "elapsedSeconds must be finite and at least 0, was -2.0");
        rejects(() -> new EpochPoint(1, 0.5, 0.8, Double.NaN), "elapsedSeconds must be finite");
        // Allowed: not measured, a perfect fit, the bounds of accuracy.
        new EpochPoint(0, Double.NaN, Double.NaN, 0);
        new EpochPoint(1, 0, 1, 0);
        new EpochPoint(1, 0.1, 0, 0);
    }

    @Test
    void badSeriesAreRejected() {
        rejects(() -> new CurveSeries(" ", List.of(point(1, 0.5, 0.8))), "series label must not be blank");
        rejects(() -> new CurveSeries(null, List.of(point(1, 0.5, 0.8))), "series label must not be blank, was null");
        rejects(() -> new CurveSeries("lstm", List.of()), "series 'lstm' has no points");
        rejects(() -> new CurveSeries("lstm", null), "series 'lstm' has no points");
        rejects(() -> new CurveSeries("lstm", Arrays.asList(point(1, 0.5, 0.8), null)), "series 'lstm': point 1 is null");
        rejects(() -> series("lstm", point(1, 0.5, 0.8), point(1, 0.4, 0.8)),
                "epochs must strictly increase, but epoch 1 follows epoch 1");
        rejects(() -> series("lstm", point(2, 0.5, 0.8), point(1, 0.4, 0.8)), "epoch 1 follows epoch 2");
        rejects(() -> series("lstm", new EpochPoint(1, 0.5, 0.8, 20), new EpochPoint(2, 0.4, 0.8, 19)),
                "elapsed time goes backwards at epoch 2");
    }

    @Test
    void seriesPointsAreACopy() {
        List<EpochPoint> points = new ArrayList<>(List.of(point(1, 0.5, 0.8)));
        CurveSeries s = new CurveSeries("lstm", points);
        points.add(point(0, 0.1, 0.1));
        assertEquals(1, s.points().size());
        assertThrows(UnsupportedOperationException.class, () -> s.points().add(point(2, 0.1, 0.1)));
    }
}

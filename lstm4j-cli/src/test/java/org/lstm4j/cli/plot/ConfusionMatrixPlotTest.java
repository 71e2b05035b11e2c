package org.lstm4j.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixPlotTest {
    private static final int WHITE = 0xffffff;
    private static final List<String> NAMES = FashionMnistSamples.CLASSES;

    @TempDir
    Path tmp;

    private static void rejects(Executable call, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
    }

    @Test
    void writesAReadablePngOfSensibleSize() throws IOException {
        Path png = tmp.resolve("confusion.png");
        ClassificationPlots.writeConfusion(FashionMnistSamples.confusion(), NAMES, "lstm, test set", png);
        BufferedImage image = PngFiles.read(png);
        assertTrue(image.getWidth() >= 600 && image.getWidth() <= 1400, "width " + image.getWidth());
        assertTrue(image.getHeight() >= 600 && image.getHeight() <= 1400, "height " + image.getHeight());
        PngFiles.assertOnlyFiles(tmp, "confusion.png");
    }

    @Test
    void writeCreatesMissingDirectoriesAndReplacesAnOldFile() throws IOException {
        Path png = tmp.resolve("out/run1/confusion.png");
        ClassificationPlots.writeConfusion(new long[][] {{5, 1}, {2, 7}}, List.of("a", "b"), "first", png);
        byte[] first = Files.readAllBytes(png);
        ClassificationPlots.writeConfusion(FashionMnistSamples.confusion(), NAMES, "second", png);
        assertFalse(Arrays.equals(first, Files.readAllBytes(png)));
        PngFiles.read(png);
        PngFiles.assertOnlyFiles(png.getParent(), "confusion.png");
    }

    @Test
    void everyDiagonalCellIsDrawnAndColoredByItsRowShare() {
        long[][] counts = FashionMnistSamples.confusion();
        BufferedImage image = ClassificationPlots.renderConfusion(counts, NAMES, "lstm");
        ConfusionPlot.Layout layout = ConfusionPlot.layout(counts, NAMES, "lstm");
        assertEquals(image.getWidth(), layout.width());
        int cell = layout.cell();
        for (int i = 0; i < counts.length; i++) {
            int x = layout.cellX(i);
            int y = layout.cellY(i);
            assertTrue(PngFiles.anyPixelOtherThan(image, WHITE, x + 1, y + 1, cell - 2, cell - 2), "diagonal cell " + i + " is blank");
            long rowTotal = Arrays.stream(counts[i]).sum();
            Color expected = ConfusionPlot.color((double) counts[i][i] / rowTotal);
            // A corner of the cell, away from the count written in its middle.
            assertEquals(expected.getRGB() & 0xffffff, image.getRGB(x + 3, y + 3) & 0xffffff, "cell " + i + " color");
            // The count itself: pixels of another color in the middle of the cell.
            assertTrue(PngFiles.anyPixelOtherThan(image, expected.getRGB(), x + cell / 4, y + cell / 4, cell / 2, cell / 2),
                    "no count written in diagonal cell " + i);
        }
        // Most T-shirts are predicted right (85%): dark; a cell of count 0 keeps the lightest color.
        assertEquals(ConfusionPlot.color(0).getRGB() & 0xffffff,
                image.getRGB(layout.cellX(9) + 3, layout.cellY(0) + 3) & 0xffffff);
    }

    @Test
    void nothingIsClippedAtTheImageEdges() {
        long[][] counts = FashionMnistSamples.confusion();
        List<String> longNames = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                "Sneaker", "Bag", "Ankle boot with a much longer name than usual");
        for (List<String> names : List.of(NAMES, longNames, List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"))) {
            BufferedImage image = ClassificationPlots.renderConfusion(counts, names, "a title");
            int w = image.getWidth();
            int h = image.getHeight();
            int edge = 6;
            assertFalse(PngFiles.anyPixelOtherThan(image, WHITE, 0, 0, w, edge), names + ": top edge");
            assertFalse(PngFiles.anyPixelOtherThan(image, WHITE, 0, h - edge, w, edge), names + ": bottom edge");
            assertFalse(PngFiles.anyPixelOtherThan(image, WHITE, 0, 0, edge, h), names + ": left edge");
            assertFalse(PngFiles.anyPixelOtherThan(image, WHITE, w - edge, 0, edge, h), names + ": right edge");
        }
    }

    @Test
    void longNamesSlantShortNamesStayLevel() {
        long[][] counts = FashionMnistSamples.confusion();
        assertTrue(ConfusionPlot.layout(counts, NAMES, "").rotatedColumnLabels());
        List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertFalse(ConfusionPlot.layout(counts, digits, "").rotatedColumnLabels());
    }

    @Test
    void cellsGrowToFitLargeCounts() {
        long[][] counts = {{123_456_789, 1}, {2, 987_654_321}};
        ConfusionPlot.Layout layout = ConfusionPlot.layout(counts, List.of("a", "b"), "");
        assertTrue(layout.cell() > ConfusionPlot.MIN_CELL, "cell " + layout.cell());
        assertTrue(layout.cell() >= PlotImages.metrics(ConfusionPlot.DIAGONAL_FONT).stringWidth("987654321") + 8);
    }

    @Test
    void subtitleGivesTheOverallAccuracy() {
        assertEquals("accuracy 87.94% (8794 of 10000)", ConfusionPlot.subtitle(FashionMnistSamples.confusion()));
        assertEquals("no samples", ConfusionPlot.subtitle(new long[][] {{0, 0}, {0, 0}}));
    }

    @Test
    void emptyRowsAndAnEmptyMatrixStillRender() throws IOException {
        Path png = tmp.resolve("c.png");
        ClassificationPlots.writeConfusion(new long[][] {{3, 1, 0}, {0, 0, 0}, {1, 0, 4}}, List.of("x", "y", "z"), "", png);
        PngFiles.read(png);
        ClassificationPlots.writeConfusion(new long[][] {{0}}, List.of("only"), "nothing", png);
        PngFiles.read(png);
    }

    @Test
    void colorMapRunsFromAlmostWhiteToDarkBlue() {
        assertEquals(0xf7fbff, ConfusionPlot.color(0).getRGB() & 0xffffff);
        assertEquals(0x08306b, ConfusionPlot.color(1).getRGB() & 0xffffff);
        double previous = Double.MAX_VALUE;
        for (int i = 0; i <= 100; i++) {
            Color c = ConfusionPlot.color(i / 100.0);
            double luminance = 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
            assertTrue(luminance <= previous, "darker with a larger share, at " + i + "%");
            previous = luminance;
        }
    }

    @Test
    void badInputIsRejectedBeforeAnyFileIsWritten() {
        Path png = tmp.resolve("bad.png");
        List<String> two = List.of("a", "b");
        rejects(() -> ClassificationPlots.writeConfusion(null, two, "t", png), "counts must not be null");
        rejects(() -> ClassificationPlots.writeConfusion(new long[0][], List.of(), "t", png), "no classes");
        rejects(() -> ClassificationPlots.writeConfusion(new long[][] {{1, 2}, {3}}, two, "t", png),
                "must be square: 2 rows, but row 1 has 1 columns");
        rejects(() -> ClassificationPlots.writeConfusion(new long[][] {{1, 2, 3}, {4, 5, 6}}, two, "t", png),
                "must be square: 2 rows, but row 0 has 3 columns");
        rejects(() -> ClassificationPlots.writeConfusion(new long[][] {{1, 2}, null}, two, "t", png), "row 1 is null");
        rejects(() -> ClassificationPlots.writeConfusion(new long[][] {{1, -2}, {3, 4}}, two, "t", png),
                "negative count -2 at row 0, column 1");
        rejects(() -> ClassificationPlots.writeConfusion(FashionMnistSamples.confusion(), NAMES.subList(0, 9), "t", png),
                "9 class names for a 10 x 10 confusion matrix");
        rejects(() -> ClassificationPlots.writeConfusion(new long[][] {{1, 2}, {3, 4}}, null, "t", png),
                "class names must not be null");
        rejects(() -> ClassificationPlots.writeConfusion(new long[][] {{1, 2}, {3, 4}}, Arrays.asList("a", null), "t", png),
                "class name 1 is null");
        rejects(() -> ClassificationPlots.writeConfusion(new long[][] {{1, 2}, {3, 4}}, List.of(" ", "b"), "t", png),
                "class name 0 is blank");
        assertFalse(Files.exists(png));
        assertThrows(NullPointerException.class,
                () -> ClassificationPlots.writeConfusion(new long[][] {{1}}, List.of("a"), null, png));
        assertThrows(NullPointerException.class,
                () -> ClassificationPlots.writeConfusion(new long[][] {{1}}, List.of("a"), "t", null));
    }
}

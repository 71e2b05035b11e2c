package org.lstm4j.cli.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * The classification commands' figures (headless: they need no display), written as PNG files
 * atomically (a reader sees the old file or the complete new one, and no temporary file is left behind).
 *
 * <p><b>Training curves</b> ({@link #writeCurves}): one row of two charts per requested {@link XAxis},
 * train loss on the left and test accuracy (in percent) on the right, one line per {@link CurveSeries}
 * (one for {@code classify}, several for {@code compare}), same color and marker for a series in every
 * chart; the legend sits below each chart, or in a column to its right when the labels do not fit one
 * line. The loss axis is logarithmic when the measured losses span more than a decade (max / min &gt; 10,
 * none zero), with labels at powers of ten (widened to the enclosing powers when the losses pass fewer
 * than two), linear otherwise. Test accuracy ({@link EpochPoint#testAccuracy()}, a fraction) is drawn in
 * percent on an axis fitted to the values. NaN values are "not measured" and left out, the line joining
 * the measured neighbours; a series with no measured value in a chart is listed as "(no data)".
 *
 * <p>{@code writeCurves(series, title, png)} draws against the epoch (use it for {@code classify});
 * {@code writeCurves(series, title, png, XAxis.EPOCH, XAxis.WALL_TIME)} adds a second row against wall
 * time (seconds, minutes or hours, whichever reads best), the comparison that matters for
 * {@code compare} when the models differ in cost per epoch. Both charts of a row share the x range. A
 * non-empty title is drawn as a band above the charts: the image is {@code 2 * PANEL_WIDTH} wide and
 * {@code TITLE_HEIGHT + rows * PANEL_HEIGHT} high.
 *
 * <p><b>Confusion matrix</b> ({@link #writeConfusion}): rows are the actual class, columns the predicted
 * class, class names on both axes, each cell's count written in it, the cell colored by its share of the
 * row (the fraction of that actual class predicted as the column's class), with a color bar and the
 * overall accuracy under the title. Column labels are level when every name fits its column, else slanted
 * at 45 degrees; cells grow to fit the widest count, and the image to fit the names. Drawn with Java2D:
 * XChart's heat map cannot write the counts into the cells.
 *
 * <p>Bad input is an {@link IllegalArgumentException} naming the problem, thrown before any file is
 * touched; a null title or path is a {@link NullPointerException}. See {@link EpochPoint} for units.
 */
public final class ClassificationPlots {
    /** What the x axis of a row of curve charts measures. */
    public enum XAxis {
        /** Epoch number ({@link EpochPoint#epoch()}). */
        EPOCH,
        /** Wall time since the start of training ({@link EpochPoint#elapsedSeconds()}). */
        WALL_TIME
    }

    /** Size of each curve chart, in pixels (a curves image is two panels wide, one panel high per row). */
    public static final int PANEL_WIDTH = CurvePlot.PANEL_WIDTH;
    public static final int PANEL_HEIGHT = CurvePlot.PANEL_HEIGHT;
    /** Height of the title band above the curve charts (none when the title is empty). */
    public static final int TITLE_HEIGHT = PlotImages.TITLE_HEIGHT;

    private ClassificationPlots() {}

    /**
     * Renders the training curves: one row (loss | accuracy) per x axis in {@code rows}, in that order;
     * no rows means {@link XAxis#EPOCH} only.
     *
     * @throws IllegalArgumentException no series, a null series, two series with the same label, no
     *     finite loss or no finite accuracy in any series, a repeated or null x axis
     */
    public static BufferedImage renderCurves(List<CurveSeries> series, String title, XAxis... rows) {
        Objects.requireNonNull(title, "title");
        return CurvePlot.render(series, title, rowList(rows));
    }

    /** Renders the training curves (see {@link #renderCurves}) and writes them as a PNG, atomically. */
    public static void writeCurves(List<CurveSeries> series, String title, Path png, XAxis... rows) throws IOException {
        Objects.requireNonNull(png, "png");
        PlotImages.writePng(renderCurves(series, title, rows), png);
    }

    /**
     * Renders a confusion matrix: {@code counts[actual][predicted]}, {@code n x n} for {@code n} class
     * names.
     *
     * @throws IllegalArgumentException no classes, a matrix that is not square, a negative count, a
     *     number of class names other than the matrix size, a null or blank class name
     */
    public static BufferedImage renderConfusion(long[][] counts, List<String> classNames, String title) {
        Objects.requireNonNull(title, "title");
        return ConfusionPlot.render(counts, classNames, title);
    }

    /** Renders a confusion matrix (see {@link #renderConfusion}) and writes it as a PNG, atomically. */
    public static void writeConfusion(long[][] counts, List<String> classNames, String title, Path png) throws IOException {
        Objects.requireNonNull(png, "png");
        PlotImages.writePng(renderConfusion(counts, classNames, title), png);
    }

    private static List<XAxis> rowList(XAxis[] rows) {
        if (rows == null || rows.length == 0) {
            return List.of(XAxis.EPOCH);
        }
        EnumSet<XAxis> seen = EnumSet.noneOf(XAxis.class);
        List<XAxis> list = new ArrayList<>(rows.length);
        for (XAxis row : rows) {
            if (row == null) {
                throw new IllegalArgumentException("x axis must not be null");
            }
            if (!seen.add(row)) {
                throw new IllegalArgumentException("x axis " + row + " requested twice");
            }
            list.add(row);
        }
        return list;
    }
}

package org.lstm4j.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The confusion-matrix heat map behind {@link ClassificationPlots#renderConfusion}, drawn with Java2D:
 * XChart's HeatMapChart colors cells but cannot write the counts into them.
 */
final class ConfusionPlot {
    static final int MARGIN = 20;
    /** Smallest cell side, in pixels; cells grow to fit the widest count. */
    static final int MIN_CELL = 56;
    static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font AXIS_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    static final Font SUBTITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font COUNT_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font DIAGONAL_FONT = COUNT_FONT.deriveFont(Font.BOLD);
    static final Color GRID = new Color(0xC8, 0xC8, 0xC8);
    static final Color ZERO_TEXT = new Color(0xA8, 0xA8, 0xA8);
    static final int BAR_WIDTH = 16;
    static final int GAP = 8;

    /** Matplotlib's "Blues" color map, from a row share of 0 to 1. */
    private static final Color[] BLUES = {
        new Color(0xf7fbff), new Color(0xdeebf7), new Color(0xc6dbef), new Color(0x9ecae1), new Color(0x6baed6),
        new Color(0x4292c6), new Color(0x2171b5), new Color(0x08519c), new Color(0x08306b),
    };
    /** From this row share on, the cell is dark enough for white text. */
    static final double WHITE_TEXT_FROM = 0.5;

    private ConfusionPlot() {}

    /** Where things go; the matrix's top-left corner and cell side are what tests need. */
    record Layout(int width, int height, int matrixX, int matrixY, int cell, int n, boolean rotatedColumnLabels,
            int titleY, int subtitleY, int rowLabelRight, int columnLabelTop, int barX, int barLabelX, int barTitleX) {
        int cellX(int column) {
            return matrixX + column * cell;
        }

        int cellY(int row) {
            return matrixY + row * cell;
        }

        int matrixSize() {
            return n * cell;
        }
    }

    static BufferedImage render(long[][] counts, List<String> classNames, String title) {
        validate(counts, classNames);
        Layout layout = layout(counts, classNames, title);
        BufferedImage image = PlotImages.whiteImage(layout.width(), layout.height());
        Graphics2D g = PlotImages.graphics(image);
        try {
            draw(g, layout, counts, classNames, title);
        } finally {
            g.dispose();
        }
        return image;
    }

    static void validate(long[][] counts, List<String> classNames) {
        if (counts == null) {
            throw new IllegalArgumentException("counts must not be null");
        }
        int n = counts.length;
        if (n == 0) {
            throw new IllegalArgumentException("confusion matrix has no classes");
        }
        for (int r = 0; r < n; r++) {
            if (counts[r] == null) {
                throw new IllegalArgumentException("confusion matrix row " + r + " is null");
            }
            if (counts[r].length != n) {
                throw new IllegalArgumentException("confusion matrix must be square: " + n + " rows, but row " + r
                        + " has " + counts[r].length + " columns");
            }
            for (int c = 0; c < n; c++) {
                if (counts[r][c] < 0) {
                    throw new IllegalArgumentException(
                            "negative count " + counts[r][c] + " at row " + r + ", column " + c);
                }
            }
        }
        if (classNames == null) {
            throw new IllegalArgumentException("class names must not be null");
        }
        if (classNames.size() != n) {
            throw new IllegalArgumentException(
                    classNames.size() + " class names for a " + n + " x " + n + " confusion matrix");
        }
        for (int i = 0; i < n; i++) {
            String name = classNames.get(i);
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("class name " + i + " is " + (name == null ? "null" : "blank"));
            }
        }
    }

    static Layout layout(long[][] counts, List<String> classNames, String title) {
        int n = counts.length;
        FontMetrics label = PlotImages.metrics(LABEL_FONT);
        FontMetrics axis = PlotImages.metrics(AXIS_FONT);
        FontMetrics count = PlotImages.metrics(DIAGONAL_FONT);
        FontMetrics titleFm = PlotImages.metrics(PlotImages.TITLE_FONT);
        FontMetrics subtitle = PlotImages.metrics(SUBTITLE_FONT);

        long widest = 0;
        for (long[] row : counts) {
            for (long v : row) {
                widest = Math.max(widest, v);
            }
        }
        int cell = Math.max(MIN_CELL, count.stringWidth(Long.toString(widest)) + 14);
        int nameWidth = 0;
        for (String name : classNames) {
            nameWidth = Math.max(nameWidth, label.stringWidth(name));
        }
        // Column labels read horizontally if every name fits its column; else they slant at 45 degrees,
        // each ending under its column's center.
        boolean rotated = nameWidth > cell - 6;
        double diagonal = Math.sqrt(0.5);
        int columnLabelHeight = rotated
                ? (int) Math.ceil((nameWidth + label.getAscent()) * diagonal) + GAP
                : label.getHeight() + GAP;
        int slantLeft = rotated ? (int) Math.ceil(nameWidth * diagonal) - cell / 2 : 0;

        int y = MARGIN;
        int titleY = y;
        if (!title.isEmpty()) {
            y += titleFm.getHeight() + 4;
        }
        int subtitleY = y;
        y += subtitle.getHeight() + 14;
        int matrixY = y;
        int rowLabelRight = MARGIN + axis.getHeight() + GAP + nameWidth;
        int matrixX = Math.max(rowLabelRight + GAP, MARGIN + slantLeft);
        rowLabelRight = matrixX - GAP;
        int matrixSize = n * cell;
        int columnLabelTop = matrixY + matrixSize + 4;
        int height = columnLabelTop + columnLabelHeight + axis.getHeight() + MARGIN;

        int barX = matrixX + matrixSize + 24;
        int barLabelX = barX + BAR_WIDTH + 6;
        int barTitleX = barLabelX + label.stringWidth("100%") + GAP;
        int width = barTitleX + label.getHeight() + MARGIN;
        if (!title.isEmpty()) {
            width = Math.max(width, titleFm.stringWidth(title) + 2 * MARGIN);
        }
        width = Math.max(width, subtitle.stringWidth(subtitle(counts)) + 2 * MARGIN);
        return new Layout(width, height, matrixX, matrixY, cell, n, rotated, titleY, subtitleY, rowLabelRight,
                columnLabelTop, barX, barLabelX, barTitleX);
    }

    /** "accuracy 87.31% (8731 of 10000)": the diagonal's share of all counts. */
    static String subtitle(long[][] counts) {
        long total = 0;
        long correct = 0;
        for (int r = 0; r < counts.length; r++) {
            for (int c = 0; c < counts.length; c++) {
                total = Math.addExact(total, counts[r][c]);
            }
            correct += counts[r][r];
        }
        if (total == 0) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "accuracy %.2f%% (%d of %d)", 100.0 * correct / total, correct, total);
    }

    /** Color of a cell whose count is {@code share} of its row (0 to 1), linear in the share. */
    static Color color(double share) {
        double t = Math.max(0, Math.min(1, share)) * (BLUES.length - 1);
        int i = Math.min((int) t, BLUES.length - 2);
        double f = t - i;
        Color a = BLUES[i];
        Color b = BLUES[i + 1];
        return new Color(
                (int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private static void draw(Graphics2D g, Layout l, long[][] counts, List<String> names, String title) {
        int n = l.n();
        int cell = l.cell();
        FontMetrics labelFm = g.getFontMetrics(LABEL_FONT);
        g.setColor(PlotImages.TEXT);
        if (!title.isEmpty()) {
            FontMetrics fm = g.getFontMetrics(PlotImages.TITLE_FONT);
            PlotImages.drawCentered(g, title, PlotImages.TITLE_FONT, l.width() / 2, l.titleY() + fm.getHeight() / 2,
                    l.width() - 2 * MARGIN);
        }
        FontMetrics subFm = g.getFontMetrics(SUBTITLE_FONT);
        PlotImages.drawCentered(g, subtitle(counts), SUBTITLE_FONT, l.width() / 2, l.subtitleY() + subFm.getHeight() / 2,
                l.width() - 2 * MARGIN);

        // Cells: color by row share, count in the middle.
        for (int r = 0; r < n; r++) {
            long rowTotal = 0;
            for (long v : counts[r]) {
                rowTotal += v;
            }
            for (int c = 0; c < n; c++) {
                double share = rowTotal == 0 ? 0 : (double) counts[r][c] / rowTotal;
                g.setColor(color(share));
                g.fillRect(l.cellX(c), l.cellY(r), cell, cell);
                g.setColor(counts[r][c] == 0 ? ZERO_TEXT : share >= WHITE_TEXT_FROM ? Color.WHITE : PlotImages.TEXT);
                PlotImages.drawCentered(g, Long.toString(counts[r][c]), r == c ? DIAGONAL_FONT : COUNT_FONT,
                        l.cellX(c) + cell / 2, l.cellY(r) + cell / 2, Integer.MAX_VALUE);
            }
        }
        g.setColor(GRID);
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i <= n; i++) {
            g.drawLine(l.cellX(i), l.matrixY(), l.cellX(i), l.matrixY() + l.matrixSize());
            g.drawLine(l.matrixX(), l.cellY(i), l.matrixX() + l.matrixSize(), l.cellY(i));
        }

        // Row labels (actual), right-aligned against the matrix.
        g.setColor(PlotImages.TEXT);
        g.setFont(LABEL_FONT);
        for (int r = 0; r < n; r++) {
            String name = names.get(r);
            float baseline = l.cellY(r) + cell / 2f + (labelFm.getAscent() - labelFm.getDescent()) / 2f;
            g.drawString(name, l.rowLabelRight() - labelFm.stringWidth(name), baseline);
        }
        // Column labels (predicted): horizontal under each column, or slanted so each ends under its column.
        for (int c = 0; c < n; c++) {
            String name = names.get(c);
            int centerX = l.cellX(c) + cell / 2;
            if (!l.rotatedColumnLabels()) {
                g.drawString(name, centerX - labelFm.stringWidth(name) / 2f, l.columnLabelTop() + labelFm.getAscent());
            } else {
                AffineTransform saved = g.getTransform();
                g.translate(centerX + labelFm.getAscent() * Math.sqrt(0.5) / 2, l.columnLabelTop());
                g.rotate(-Math.PI / 4);
                g.drawString(name, -labelFm.stringWidth(name), labelFm.getAscent());
                g.setTransform(saved);
            }
        }
        // Axis titles.
        FontMetrics axisFm = g.getFontMetrics(AXIS_FONT);
        int columnLabelsBottom = l.height() - MARGIN - axisFm.getHeight();
        PlotImages.drawCentered(g, "predicted class", AXIS_FONT, l.matrixX() + l.matrixSize() / 2,
                columnLabelsBottom + axisFm.getHeight() / 2, Integer.MAX_VALUE);
        AffineTransform saved = g.getTransform();
        g.translate(MARGIN + axisFm.getHeight() / 2.0, l.matrixY() + l.matrixSize() / 2.0);
        g.rotate(-Math.PI / 2);
        PlotImages.drawCentered(g, "actual class", AXIS_FONT, 0, 0, Integer.MAX_VALUE);
        g.setTransform(saved);

        drawColorBar(g, l, labelFm);
    }

    private static void drawColorBar(Graphics2D g, Layout l, FontMetrics labelFm) {
        int top = l.matrixY();
        int height = l.matrixSize();
        for (int y = 0; y < height; y++) {
            g.setColor(color(1 - (y + 0.5) / height));
            g.fillRect(l.barX(), top + y, BAR_WIDTH, 1);
        }
        g.setColor(GRID);
        g.drawRect(l.barX(), top, BAR_WIDTH, height);
        g.setColor(PlotImages.TEXT);
        g.setFont(LABEL_FONT);
        for (int percent = 0; percent <= 100; percent += 25) {
            int y = top + (int) Math.round(height * (1 - percent / 100.0));
            g.drawLine(l.barX() + BAR_WIDTH, y, l.barX() + BAR_WIDTH + 3, y);
            g.drawString(percent + "%", l.barLabelX(), y + (labelFm.getAscent() - labelFm.getDescent()) / 2f);
        }
        AffineTransform saved = g.getTransform();
        g.translate(l.barTitleX() + labelFm.getHeight() / 2.0, top + height / 2.0);
        g.rotate(Math.PI / 2);
        PlotImages.drawCentered(g, "share of actual class", LABEL_FONT, 0, 0, Integer.MAX_VALUE);
        g.setTransform(saved);
    }
}

package org.lstm4j.cli.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.lstm4j.io.AtomicFiles;

/** Shared pieces of the Java2D-composed figures: the title band, text hints, the atomic PNG write. */
final class PlotImages {
    static final int TITLE_HEIGHT = 40;
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    static final Color TEXT = new Color(0x20, 0x20, 0x20);

    private PlotImages() {}

    /** A white RGB image with a graphics context set up for antialiased text and shapes. */
    static BufferedImage whiteImage(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
        } finally {
            g.dispose();
        }
        return image;
    }

    static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }

    /** Metrics of {@code font} as {@link #graphics} renders it, for layout before the image exists. */
    static FontMetrics metrics(Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(scratch);
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    /**
     * Draws {@code text} centered on {@code centerX} with its baseline placed so the line is vertically
     * centered on {@code centerY}; shrinks the font (down to 10 pt) if the text is wider than {@code maxWidth}.
     */
    static void drawCentered(Graphics2D g, String text, Font font, int centerX, int centerY, int maxWidth) {
        Font f = font;
        FontMetrics fm = g.getFontMetrics(f);
        while (fm.stringWidth(text) > maxWidth && f.getSize2D() > 10) {
            f = f.deriveFont(f.getSize2D() - 1);
            fm = g.getFontMetrics(f);
        }
        g.setFont(f);
        g.drawString(text, centerX - fm.stringWidth(text) / 2f, centerY + (fm.getAscent() - fm.getDescent()) / 2f);
    }

    /** Renders the image as a PNG into {@code target} atomically, creating its directory if needed. */
    static void writePng(BufferedImage image, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        AtomicFiles.write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}

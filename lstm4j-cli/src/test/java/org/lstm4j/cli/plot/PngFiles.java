package org.lstm4j.cli.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Checks shared by the plot tests: a written file is a real PNG, and nothing else is left beside it. */
final class PngFiles {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** Reads {@code png} back, checking the signature and that ImageIO decodes it. */
    static BufferedImage read(Path png) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), png + " is not a PNG");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " does not decode");
        return image;
    }

    /** The directory holds exactly these file names: an atomic write leaves no temporary file. */
    static void assertOnlyFiles(Path dir, String... names) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(names).stream().sorted().toList(),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** Whether any pixel in the rectangle differs from {@code rgb}. */
    static boolean anyPixelOtherThan(BufferedImage image, int rgb, int x, int y, int width, int height) {
        for (int j = y; j < y + height; j++) {
            for (int i = x; i < x + width; i++) {
                if ((image.getRGB(i, j) & 0xffffff) != (rgb & 0xffffff)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Number of pixels in the rectangle within {@code tolerance} (per channel) of {@code rgb}. */
    static int countNear(BufferedImage image, int rgb, int tolerance, int x, int y, int width, int height) {
        int count = 0;
        for (int j = y; j < y + height; j++) {
            for (int i = x; i < x + width; i++) {
                int p = image.getRGB(i, j);
                if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= tolerance
                        && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= tolerance
                        && Math.abs((p & 0xff) - (rgb & 0xff)) <= tolerance) {
                    count++;
                }
            }
        }
        return count;
    }

    private PngFiles() {}
}

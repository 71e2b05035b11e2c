package org.lstm4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.lstm4j.io.SafeTensors;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/** The PyTorch reference fixtures under src/test/resources/fixtures, and the tolerance they are held to. */
public final class Fixtures {
    /** The tolerance: |a − e| ≤ ATOL + RTOL·|e|. */
    public static final float ATOL = 1e-5f;
    public static final float RTOL = 1e-4f;

    private Fixtures() {}

    /** Every .safetensors file in {@code fixtures/<dir>}, sorted; fails if there are none. */
    public static List<Path> list(String dir) {
        URL url = Fixtures.class.getResource("/fixtures/" + dir);
        if (url == null) {
            throw new AssertionError("fixture directory fixtures/" + dir + " is missing; run scripts/fixtures/make_fixtures.py");
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<Path> out = files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
            if (out.isEmpty()) {
                throw new AssertionError("no fixtures in fixtures/" + dir);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path path(String relative) {
        URL url = Fixtures.class.getResource("/fixtures/" + relative);
        if (url == null) {
            throw new AssertionError("fixture fixtures/" + relative + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SafeTensorsFile load(Path path) {
        try {
            return SafeTensors.read(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts equal shapes and every element within the tolerance, naming the worst element. */
    public static void assertClose(String what, Tensor expected, Tensor actual) {
        if (actual == null) {
            fail(what + ": no value (expected shape " + Shape.toString(expected.shape()) + ")");
        }
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.data();
        float[] a = actual.data();
        int worst = -1;
        float worstExcess = 0f;
        for (int i = 0; i < e.length; i++) {
            float excess = Math.abs(a[i] - e[i]) - (ATOL + RTOL * Math.abs(e[i]));
            if (!(excess <= 0f) && (worst < 0 || !(excess <= worstExcess))) {
                worst = i;
                worstExcess = excess;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " is " + a[worst] + ", expected " + e[worst]
                    + " (beyond " + ATOL + " + " + RTOL + "·|expected|)");
        }
    }
}

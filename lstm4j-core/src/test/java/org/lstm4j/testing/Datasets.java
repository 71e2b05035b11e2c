package org.lstm4j.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real public datasets the tests may read (MNIST, Fashion-MNIST, Tiny Shakespeare), kept outside the
 * repository: in {@code $LSTM4J_DATASETS} if set, else in {@code ../shared/datasets} beside the project
 * root ({@code ../../shared/datasets} from a module). A test that needs one calls {@link #require}, which
 * skips the test when the dataset is absent, or fails it when {@code LSTM4J_REQUIRE_DATASETS=1} (for
 * machines where the datasets must be there).
 */
public final class Datasets {
    static final String ROOT_VARIABLE = "LSTM4J_DATASETS";
    static final String REQUIRE_VARIABLE = "LSTM4J_REQUIRE_DATASETS";

    private Datasets() {}

    /** The datasets directory (which may not exist). */
    public static Path root() {
        return root(System.getenv(), moduleDir());
    }

    /**
     * {@code root().resolve(relative)} if it exists; otherwise skips the calling test, or fails it naming the
     * path looked at when {@code LSTM4J_REQUIRE_DATASETS=1}.
     */
    public static Path require(String relative) {
        return require(relative, System.getenv(), moduleDir());
    }

    /** Surefire runs tests in the module directory and also passes it as {@code basedir}. */
    private static Path moduleDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    static Path root(Map<String, String> env, Path moduleDir) {
        String configured = env.get(ROOT_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return moduleDir.resolve("../../shared/datasets").toAbsolutePath().normalize();
    }

    static Path require(String relative, Map<String, String> env, Path moduleDir) {
        Path root = root(env, moduleDir);
        Path path = root.resolve(relative).normalize();
        if (Files.exists(path)) {
            return path;
        }
        String message = "dataset " + path + " is absent (datasets are looked for in " + root + ", from $" + ROOT_VARIABLE
                + " if set, else ../../shared/datasets from the module directory)";
        if ("1".equals(env.get(REQUIRE_VARIABLE))) {
            fail(message + "; " + REQUIRE_VARIABLE + "=1 makes this a failure");
        }
        assumeTrue(false, message + "; skipping (set " + REQUIRE_VARIABLE + "=1 to fail instead)");
        throw new AssertionError("unreachable: assumeTrue(false) aborts the test");
    }
}

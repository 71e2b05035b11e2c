package org.lstm4j.cli.spark;

import org.lstm4j.spark.SparkDatasetTraining;

/** Checks {@code --spark MASTER} before anything is loaded or written: Spark present, the master usable. */
public final class SparkMaster {
    private SparkMaster() {}

    /** What to do when Spark is not on the class path. */
    static final String HOW_TO_GET_SPARK = "--spark needs Apache Spark on the class path, and this JVM has none:"
            + " run lstm4j through ./lstm4j (which fetches Spark's jars with Maven once, into"
            + " lstm4j-spark/target/spark.classpath), or submit lstm4j-spark-<version>-all.jar with spark-submit"
            + " (--class org.lstm4j.cli.Main)";

    /**
     * @throws IllegalArgumentException when Spark is missing (saying how to get it), or naming the master URL and
     *     what was expected, or the standalone master that cannot be reached and why
     */
    public static void check(String master) {
        if (!SparkDatasetTraining.sparkOnClassPath()) {
            throw new IllegalArgumentException(HOW_TO_GET_SPARK);
        }
        try {
            SparkDatasetTraining.checkMaster(master);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--spark: " + e.getMessage(), e);
        }
    }

    /** The line a command prints under its header when it trains on Spark. */
    public static String describe(String master, boolean dropout) {
        return "spark: " + master + "; each step's gradient computed by the partitions, summed in partition order"
                + (dropout ? "; note: with dropout each partition draws its own masks, so the run differs from a"
                        + " single-process one by more than float rounding" : "");
    }
}

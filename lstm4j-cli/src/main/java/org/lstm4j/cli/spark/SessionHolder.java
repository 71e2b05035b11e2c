package org.lstm4j.cli.spark;

import org.lstm4j.nn.Module;
import org.lstm4j.spark.SparkDatasetTraining;

/** The session, for listeners and checkpoint suppliers made before it is started. */
final class SessionHolder<M extends Module> {
    private SparkDatasetTraining.Session<M> session;

    void set(SparkDatasetTraining.Session<M> value) {
        session = value;
    }

    SparkDatasetTraining.Session<M> get() {
        if (session == null) {
            throw new IllegalStateException("the Spark session has not started");
        }
        return session;
    }
}

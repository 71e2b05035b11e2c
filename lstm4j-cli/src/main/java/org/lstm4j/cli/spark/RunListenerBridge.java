package org.lstm4j.cli.spark;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.cli.train.RunListener;
import org.lstm4j.nn.Module;
import org.lstm4j.spark.SparkDatasetTraining;
import org.lstm4j.spark.SparkStepEvent;
import org.lstm4j.train.EpochResult;
import org.lstm4j.train.StepEvent;

/** A Spark session's events to the command's {@link RunListener}s, in their order (the run's own first). */
final class RunListenerBridge<M extends Module> implements SparkDatasetTraining.Listener<M> {
    private final List<RunListener> listeners = new ArrayList<>();

    RunListenerBridge(RunListener first, List<RunListener> others) {
        listeners.add(first);
        listeners.addAll(others);
    }

    @Override
    public void onStart(SparkDatasetTraining.Session<M> session) {
        listeners.forEach(l -> l.onStart(session.step(), session.elapsedSeconds()));
    }

    @Override
    public void onStep(SparkDatasetTraining.Session<M> session, StepEvent step, SparkStepEvent spark) {
        listeners.forEach(l -> l.onStep(step));
    }

    @Override
    public void onEpochEnd(SparkDatasetTraining.Session<M> session, EpochResult epoch) {
        listeners.forEach(l -> l.onEpochEnd(epoch));
    }
}

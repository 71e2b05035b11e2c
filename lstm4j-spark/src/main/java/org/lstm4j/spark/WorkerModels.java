package org.lstm4j.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lstm4j.nn.Module;

/**
 * The models an executor JVM trains with, kept between steps so a task does not rebuild (and re-initialise)
 * its model every step: each running task takes one, loads the step's parameters into it and gives it back.
 * Tasks running at the same time get different instances. Keyed by the training run, keeping the idle models
 * of the few latest runs only.
 */
final class WorkerModels {
    private WorkerModels() {}

    private static final int RUNS_KEPT = 4;

    private static final Map<String, Deque<Module>> IDLE = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Module>> eldest) {
            return size() > RUNS_KEPT;
        }
    };

    /** An idle model of this run, or a new one from the factory. */
    static <M extends Module> M take(String runId, ModelFactory<M> factory) {
        Module idle;
        synchronized (IDLE) {
            Deque<Module> models = IDLE.get(runId);
            idle = models == null ? null : models.poll();
        }
        @SuppressWarnings("unchecked")
        M model = idle != null ? (M) idle : factory.create();
        return model;
    }

    static void giveBack(String runId, Module model) {
        synchronized (IDLE) {
            IDLE.computeIfAbsent(runId, k -> new ArrayDeque<>()).push(model);
        }
    }
}

package org.lstm4j.workloads;

/** One unit of timed work: a training step, a forward pass, or one streaming call. */
@FunctionalInterface
public interface BenchStep {
    void run();
}

package org.lstm4j.spark;

/**
 * One synchronous step as the driver saw it.
 *
 * @param step             optimisation steps done, this one included (across resumes)
 * @param epoch            the epoch this step belongs to, from 1
 * @param batchInEpoch     this step's batch within its epoch, from 1
 * @param batchesPerEpoch  batches in one epoch
 * @param loss             the mean loss over the global batch
 * @param lr               the learning rate the update used
 * @param batchSize        examples in the global batch
 * @param partitions       partitions that computed a share (the others had no example of this batch)
 * @param seconds          wall time of the whole step on the driver
 * @param jobSeconds       of which the Spark job (broadcast fetch, gathering, forward, backward, results)
 * @param maxComputeSeconds the slowest partition's forward and backward
 * @param updateSeconds    the driver's sum of the gradients and optimizer update
 * @param broadcastBytes   the parameters broadcast for this step (each executor fetches them once)
 * @param taskBytes        the serialized step function shipped to the executors (the batch's indices, the
 *                         factories, with truncated BPTT the carried state of every row of the batch; Spark
 *                         broadcasts it once per step as well)
 * @param gradientBytes    the gradients the partitions sent back (payload: 4 bytes per parameter per share)
 * @param stateBytes       with truncated BPTT, the new carried state the partitions sent back (payload: 4 bytes
 *                         per value of h, and c, for every row of the batch); 0 otherwise
 * @param retriedTasks     tasks whose result came from a retry (attempt > 0)
 */
public record SparkStepEvent(long step, int epoch, int batchInEpoch, int batchesPerEpoch, float loss, double lr, int batchSize, int partitions, double seconds,
        double jobSeconds, double maxComputeSeconds, double updateSeconds, long broadcastBytes, long taskBytes,
        long gradientBytes, long stateBytes, int retriedTasks) {

    /**
     * Bytes moved by this step's payloads (parameters once, the step function once, every gradient, the carried
     * state returned).
     */
    public long totalBytes() {
        return broadcastBytes + taskBytes + gradientBytes + stateBytes;
    }
}

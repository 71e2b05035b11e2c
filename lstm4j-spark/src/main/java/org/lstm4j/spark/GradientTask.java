package org.lstm4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.lstm4j.data.Batch;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.nn.Module;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.train.Loss;

/**
 * One step's work on one partition: load the broadcast parameters into this executor's model, run forward
 * and backward on the partition's share of the global batch with the loss scaled by share / batch size, and
 * return the gradient. With truncated BPTT the share's rows start from the carried state the driver sent
 * with the task for them, and their new final state (detached) goes back with the gradient. Runs with
 * {@code spark.task.cpus} kernel threads of its own. A retried attempt computes exactly the same result (same
 * parameters, same examples, same starting state, same arithmetic), so a failed task changes nothing.
 */
final class GradientTask<M extends Module, E, T> implements Function2<Integer, Iterator<List<E>>, Iterator<ShareGradient>> {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final long step;
    private final ModelFactory<M> modelFactory;
    /** The forward pass; null with truncated BPTT. */
    private final ForwardFunction<M> forward;
    /** The forward pass from a carried state (truncated BPTT), or null. */
    private final StatefulForwardFunction<M> statefulForward;
    private final LossFactory<T> lossFactory;
    private final Collator<E, T> collator;
    private final Broadcast<float[]> parameters;
    private final int[] parameterSizes;
    /** Per partition, the positions in that partition of its examples of the batch, in batch order. */
    private final int[][] shares;
    private final int batchSize;
    /**
     * With truncated BPTT, per partition, the carried state of its rows of the batch (null entries at the start
     * of an epoch: zeros); null otherwise.
     */
    private final CarriedRows[] carriedIn;

    GradientTask(String runId, long step, ModelFactory<M> modelFactory, ForwardFunction<M> forward,
            StatefulForwardFunction<M> statefulForward, LossFactory<T> lossFactory, Collator<E, T> collator,
            Broadcast<float[]> parameters, int[] parameterSizes, int[][] shares, int batchSize, CarriedRows[] carriedIn) {
        this.runId = runId;
        this.step = step;
        this.modelFactory = modelFactory;
        this.forward = forward;
        this.statefulForward = statefulForward;
        this.carriedIn = carriedIn;
        this.lossFactory = lossFactory;
        this.collator = collator;
        this.parameters = parameters;
        this.parameterSizes = parameterSizes;
        this.shares = shares;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<ShareGradient> call(Integer partition, Iterator<List<E>> examples) {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        int threads = Math.max(1, Math.min(task == null ? 1 : task.cpus(), Parallelism.maxThreads()));
        int[] share = shares[partition];
        if (share.length == 0) {
            return List.of(new ShareGradient(partition, null, null, 0, 0, 0, attempt, threads, null)).iterator();
        }
        if (!examples.hasNext()) {
            throw new IllegalStateException("step " + step + ": partition " + partition + " holds no examples, but the"
                    + " driver counted " + share.length + " of the batch in it: the examples RDD must give the same"
                    + " partitions every time it is computed");
        }
        List<E> local = examples.next();
        // glom() gives one list per partition; reaching the end also releases the cached block's read lock.
        if (examples.hasNext()) {
            throw new IllegalStateException("step " + step + ": partition " + partition + " gave more than one list of"
                    + " examples; expected the cached glom() of the examples RDD");
        }
        List<E> selected = new ArrayList<>(share.length);
        for (int position : share) {
            if (position >= local.size()) {
                throw new IllegalStateException("step " + step + ": partition " + partition + " holds " + local.size()
                        + " examples, but the batch needs its example " + position + ": the examples RDD must give"
                        + " the same partitions every time it is computed");
            }
            selected.add(local.get(position));
        }
        ShareGradient result = Parallelism.callWithThreads(threads, () -> compute(partition, selected, attempt, threads));
        return List.of(result).iterator();
    }

    private ShareGradient compute(int partition, List<E> selected, int attempt, int threads) {
        long start = System.nanoTime();
        M model = WorkerModels.take(runId, modelFactory);
        try {
            List<Tensor> params = model.parameters();
            ParameterVector.load(parameters.value(), params, parameterSizes);
            model.train();
            // Null, not zero: a parameter the backward pass does not reach must stay without a gradient.
            for (Tensor p : params) {
                p.setGrad(null);
            }
            Batch<T> batch = collator.collate(selected);
            Loss<T> loss = lossFactory.create();
            Tensor output;
            CarriedRows carriedOut = null;
            if (statefulForward != null) {
                CarriedRows from = carriedIn[partition];
                RecurrentOutput out = statefulForward.forward(model, batch.inputs(), from == null ? null : from.toState());
                carriedOut = CarriedRows.of(out.state().detach());
                output = out.output();
            } else {
                output = forward.forward(model, batch.inputs());
            }
            Tensor mean = loss.forward(output, batch.targets());
            float meanValue = mean.item();
            // Mean over the share × share / batch = (sum over the share) / batch: the shares add up to the mean.
            float weight = (float) selected.size() / batchSize;
            mean.mul(weight).backward();
            boolean[] hasGradient = new boolean[params.size()];
            float[] gradient = ParameterVector.gradients(params, hasGradient);
            return new ShareGradient(partition, gradient, hasGradient, (double) meanValue * selected.size() / batchSize,
                    selected.size(), System.nanoTime() - start, attempt, threads, carriedOut);
        } finally {
            WorkerModels.giveBack(runId, model);
        }
    }
}

package org.lstm4j.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.lstm4j.tensor.Generator;

/**
 * Batches of a {@link Dataset}, one epoch at a time, as {@code torch.utils.data.DataLoader} (single process):
 * batches of {@code batchSize} examples in order or shuffled, the last one partial unless {@code dropLast}.
 *
 * <p>Shuffling draws a Fisher–Yates permutation at the start of each epoch from the loader's own
 * {@link Generator} (by default {@code new Generator(0)}, not the process-wide one, so the order does not
 * depend on how many numbers model initialisation or dropout drew). An epoch's {@link Position} (the
 * generator state the order was drawn from and the batches done) can be saved with a checkpoint; {@link
 * #resume} then continues with exactly the batches the uninterrupted epoch would have returned, and leaves
 * the generator where that epoch would have.
 *
 * <pre>{@code
 * DataLoader<IndexTensor> loader = DataLoader.builder(train).batchSize(64).shuffle(true).build();
 * for (Batch<IndexTensor> batch : loader) { ... }
 * }</pre>
 *
 * @param <T> the type of a batch's targets
 */
public final class DataLoader<T> implements Iterable<Batch<T>> {
    private final Dataset<T> dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Generator generator;

    private DataLoader(Builder<T> b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.generator = b.generator != null ? b.generator : new Generator(0);
    }

    /** A builder with batch size 1, no shuffling, the partial last batch kept and a new {@code Generator(0)}. */
    public static <T> Builder<T> builder(Dataset<T> dataset) {
        return new Builder<>(Objects.requireNonNull(dataset, "dataset"));
    }

    /** Options of a {@link DataLoader}. */
    public static final class Builder<T> {
        private final Dataset<T> dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private Generator generator;

        private Builder(Dataset<T> dataset) {
            this.dataset = dataset;
        }

        /** Examples per batch (default 1). */
        public Builder<T> batchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Whether each epoch visits the examples in a new random order (default false). */
        public Builder<T> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Whether to leave out the last batch of an epoch when it would be smaller than the batch size (default false). */
        public Builder<T> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** The generator the shuffled orders are drawn from; the loader advances it (default {@code new Generator(0)}). */
        public Builder<T> generator(Generator generator) {
            this.generator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        public DataLoader<T> build() {
            return new DataLoader<>(this);
        }
    }

    public Dataset<T> dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public boolean dropLast() {
        return dropLast;
    }

    /** The generator the shuffled orders are drawn from (shared, not a copy). */
    public Generator generator() {
        return generator;
    }

    /** Batches per epoch at the dataset's current size: the partial last batch counts unless {@code dropLast}. */
    public int numBatches() {
        return numBatches(dataset.size());
    }

    private int numBatches(int size) {
        return dropLast ? size / batchSize : (int) (((long) size + batchSize - 1) / batchSize);
    }

    /**
     * Starts an epoch. When shuffling, this records the generator's state as the epoch's order state and
     * then draws the order from it.
     */
    public Epoch<T> epoch() {
        return start(shuffle ? generator.getState() : null, 0);
    }

    /** A new {@link #epoch()}, so that a for-each loop runs one epoch. */
    @Override
    public Iterator<Batch<T>> iterator() {
        return epoch();
    }

    /**
     * Continues an epoch from a saved {@link Epoch#position()}: sets the generator to the position's order
     * state, draws the same order again and skips the batches already done without gathering them. The
     * batches that follow are those the uninterrupted epoch would have returned next, and the generator is
     * left where that epoch left it.
     *
     * @throws IllegalArgumentException if the position comes from a loader that shuffles when this one does
     *     not (or the reverse), or is beyond the end of an epoch of this loader
     */
    public Epoch<T> resume(Position position) {
        Objects.requireNonNull(position, "position");
        if (shuffle && position.orderState() == null) {
            throw new IllegalArgumentException("this loader shuffles, but the position has no order state (it was saved"
                    + " from a loader that does not shuffle)");
        }
        if (!shuffle && position.orderState() != null) {
            throw new IllegalArgumentException("this loader does not shuffle, but the position has an order state (it was"
                    + " saved from a loader that shuffles)");
        }
        int batches = numBatches();
        if (position.batchesDone() > batches) {
            throw new IllegalArgumentException("the position is after batch " + position.batchesDone() + ", but an epoch has "
                    + batches + " batches (" + dataset.size() + " examples, batch size " + batchSize
                    + (dropLast ? ", last partial batch dropped)" : ")"));
        }
        if (shuffle) {
            generator.setState(position.orderState());
        }
        return start(position.orderState(), position.batchesDone());
    }

    private Epoch<T> start(Generator.State orderState, int batchesDone) {
        int size = dataset.size();
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        if (shuffle) {
            // Fisher–Yates from the end: every permutation equally likely, size - 1 draws.
            for (int i = size - 1; i > 0; i--) {
                int j = generator.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return new Epoch<>(dataset, order, batchSize, numBatches(size), orderState, batchesDone);
    }

    /**
     * Where an epoch is: the generator state its order was drawn from (null when not shuffling) and how many
     * batches it has returned. Save it (the state as {@link Generator.State#toInts()}) to resume with
     * {@link DataLoader#resume}.
     */
    public record Position(Generator.State orderState, int batchesDone) {
        public Position {
            if (batchesDone < 0) {
                throw new IllegalArgumentException("batches done must be >= 0, got " + batchesDone);
            }
        }
    }

    /**
     * One pass over the dataset in a fixed order. Each {@link #next()} gathers one new batch; the order array
     * is shared by all of the epoch's batches, so nothing else is allocated per batch.
     */
    public static final class Epoch<T> implements Iterator<Batch<T>> {
        private final Dataset<T> dataset;
        private final int[] order;
        private final int batchSize;
        private final int numBatches;
        private final Generator.State orderState;
        private int batchesDone;

        private Epoch(Dataset<T> dataset, int[] order, int batchSize, int numBatches, Generator.State orderState,
                int batchesDone) {
            this.dataset = dataset;
            this.order = order;
            this.batchSize = batchSize;
            this.numBatches = numBatches;
            this.orderState = orderState;
            this.batchesDone = batchesDone;
        }

        @Override
        public boolean hasNext() {
            return batchesDone < numBatches;
        }

        @Override
        public Batch<T> next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the epoch's " + numBatches + " batches are all done");
            }
            int from = batchesDone * batchSize;
            int count = Math.min(batchSize, order.length - from);
            Batch<T> batch = dataset.gather(order, from, count);
            batchesDone++;
            return batch;
        }

        /** The position after the batches returned so far: resuming from it continues with the next one. */
        public Position position() {
            return new Position(orderState, batchesDone);
        }

        /** Batches in this epoch. */
        public int numBatches() {
            return numBatches;
        }
    }
}

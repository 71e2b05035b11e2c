package org.lstm4j.nn.rnn;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The large per-call buffers of one layer and direction (gate activations, saved states, gate gradients),
 * reused across calls so that steady-state training and inference do not allocate them again.
 *
 * <p>A forward takes the buffers and owns them; it hands them back at once when nothing will be
 * differentiated (no grad), otherwise when its graph is freed: right after a backward that does not retain
 * the graph. A retained graph keeps them for its next backward. A forward that finds them taken (the previous
 * graph has not been backwarded yet, or was retained) allocates fresh ones, so graphs never share buffers. A
 * kernel whose buffers were handed back cannot run its backward again; it says so instead of reading
 * overwritten activations.
 */
public final class LayerWorkspace {
    private final AtomicReference<Buffers> free = new AtomicReference<>();

    /** Buffers for {@code owner}: the pooled ones if free, else new ones. */
    Buffers take(Object owner) {
        Buffers b = free.getAndSet(null);
        if (b == null) {
            b = new Buffers();
        }
        b.owner = owner;
        return b;
    }

    /** Returns buffers to the pool; the owner keeps them (and may use them again) until another take. */
    void give(Buffers b) {
        free.set(b);
    }

    /** Numbered arrays, grown on demand (never shrunk); contents are unspecified on take. */
    static final class Buffers {
        private final float[][] slots = new float[SequenceKernel.SLOTS][];
        volatile Object owner;

        float[] get(int slot, int length) {
            if (length < 0) {
                // SequenceSizes checks every size up front; a negative one is an int product that wrapped.
                throw new IllegalStateException("workspace buffer " + slot + " of " + length
                        + " elements: a size computation overflowed");
            }
            float[] a = slots[slot];
            if (a == null || a.length < length) {
                a = new float[length];
                slots[slot] = a;
            }
            return a;
        }

        boolean ownedBy(Object kernel) {
            return owner == kernel;
        }
    }
}

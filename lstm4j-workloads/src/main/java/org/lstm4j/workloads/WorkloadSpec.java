package org.lstm4j.workloads;

/**
 * One fixed benchmark workload: a recurrent stack (batch first, float32) with an optional linear head and loss.
 * The PyTorch and ONNX Runtime sides ({@code bench/pytorch_bench.py}, {@code OrtBench}) implement the same
 * specifications by name.
 *
 * @param name          the name users type ({@code --workload charlm})
 * @param mode          training step or forward only
 * @param description   one line for the listing
 * @param cell          recurrent cell
 * @param inputSize     features per time step fed to the first layer
 * @param hiddenSize    hidden size of every layer
 * @param numLayers     stacked layers
 * @param bidirectional two directions per layer
 * @param batch         sequences per step
 * @param seq           time steps per sequence (1 for the streaming workload: one call per step)
 * @param head          where the linear read-out is applied
 * @param headOut       output features of the read-out (0 without a head)
 * @param loss          loss of a training step
 */
public record WorkloadSpec(String name, Mode mode, String description, Cell cell, int inputSize, int hiddenSize,
        int numLayers, boolean bidirectional, int batch, int seq, Head head, int headOut, Loss loss) {

    /** The recurrent cell, with its gate blocks per hidden unit (what the flop count multiplies by). */
    public enum Cell {
        LSTM(4),
        GRU(3),
        /** Elman RNN, tanh. */
        RNN(1);

        private final int gates;

        Cell(int gates) {
            this.gates = gates;
        }

        /** 4 for LSTM (i, f, g, o), 3 for GRU (r, z, n), 1 for a plain RNN. */
        public int gates() {
            return gates;
        }
    }

    /** Where the linear read-out reads the recurrent output. */
    public enum Head {
        /** No read-out: the recurrent output is the result. */
        NONE,
        /** On every time step: (B·T, H·D) rows. */
        EVERY_STEP,
        /** On the last time step only: (B, H·D) rows. */
        LAST_STEP
    }

    /** Loss of a training step. */
    public enum Loss {
        NONE,
        CROSS_ENTROPY,
        MSE
    }

    /** Tokens processed per step: batch × sequence length. */
    public long tokensPerStep() {
        return (long) batch * seq;
    }

    /** 2 for bidirectional stacks, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }
}

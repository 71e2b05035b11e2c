package org.lstm4j.nn.rnn;

import org.lstm4j.tensor.Shape;

/**
 * The sizes of the arrays one recurrent call allocates, checked before any of them is: the gate activations
 * and their gradients (T·B·G·H), the outputs (T·B·D·H_out) and the stacked final states (L·D·B·H). Each is one
 * Java array, so none may pass {@link Shape#MAX_ARRAY_LENGTH}; in int arithmetic a long sequence would wrap
 * around to a negative size and fail deep inside the workspace instead.
 */
public final class SequenceSizes {
    private SequenceSizes() {}

    /**
     * Checks every buffer of a call over {@code steps} × {@code batch} (the weights, and so the per-row sizes,
     * exist already and fit).
     *
     * @param outputSize H_out: the projection size of a projecting LSTM, else the hidden size
     * @param directions D, 1 or 2: the output of a bidirectional layer holds both directions side by side
     * @param stateCount L·D, the number of stacked final states (1 for a single layer and direction)
     * @throws IllegalArgumentException naming the buffer, its dimensions, its element count and the limit,
     *     and what to do: shorter chunks of the sequence carrying the state, or smaller batches when even one
     *     step is too large
     */
    public static void check(CellType type, int steps, int batch, int hiddenSize, int outputSize, int directions,
            int stateCount) {
        String layer = layerName(type);
        int gateWidth = Math.multiplyExact(type.gateBlocks(), hiddenSize);
        int outputWidth = Math.multiplyExact(directions, outputSize);
        String gates = type.gateBlocks() == 1 ? "H" : type.gateBlocks() + "H";
        String outputs = directions == 1 ? "H_out" : "D·H_out";
        // Per step, the largest of the buffers that grow with the sequence: what one chunk may hold T times.
        long perStep = (long) batch * Math.max(gateWidth, outputWidth);
        String advice = perStep <= Shape.MAX_ARRAY_LENGTH ? sequenceAdvice(type, perStep) : BATCH_ADVICE;
        Shape.arrayLength(layer + " gate buffer", new String[] {"T", "B", gates},
                new int[] {steps, batch, gateWidth}, advice);
        Shape.arrayLength(layer + " output", new String[] {"T", "B", outputs},
                new int[] {steps, batch, outputWidth}, advice);
        Shape.arrayLength(layer + " final states", new String[] {"L·D", "B", "H"},
                new int[] {stateCount, batch, Math.max(hiddenSize, outputSize)}, BATCH_ADVICE);
    }

    static final String BATCH_ADVICE = "split the batch into smaller batches";

    /** Shorter chunks, with the longest that fits, and the state to carry. */
    static String sequenceAdvice(CellType type, long perStep) {
        long maxSteps = Shape.MAX_ARRAY_LENGTH / perStep;
        return "split the sequence into shorter chunks (at most " + maxSteps + " steps at this batch size) and"
                + " carry the state " + (type == CellType.LSTM ? "(h_n, c_n)" : "h_n") + " from one chunk to the next";
    }

    static String layerName(CellType type) {
        return switch (type) {
            case LSTM -> "LSTM";
            case GRU -> "GRU";
            case RNN_TANH, RNN_RELU -> "RNN";
        };
    }
}

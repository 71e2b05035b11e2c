package org.lstm4j.nn;

import java.util.Arrays;
import java.util.Objects;
import org.lstm4j.nn.rnn.LstmStepKernel;
import org.lstm4j.tensor.Tensor;

/**
 * Serves one sequence through an {@link LSTM} a time step per call, carrying (h, c) between calls: what a
 * model server or a streaming signal processor does. Made by {@link LSTM#stream()}, it takes a snapshot of
 * the weights, packed once for one-row products (as an inference session does), so later changes to the
 * LSTM's parameters are not seen: make a new stream after training further or loading weights.
 *
 * <p>It computes what {@code lstm.forward} computes in eval mode (no dropout) for batch 1 and one step,
 * within float rounding; nothing is recorded for autograd, and {@link #step(float[], float[])} allocates
 * nothing. Not thread-safe: one stream per sequence.
 */
public final class LSTMStream {
    private final LstmStepKernel kernel;
    private final int layers;
    private final int hidden;
    private final float[] h;
    private final float[] c;

    LSTMStream(LSTM lstm) {
        if (lstm.isBidirectional()) {
            throw new IllegalArgumentException("LSTM.stream(): a bidirectional LSTM needs the whole sequence; "
                    + "streaming one step at a time supports unidirectional LSTMs only");
        }
        if (lstm.outputSize() != lstm.hiddenSize()) {
            throw new IllegalArgumentException("LSTM.stream(): proj_size=" + lstm.outputSize()
                    + " is not supported; use forward() for projecting LSTMs");
        }
        this.kernel = new LstmStepKernel(lstm.layerWeights(), lstm.inputSize(), lstm.hiddenSize());
        this.layers = lstm.numLayers();
        this.hidden = lstm.hiddenSize();
        this.h = new float[layers * hidden];
        this.c = new float[layers * hidden];
    }

    /**
     * Feeds one time step and returns the last layer's new hidden state, shape (hiddenSize).
     *
     * @param x the step's input: inputSize values, shaped (inputSize), (1, inputSize) or (1, 1, inputSize)
     */
    public Tensor step(Tensor x) {
        Objects.requireNonNull(x, "x");
        int[] shape = x.shape();
        boolean oneStep = shape.length >= 1 && shape.length <= 3 && shape[shape.length - 1] == kernel.inputSize()
                && x.numel() == kernel.inputSize();
        if (!oneStep) {
            throw new IllegalArgumentException("LSTMStream.step: expected one step of one sequence, shaped ("
                    + kernel.inputSize() + "), (1, " + kernel.inputSize() + ") or (1, 1, " + kernel.inputSize()
                    + "), got " + Arrays.toString(shape));
        }
        kernel.step(x.data(), 0, h, c);
        return Tensor.of(Arrays.copyOfRange(h, (layers - 1) * hidden, layers * hidden), hidden);
    }

    /**
     * Feeds one time step without allocating: {@code x} holds inputSize values, {@code y} receives the last
     * layer's new hidden state (hiddenSize values).
     */
    public void step(float[] x, float[] y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != kernel.inputSize() || y.length != hidden) {
            throw new IllegalArgumentException("LSTMStream.step: expected x of " + kernel.inputSize() + " and y of "
                    + hidden + " floats, got " + x.length + " and " + y.length);
        }
        kernel.step(x, 0, h, c);
        System.arraycopy(h, (layers - 1) * hidden, y, 0, hidden);
    }

    /** A copy of the carried state, h and c each shaped (numLayers, 1, hiddenSize) as forward returns them. */
    public RecurrentState state() {
        return new RecurrentState(Tensor.of(h.clone(), layers, 1, hidden), Tensor.of(c.clone(), layers, 1, hidden));
    }

    /** Continues from {@code state}: h and c each with numLayers × hiddenSize values ((numLayers, 1, H) or (numLayers, H)). */
    public void state(RecurrentState state) {
        Objects.requireNonNull(state, "state");
        if (state.h() == null || state.c() == null || state.h().numel() != h.length || state.c().numel() != c.length) {
            throw new IllegalArgumentException("LSTMStream.state: expected h and c of " + layers + " x 1 x " + hidden
                    + " values, got h " + (state.h() == null ? "null" : Arrays.toString(state.h().shape()))
                    + " and c " + (state.c() == null ? "null" : Arrays.toString(state.c().shape())));
        }
        System.arraycopy(state.h().data(), 0, h, 0, h.length);
        System.arraycopy(state.c().data(), 0, c, 0, c.length);
    }

    /** Back to the zero state, for a new sequence. */
    public void reset() {
        Arrays.fill(h, 0f);
        Arrays.fill(c, 0f);
    }
}

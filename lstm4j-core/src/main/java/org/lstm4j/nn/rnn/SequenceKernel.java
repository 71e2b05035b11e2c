package org.lstm4j.nn.rnn;

/**
 * One layer and direction over a whole sequence, time-major (T, B, features), with the activations its
 * hand-written backward needs kept from the forward pass. One instance serves one forward call.
 *
 * <p>Forward: one GEMM projects the inputs of all time steps; each step then does one recurrent GEMM and
 * one fused pass over the gates. Backward walks the steps in reverse with one GEMM per step for the state
 * gradient, collecting the gate gradients of all steps so that the weight and input gradients are each a
 * single large GEMM at the end.
 */
abstract class SequenceKernel {
    final int steps;
    final int batch;
    final int inputSize;
    final int hiddenSize;
    /** Size of the emitted state: the projection size for a projecting LSTM, else the hidden size. */
    final int outputSize;
    final boolean reverse;

    SequenceKernel(int steps, int batch, int inputSize, int hiddenSize, int outputSize, boolean reverse) {
        this.steps = steps;
        this.batch = batch;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.outputSize = outputSize;
        this.reverse = reverse;
    }

    /** The time index processed at step s. */
    final int timeAt(int s) {
        return reverse ? steps - 1 - s : s;
    }

    /**
     * Runs the sequence. {@code c0}/{@code cN} are used by the LSTM only.
     *
     * @param y output (T, B, P), written
     * @param hN final hidden state (B, P), written
     * @param cN final cell state (B, H), written (LSTM)
     */
    abstract void forward(float[] x, float[] h0, float[] c0, float[] y, float[] hN, float[] cN);

    /**
     * Gradients of x, h0, c0, W_ih, W_hh, b_ih, b_hh, W_hr (in that order; null where not wanted) from
     * the gradients of y, h_n and c_n.
     */
    abstract float[][] backward(float[] dy, float[] dhN, float[] dcN, boolean[] wanted);
}

package org.lstm4j.nn.rnn;

import java.util.List;
import org.lstm4j.kernels.Gemm;
import org.lstm4j.kernels.PanelGemv;
import org.lstm4j.kernels.Parallelism;

/**
 * A stack of unidirectional LSTM layers run one time step of one sequence per call, for serving a stream:
 * the weights are copied once into {@link PanelGemv} panels per gate, and each layer's step is one parallel
 * job in which every thread computes its range of hidden units end to end, from the four gates' dot
 * products (bias first, then {@code x·W_ihᵀ}, then {@code h·W_hhᵀ}, one accumulator per gate) to their new
 * cell and hidden state. Nothing is allocated per step.
 *
 * <p>Later changes to the layer's weights are not seen: this is a snapshot, as an inference session is.
 * Results do not depend on the thread count (each unit is computed by one thread in a fixed order); they
 * differ from {@link FusedRecurrentLayer}'s in rounding only, since the sums run in another order.
 */
public final class LstmStepKernel {
    private static final int GATES = 4;

    private final int hiddenSize;
    private final int layers;
    private final int[] inputSizes;
    private final int panels;
    /** Per layer and gate, W_ih and W_hh rows packed into panels. */
    private final float[][][] inputWeights;
    private final float[][][] hiddenWeights;
    /** Per layer, b_ih + b_hh laid out like the gate buffer (GATES blocks of panels·16), or zeros. */
    private final float[][] biases;
    /** Gate pre-activations, then activations, of the layer being stepped: GATES blocks of panels·16. */
    private final float[] gates;
    /** The new hidden state of the layer being stepped (the old one is read by every thread meanwhile). */
    private final float[] hNext;
    private final GateKernels gateKernels = GateKernels.preferred();
    private final LayerStep layerStep = new LayerStep();

    /**
     * @param weights one entry per layer (unidirectional, no projection), all with or all without biases
     */
    public LstmStepKernel(List<LayerWeights> weights, int inputSize, int hiddenSize) {
        this.hiddenSize = hiddenSize;
        this.layers = weights.size();
        this.panels = PanelGemv.panels(hiddenSize);
        int padded = panels * PanelGemv.WIDTH;
        this.inputSizes = new int[layers];
        this.inputWeights = new float[layers][GATES][];
        this.hiddenWeights = new float[layers][GATES][];
        this.biases = new float[layers][GATES * padded];
        for (int l = 0; l < layers; l++) {
            LayerWeights w = weights.get(l);
            if (w.wHr() != null) {
                throw new IllegalArgumentException("LstmStepKernel: projections (proj_size > 0) are not supported");
            }
            int in = l == 0 ? inputSize : hiddenSize;
            inputSizes[l] = in;
            float[] wIh = w.wIh().data();
            float[] wHh = w.wHh().data();
            for (int q = 0; q < GATES; q++) {
                inputWeights[l][q] = PanelGemv.pack(wIh, 0, q * hiddenSize, hiddenSize, in);
                hiddenWeights[l][q] = PanelGemv.pack(wHh, 0, q * hiddenSize, hiddenSize, hiddenSize);
                if (w.hasBias()) {
                    float[] bIh = w.bIh().data();
                    float[] bHh = w.bHh().data();
                    for (int j = 0; j < hiddenSize; j++) {
                        biases[l][q * padded + j] = bIh[q * hiddenSize + j] + bHh[q * hiddenSize + j];
                    }
                }
            }
        }
        this.gates = new float[GATES * padded];
        this.hNext = new float[hiddenSize];
    }

    public int layers() {
        return layers;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int inputSize() {
        return inputSizes[0];
    }

    /**
     * One time step through all layers, updating the state in place.
     *
     * @param x the input, {@code inputSize} floats from {@code xOff}
     * @param h per layer the hidden state (layers × hiddenSize), read and replaced; the last layer's is the output
     * @param c per layer the cell state (layers × hiddenSize), read and replaced
     */
    public void step(float[] x, int xOff, float[] h, float[] c) {
        float[] in = x;
        int inOff = xOff;
        for (int l = 0; l < layers; l++) {
            layerStep.aim(l, in, inOff, h, c);
            long work = (long) GATES * hiddenSize * (inputSizes[l] + hiddenSize);
            // Memory-bound like sgemm's dot-product path, so split from the same amount of work.
            if (work >= Gemm.DOT_PARALLEL_MIN_WORK && Parallelism.threads() > 1) {
                Parallelism.parallelFor(0, panels, 1, layerStep);
            } else {
                layerStep.run(0, panels);
            }
            System.arraycopy(hNext, 0, h, l * hiddenSize, hiddenSize);
            in = h;
            inOff = l * hiddenSize;
        }
    }

    /** One layer's step for a range of unit panels; re-aimed at each layer so steps allocate nothing. */
    private final class LayerStep implements Parallelism.RangeBody {
        private int layer;
        private float[] in;
        private int inOff;
        private float[] h;
        private float[] c;

        void aim(int layer, float[] in, int inOff, float[] h, float[] c) {
            this.layer = layer;
            this.in = in;
            this.inOff = inOff;
            this.h = h;
            this.c = c;
        }

        @Override
        public void run(int panel0, int panel1) {
            int padded = panels * PanelGemv.WIDTH;
            int width = PanelGemv.WIDTH;
            int hOff = layer * hiddenSize;
            for (int q = 0; q < GATES; q++) {
                int block = q * padded;
                System.arraycopy(biases[layer], block + panel0 * width, gates, block + panel0 * width,
                        (panel1 - panel0) * width);
                PanelGemv.accumulate(inputSizes[layer], in, inOff, inputWeights[layer][q], panel0, panel1, gates, block);
                PanelGemv.accumulate(hiddenSize, h, hOff, hiddenWeights[layer][q], panel0, panel1, gates, block);
            }
            int unit0 = panel0 * width;
            int unit1 = Math.min(hiddenSize, panel1 * width);
            // One row: the gate blocks are padded·16 apart, the states hiddenSize (row strides do not matter).
            gateKernels.lstmForwardUnits(0, 1, padded, unit0, unit1, gates, 0, c, hOff, c, hOff, hNext, 0, padded);
        }
    }
}

package org.lstm4j.nn.rnn;

import java.util.List;
import org.lstm4j.kernels.Gemm;
import org.lstm4j.kernels.InterleavedPanelGemv;
import org.lstm4j.kernels.Parallelism;

/**
 * A stack of unidirectional LSTM layers run one time step of one sequence per call, for serving a stream:
 * the weights are copied once into {@link InterleavedPanelGemv} panels (per 16 units, the four gates' W_ih and
 * W_hh weights side by side, so a thread reads its units' weights as one stream), and each layer's step is one
 * parallel job in which every thread computes its range of hidden units end to end, from the four gates' dot
 * products (bias first, then {@code x·W_ihᵀ}, then {@code h·W_hhᵀ}, one accumulator per gate) to their new
 * cell and hidden state. Nothing is allocated per step.
 *
 * <p>Later changes to the layer's weights are not seen: this is a snapshot, as an inference session is.
 * Results do not depend on the thread count (each unit is computed by one thread in a fixed order); they
 * differ from {@link FusedRecurrentLayer}'s in rounding only, since the sums run in another order.
 */
public final class LstmStepKernel {
    /** i, f, g, o: the blocks of the packed weights. */
    private static final int GATES = InterleavedPanelGemv.BLOCKS;

    private final int hiddenSize;
    private final int layers;
    private final int[] inputSizes;
    private final int panels;
    /** Per layer, W_ih and W_hh packed by {@link InterleavedPanelGemv#pack}. */
    private final float[][] weights;
    /** Per layer, b_ih + b_hh packed by {@link InterleavedPanelGemv#packBias} (zeros without biases). */
    private final float[][] biases;
    /**
     * The layer being stepped's input and its old hidden state side by side, the one input of its products: a
     * copy, so each piece writes its units' new hidden state in place while the others still read the old one.
     */
    private final float[] layerInput;
    /** Gate pre-activations, then activations, of the layer being stepped: GATES blocks of panels·16. */
    private final float[] gates;
    private final GateKernels gateKernels = GateKernels.preferred();
    private final LayerStep layerStep = new LayerStep();

    /**
     * @param layerWeights one entry per layer (unidirectional, no projection), all with or all without biases
     */
    public LstmStepKernel(List<LayerWeights> layerWeights, int inputSize, int hiddenSize) {
        this.hiddenSize = hiddenSize;
        this.layers = layerWeights.size();
        this.panels = InterleavedPanelGemv.panels(hiddenSize);
        int padded = panels * InterleavedPanelGemv.WIDTH;
        this.inputSizes = new int[layers];
        this.weights = new float[layers][];
        this.biases = new float[layers][];
        for (int l = 0; l < layers; l++) {
            LayerWeights w = layerWeights.get(l);
            if (w.wHr() != null) {
                throw new IllegalArgumentException("LstmStepKernel: projections (proj_size > 0) are not supported");
            }
            int in = l == 0 ? inputSize : hiddenSize;
            inputSizes[l] = in;
            weights[l] = InterleavedPanelGemv.pack(w.wIh().data(), in, w.wHh().data(), hiddenSize, hiddenSize);
            biases[l] = w.hasBias() ? InterleavedPanelGemv.packBias(w.bIh().data(), w.bHh().data(), hiddenSize)
                    : InterleavedPanelGemv.packBias(null, null, hiddenSize);
        }
        this.layerInput = new float[Math.max(inputSize, hiddenSize) + hiddenSize];
        this.gates = new float[GATES * padded];
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
            System.arraycopy(in, inOff, layerInput, 0, inputSizes[l]);
            System.arraycopy(h, l * hiddenSize, layerInput, inputSizes[l], hiddenSize);
            layerStep.aim(l, h, c);
            long work = (long) GATES * hiddenSize * (inputSizes[l] + hiddenSize);
            // Memory-bound like sgemm's dot-product path, so split from the same amount of work.
            if (work >= Gemm.DOT_PARALLEL_MIN_WORK && Parallelism.threads() > 1) {
                Parallelism.parallelFor(0, panels, 1, layerStep);
            } else {
                layerStep.run(0, panels);
            }
            in = h;
            inOff = l * hiddenSize;
        }
    }

    /** One layer's step for a range of unit panels; re-aimed at each layer so steps allocate nothing. */
    private final class LayerStep implements Parallelism.RangeBody {
        private int layer;
        private float[] h;
        private float[] c;

        void aim(int layer, float[] h, float[] c) {
            this.layer = layer;
            this.h = h;
            this.c = c;
        }

        @Override
        public void run(int panel0, int panel1) {
            int width = InterleavedPanelGemv.WIDTH;
            int padded = panels * width;
            int hOff = layer * hiddenSize;
            InterleavedPanelGemv.products(inputSizes[layer] + hiddenSize, layerInput, 0, weights[layer],
                    biases[layer], panel0, panel1, gates, 0, padded);
            int unit0 = panel0 * width;
            int unit1 = Math.min(hiddenSize, panel1 * width);
            // One row: the gate blocks are padded·16 apart, the states hiddenSize (row strides do not matter).
            gateKernels.lstmForwardUnits(0, 1, padded, unit0, unit1, gates, 0, null, 0, c, hOff, c, hOff, h, hOff,
                    padded);
        }
    }
}

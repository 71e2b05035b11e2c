package org.lstm4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.nn.rnn.CellType;
import org.lstm4j.nn.rnn.FusedRecurrentLayer;
import org.lstm4j.nn.rnn.LayerWeights;
import org.lstm4j.nn.rnn.LayerWorkspace;
import org.lstm4j.nn.rnn.PackedLayerWeights;
import org.lstm4j.nn.rnn.SequenceSizes;
import org.lstm4j.ops.Dropouts;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * Multi-layer, optionally bidirectional recurrent network with PyTorch's semantics ({@code torch.nn.RNNBase}):
 * parameter names and shapes, init U(−1/√H, 1/√H), input/state layouts, inter-layer dropout. Each layer and
 * direction runs as one fused kernel; the autograd graph joins them (concatenating directions, stacking states).
 * When nothing will be differentiated the graph is skipped: the kernels read and write the state tensors in place.
 */
public abstract class RNNBase extends Module {
    private final CellType type;
    private final RNNOptions options;
    private final int directions;
    private final int outputSize;
    /** Weights per layer·directions + direction, in PyTorch's registration order. */
    private final List<LayerWeights> layers = new ArrayList<>();
    /** Reused kernel buffers, one per entry of {@link #layers}. */
    private final List<LayerWorkspace> workspaces = new ArrayList<>();

    /** Draws the initial weights and the dropout masks; null means the process-wide default at each use. */
    private final Generator generator;

    protected RNNBase(CellType type, RNNOptions options) {
        this(type, options, null);
    }

    /**
     * @param generator initialises the weights and draws the inter-layer dropout masks; null for the
     *     process-wide default ({@link Generator#getDefault()}), as PyTorch does
     */
    protected RNNBase(CellType type, RNNOptions options, Generator generator) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(options, "options");
        validate(type, options);
        if (options.dropout() > 0 && options.numLayers() == 1) {
            // PyTorch's UserWarning, word for word: the option is legal but does nothing.
            Warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout"
                    + " expects num_layers greater than 1, but got dropout=" + options.dropout() + " and num_layers="
                    + options.numLayers());
        }
        this.generator = generator;
        this.type = type;
        this.options = options;
        this.directions = options.bidirectional() ? 2 : 1;
        int hidden = options.hiddenSize();
        this.outputSize = options.projSize() > 0 ? options.projSize() : hidden;
        int gates = type.gateBlocks() * hidden;
        for (int layer = 0; layer < options.numLayers(); layer++) {
            int layerInput = layer == 0 ? options.inputSize() : outputSize * directions;
            for (int dir = 0; dir < directions; dir++) {
                String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
                Tensor wIh = registerParameter("weight_ih" + suffix, Tensor.zeros(gates, layerInput));
                Tensor wHh = registerParameter("weight_hh" + suffix, Tensor.zeros(gates, outputSize));
                Tensor bIh = null;
                Tensor bHh = null;
                if (options.bias()) {
                    bIh = registerParameter("bias_ih" + suffix, Tensor.zeros(gates));
                    bHh = registerParameter("bias_hh" + suffix, Tensor.zeros(gates));
                }
                Tensor wHr = options.projSize() > 0
                        ? registerParameter("weight_hr" + suffix, Tensor.zeros(outputSize, hidden))
                        : null;
                layers.add(new LayerWeights(wIh, wHh, bIh, bHh, wHr));
                workspaces.add(new LayerWorkspace());
            }
        }
        resetParameters(generator());
    }

    /**
     * PyTorch's {@code reset_parameters()}: every parameter, in registration order, drawn from
     * U(−1/√H, 1/√H) with {@code gen}.
     */
    public final void resetParameters(Generator gen) {
        Objects.requireNonNull(gen, "gen");
        float bound = (float) (1.0 / Math.sqrt(options.hiddenSize()));
        for (Tensor p : parameters()) {
            gen.fillUniform(p.data(), -bound, bound);
        }
    }

    /** The generator given at construction, or the process-wide default. */
    private Generator generator() {
        return generator != null ? generator : Generator.getDefault();
    }

    private static void validate(CellType type, RNNOptions o) {
        String name = type == CellType.LSTM ? "LSTM" : type == CellType.GRU ? "GRU" : "RNN";
        if (o.inputSize() <= 0) {
            throw new IllegalArgumentException(name + ": input_size must be positive, got " + o.inputSize());
        }
        if (o.hiddenSize() <= 0) {
            throw new IllegalArgumentException(name + ": hidden_size must be positive, got " + o.hiddenSize());
        }
        if (o.numLayers() <= 0) {
            throw new IllegalArgumentException(name + ": num_layers must be positive, got " + o.numLayers());
        }
        if (!(o.dropout() >= 0 && o.dropout() <= 1)) {
            throw new IllegalArgumentException(name + ": dropout should be a number in range [0, 1] representing the"
                    + " probability of an element being zeroed, got " + o.dropout());
        }
        if (o.projSize() < 0) {
            throw new IllegalArgumentException(name + ": proj_size should be a positive integer or zero to disable projections, got " + o.projSize());
        }
        if (o.projSize() > 0 && type != CellType.LSTM) {
            throw new IllegalArgumentException(name + ": proj_size argument is only supported for LSTM, not RNN or GRU");
        }
        if (type != CellType.RNN_TANH && type != CellType.RNN_RELU && o.nonlinearity() != null
                && !o.nonlinearity().equals("tanh")) {
            // "tanh" is the record's default for every layer type; anything else was asked for.
            throw new IllegalArgumentException(RNNOptions.nonlinearityRefusal(name, o.nonlinearity()));
        }
        if (o.projSize() >= o.hiddenSize()) {
            throw new IllegalArgumentException(name + ": proj_size has to be smaller than hidden_size, got proj_size="
                    + o.projSize() + ", hidden_size=" + o.hiddenSize());
        }
    }

    /** Runs the sequence from a zero state. */
    public RecurrentOutput forward(Tensor input) {
        return forward(input, null);
    }

    /**
     * Runs the sequence.
     *
     * @param input (T, B, I), (B, T, I) with batchFirst, or unbatched (T, I)
     * @param initialState h0 (L·D, B, H_out) and, for LSTM, c0 (L·D, B, H); 2-D without the batch for
     *     unbatched input; null for zeros
     */
    public RecurrentOutput forward(Tensor input, RecurrentState initialState) {
        Objects.requireNonNull(input, "input");
        Tensor h0 = initialState == null ? null : initialState.h();
        Tensor c0 = initialState == null ? null : initialState.c();
        Call call = check(input, h0, c0);
        return recordsGraph(input, h0, c0) ? forwardGraph(call, input, h0, c0)
                : forwardNoGrad(call, input, h0, c0, layers, null, workspaces, isTraining() && options.dropout() != 0);
    }

    /**
     * A forward-only snapshot of this module's current weights, packed once for the kernels, for serving whole
     * sequences ({@link RecurrentInference}): what {@link #forward} computes in eval mode without grad, bit for
     * bit, without packing the weights again at every call. Later changes to this module's parameters are not
     * seen; take a new snapshot after training further or loading weights.
     */
    public RecurrentInference inference() {
        return new RecurrentInference(this);
    }

    /**
     * {@link #forward} as an eval-mode call without grad on the given weights (a {@link RecurrentInference}'s
     * snapshot, packed once), with their own workspaces: this module contributes its checks and sizes only.
     */
    RecurrentOutput forwardSnapshot(Tensor input, RecurrentState initialState, List<LayerWeights> weights,
            List<PackedLayerWeights> packed, List<LayerWorkspace> snapshotWorkspaces) {
        Objects.requireNonNull(input, "input");
        Tensor h0 = initialState == null ? null : initialState.h();
        Tensor c0 = initialState == null ? null : initialState.c();
        Call call = check(input, h0, c0);
        return forwardNoGrad(call, input, h0, c0, weights, packed, snapshotWorkspaces, false);
    }

    /** The type of recurrence, for a snapshot's description. */
    CellType cellType() {
        return type;
    }

    /** The layout of one forward call, from {@link #check}. */
    private record Call(boolean batched, boolean batchFirst, int steps, int batch) {}

    /** Checks the input and the initial state (h0, c0: either may be null for zeros). */
    private Call check(Tensor input, Tensor h0, Tensor c0) {
        String name = getClass().getSimpleName();
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException(name + ": expected input to be 2-D (unbatched) or 3-D, got "
                    + input.dim() + "-D input of shape " + Shape.toString(input.shape()));
        }
        if (input.size(-1) != options.inputSize()) {
            throw new IllegalArgumentException(name + ": input.size(-1) must be equal to input_size. Expected "
                    + options.inputSize() + ", got " + input.size(-1) + " (input shape " + Shape.toString(input.shape()) + ")");
        }
        boolean batched = input.dim() == 3;
        // Batch-first input and output stay batch-first: the first and last layers convert through their
        // workspaces (no transpose ops); the layers in between are time-major.
        boolean batchFirst = batched && options.batchFirst();
        int steps = !batched || !batchFirst ? input.size(0) : input.size(1);
        int batch = !batched ? 1 : batchFirst ? input.size(0) : input.size(1);
        if (steps == 0 || batch == 0) {
            throw new IllegalArgumentException(name + ": expected a non-empty sequence and batch, got input shape "
                    + Shape.toString(input.shape()));
        }
        if (type == CellType.LSTM && (h0 == null) != (c0 == null)) {
            throw new IllegalArgumentException(name + ": give both h0 and c0, or neither");
        }
        int stateCount = options.numLayers() * directions;
        // Every buffer of the call, before any is allocated (a long sequence overflows T·B·4H first).
        SequenceSizes.check(type, steps, batch, options.hiddenSize(), outputSize, directions, stateCount);
        checkState(h0, "h0", stateCount, batch, outputSize, batched);
        if (type == CellType.LSTM) {
            checkState(c0, "c0", stateCount, batch, options.hiddenSize(), batched);
        }
        return new Call(batched, batchFirst, steps, batch);
    }

    /** Whether this call must record the autograd graph: grad mode on and something requires grad. */
    private boolean recordsGraph(Tensor input, Tensor h0, Tensor c0) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        if (input.requiresGrad() || (h0 != null && h0.requiresGrad()) || (c0 != null && c0.requiresGrad())) {
            return true;
        }
        for (LayerWeights w : layers) {
            if (w.wIh().requiresGrad() || w.wHh().requiresGrad() || (w.hasBias() && (w.bIh().requiresGrad()
                    || w.bHh().requiresGrad())) || (w.wHr() != null && w.wHr().requiresGrad())) {
                return true;
            }
        }
        return false;
    }

    /** The forward through the autograd graph: one node per layer and direction, joined by cat and stack. */
    private RecurrentOutput forwardGraph(Call call, Tensor input, Tensor h0, Tensor c0) {
        boolean batched = call.batched();
        boolean batchFirst = call.batchFirst();
        Tensor x = batched ? input : input.unsqueeze(1);
        int stateCount = options.numLayers() * directions;
        h0 = h0 == null ? Tensor.zeros(stateCount, call.batch(), outputSize) : batched ? h0 : h0.unsqueeze(1);
        if (type == CellType.LSTM) {
            c0 = c0 == null ? Tensor.zeros(stateCount, call.batch(), options.hiddenSize()) : batched ? c0 : c0.unsqueeze(1);
        } else {
            c0 = null;
        }

        List<Tensor> hN = new ArrayList<>();
        List<Tensor> cN = new ArrayList<>();
        Tensor layerInput = x;
        for (int layer = 0; layer < options.numLayers(); layer++) {
            List<Tensor> outputs = new ArrayList<>(directions);
            boolean inputBatchFirst = batchFirst && layer == 0;
            boolean outputBatchFirst = batchFirst && layer == options.numLayers() - 1;
            Tensor[][] results;
            if (directions == 1) {
                results = new Tensor[][] {FusedRecurrentLayer.apply(type, layerInput, h0.select(0, layer),
                        c0 == null ? null : c0.select(0, layer), layers.get(layer), false, workspaces.get(layer),
                        inputBatchFirst, outputBatchFirst)};
            } else {
                int forward = 2 * layer;
                int reverse = forward + 1;
                results = FusedRecurrentLayer.applyBidirectional(type, layerInput,
                        new Tensor[] {h0.select(0, forward), h0.select(0, reverse)},
                        c0 == null ? null : new Tensor[] {c0.select(0, forward), c0.select(0, reverse)},
                        new LayerWeights[] {layers.get(forward), layers.get(reverse)},
                        new LayerWorkspace[] {workspaces.get(forward), workspaces.get(reverse)},
                        inputBatchFirst, outputBatchFirst);
            }
            for (Tensor[] result : results) {
                outputs.add(result[0]);
                hN.add(result[1]);
                if (result[2] != null) {
                    cN.add(result[2]);
                }
            }
            layerInput = directions == 1 ? outputs.get(0) : Tensor.cat(outputs, 2);
            if (layer < options.numLayers() - 1) {
                layerInput = Dropouts.dropout(layerInput, (float) options.dropout(), isTraining(), generator());
            }
        }
        Tensor output = layerInput;
        Tensor hOut = Tensor.stack(hN, 0);
        Tensor cOut = cN.isEmpty() ? null : Tensor.stack(cN, 0);
        if (!batched) {
            output = output.squeeze(1);
            hOut = hOut.squeeze(1);
            cOut = cOut == null ? null : cOut.squeeze(1);
        }
        return new RecurrentOutput(output, hOut, cOut);
    }

    /**
     * The forward when nothing will be differentiated: the same kernels and arithmetic as {@link #forwardGraph}
     * (so bit-identical results), on raw arrays. The initial states are read in place and the final ones
     * written straight into h_n/c_n; the directions of a bidirectional layer are interleaved by copying, as
     * cat does. The weights, their packed forms (null to pack per call) and the workspaces are per layer and
     * direction; {@code dropout} applies the inter-layer dropout (training mode).
     */
    private RecurrentOutput forwardNoGrad(Call call, Tensor input, Tensor h0, Tensor c0, List<LayerWeights> weights,
            List<PackedLayerWeights> packed, List<LayerWorkspace> layerWorkspaces, boolean dropout) {
        int layers = options.numLayers();
        int steps = call.steps();
        int batch = call.batch();
        int hidden = options.hiddenSize();
        int rows = steps * batch;
        int width = outputSize * directions;
        boolean lstm = type == CellType.LSTM;
        // Without a given state every layer reads the same zeros (the kernels never write h0/c0).
        float[] zeros = h0 == null ? new float[batch * hidden] : null;
        float[] h0Data = h0 == null ? zeros : h0.data();
        float[] c0Data = !lstm ? null : c0 == null ? zeros : c0.data();
        float[] hN = new float[layers * directions * batch * outputSize];
        float[] cN = lstm ? new float[layers * directions * batch * hidden] : null;
        float[][] directionOut = directions == 1 ? null : new float[][] {new float[rows * outputSize], new float[rows * outputSize]};
        float[] layerInput = input.data();
        int layerInputSize = options.inputSize();
        for (int layer = 0; layer < layers; layer++) {
            float[] out = new float[rows * width];
            float[] layerX = layerInput;
            int layerXSize = layerInputSize;
            int layerIndex = layer;
            // The directions are independent: on two threads at once when there are two (see
            // FusedRecurrentLayer.applyBidirectional); each writes its own y, h_n and c_n slots.
            Parallelism.concurrently(directions, dir -> {
                int index = layerIndex * directions + dir;
                int hOff = index * batch * outputSize;
                int cOff = index * batch * hidden;
                float[] y = directions == 1 ? out : directionOut[dir];
                FusedRecurrentLayer.run(type, layerX, steps, batch, layerXSize, h0Data, h0 == null ? 0 : hOff,
                        c0Data, c0 == null ? 0 : cOff, y, hN, hOff, cN, cOff, weights.get(index),
                        packed == null ? null : packed.get(index), dir == 1, layerWorkspaces.get(index),
                        call.batchFirst() && layerIndex == 0,
                        call.batchFirst() && layerIndex == layers - 1);
            });
            if (directions > 1) {
                for (int dir = 0; dir < directions; dir++) {
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(directionOut[dir], r * outputSize, out, r * width + dir * outputSize,
                                outputSize);
                    }
                }
            }
            layerInput = out;
            layerInputSize = width;
            if (layer < layers - 1 && dropout) {
                layerInput = Dropouts.dropout(Tensor.of(out, steps, batch, width), (float) options.dropout(), true,
                        generator()).data();
            }
        }
        int stateCount = layers * directions;
        if (!call.batched()) {
            return new RecurrentOutput(Tensor.of(layerInput, steps, width), Tensor.of(hN, stateCount, outputSize),
                    lstm ? Tensor.of(cN, stateCount, hidden) : null);
        }
        Tensor output = call.batchFirst() ? Tensor.of(layerInput, batch, steps, width)
                : Tensor.of(layerInput, steps, batch, width);
        return new RecurrentOutput(output, Tensor.of(hN, stateCount, batch, outputSize),
                lstm ? Tensor.of(cN, stateCount, batch, hidden) : null);
    }

    /** Checks a given initial state's shape (null, for zeros, passes). */
    private void checkState(Tensor state, String what, int count, int batch, int size, boolean batched) {
        if (state == null) {
            return;
        }
        int[] expected = batched ? new int[] {count, batch, size} : new int[] {count, size};
        if (!Arrays.equals(state.shape(), expected)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected " + what + " of shape "
                    + Shape.toString(expected) + " (num_layers*num_directions, " + (batched ? "batch, " : "")
                    + "size) for " + (batched ? "batched 3-D" : "unbatched 2-D") + " input, got "
                    + Shape.toString(state.shape()));
        }
    }

    public RNNOptions options() {
        return options;
    }

    /** The parameters of each layer and direction (forward then reverse per layer), as the kernels take them. */
    List<LayerWeights> layerWeights() {
        return java.util.Collections.unmodifiableList(layers);
    }

    public int inputSize() {
        return options.inputSize();
    }

    public int hiddenSize() {
        return options.hiddenSize();
    }

    public int numLayers() {
        return options.numLayers();
    }

    public boolean isBidirectional() {
        return directions == 2;
    }

    public boolean isBatchFirst() {
        return options.batchFirst();
    }

    /** The size of h: projSize for a projecting LSTM, else hiddenSize. */
    public int outputSize() {
        return outputSize;
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(options.inputSize()).append(", ").append(options.hiddenSize());
        if (options.numLayers() != 1) {
            s.append(", num_layers=").append(options.numLayers());
        }
        if (!options.bias()) {
            s.append(", bias=false");
        }
        if (options.batchFirst()) {
            s.append(", batch_first=true");
        }
        if (options.dropout() != 0) {
            s.append(", dropout=").append(options.dropout());
        }
        if (options.bidirectional()) {
            s.append(", bidirectional=true");
        }
        if (options.projSize() != 0) {
            s.append(", proj_size=").append(options.projSize());
        }
        return s.toString();
    }
}

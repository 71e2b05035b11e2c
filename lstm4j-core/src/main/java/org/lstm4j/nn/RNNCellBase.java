package org.lstm4j.nn;

import java.util.Arrays;
import java.util.Objects;
import org.lstm4j.nn.rnn.CellType;
import org.lstm4j.nn.rnn.FusedRecurrentLayer;
import org.lstm4j.nn.rnn.LayerWeights;
import org.lstm4j.nn.rnn.SequenceSizes;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * One time step of a recurrent cell ({@code torch.nn.RNNCellBase}): parameters {@code weight_ih},
 * {@code weight_hh}, {@code bias_ih}, {@code bias_hh}; input (B, I) or unbatched (I). Runs the same fused
 * kernel as the layers, over a sequence of length one.
 */
public abstract class RNNCellBase extends Module {
    private final CellType type;
    private final int inputSize;
    private final int hiddenSize;
    private final LayerWeights weights;

    protected RNNCellBase(CellType type, int inputSize, int hiddenSize, boolean bias) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input_size and hidden_size must be positive, got "
                    + inputSize + " and " + hiddenSize);
        }
        this.type = type;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        int gates = type.gateBlocks() * hiddenSize;
        float bound = (float) (1.0 / Math.sqrt(hiddenSize));
        Generator gen = Generator.getDefault();
        Tensor wIh = registerParameter("weight_ih", Tensor.uniform(-bound, bound, gen, gates, inputSize));
        Tensor wHh = registerParameter("weight_hh", Tensor.uniform(-bound, bound, gen, gates, hiddenSize));
        Tensor bIh = bias ? registerParameter("bias_ih", Tensor.uniform(-bound, bound, gen, gates)) : null;
        Tensor bHh = bias ? registerParameter("bias_hh", Tensor.uniform(-bound, bound, gen, gates)) : null;
        this.weights = new LayerWeights(wIh, wHh, bIh, bHh, null);
    }

    /** One step; {@code h}/{@code c} may be null for zeros. Returns {h', c'} (c' null unless LSTM). */
    protected final Tensor[] step(Tensor input, Tensor h, Tensor c) {
        Objects.requireNonNull(input, "input");
        String name = getClass().getSimpleName();
        if (input.dim() != 1 && input.dim() != 2) {
            throw new IllegalArgumentException(name + ": expected input to be 1-D or 2-D, got " + input.dim()
                    + "-D input of shape " + Shape.toString(input.shape()));
        }
        if (input.size(-1) != inputSize) {
            throw new IllegalArgumentException(name + ": input has inconsistent input_size: got " + input.size(-1)
                    + " expected " + inputSize);
        }
        boolean batched = input.dim() == 2;
        int batch = batched ? input.size(0) : 1;
        // Before the zero states are made: B·G·H may pass an array's limit while the input is small.
        SequenceSizes.check(type, 1, batch, hiddenSize, hiddenSize, 1, 1);
        Tensor x = batched ? input.unsqueeze(0) : input.reshape(1, 1, inputSize);
        Tensor h0 = checkedState(h, "hx", batch, batched);
        Tensor c0 = type == CellType.LSTM ? checkedState(c, "cx", batch, batched) : null;
        Tensor[] out = FusedRecurrentLayer.apply(type, x, h0, c0, weights, false);
        Tensor hNext = batched ? out[1] : out[1].reshape(hiddenSize);
        Tensor cNext = out[2] == null ? null : batched ? out[2] : out[2].reshape(hiddenSize);
        return new Tensor[] {hNext, cNext};
    }

    private Tensor checkedState(Tensor state, String what, int batch, boolean batched) {
        if (state == null) {
            return Tensor.zeros(batch, hiddenSize);
        }
        int[] expected = batched ? new int[] {batch, hiddenSize} : new int[] {hiddenSize};
        if (!Arrays.equals(state.shape(), expected)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected " + what + " of shape "
                    + Shape.toString(expected) + " for input batch " + (batched ? batch : "(unbatched)") + ", got "
                    + Shape.toString(state.shape()));
        }
        return batched ? state : state.reshape(1, hiddenSize);
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (weights.hasBias() ? "" : ", bias=false");
    }
}

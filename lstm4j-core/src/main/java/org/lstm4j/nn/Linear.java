package org.lstm4j.nn;

import java.util.Objects;
import org.lstm4j.ops.LinearAlgebra;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/** {@code y = x · W^T + b} over the last dimension; W (out, in), b (out); PyTorch's init. */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, null);
    }

    /** With the generator that draws the initial weights (null: the process-wide default). */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator generator) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in_features=" + inFeatures + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        resetParameters(generator != null ? generator : Generator.getDefault());
    }

    /** PyTorch's {@code reset_parameters()}: weight, then bias, from {@code gen}. */
    public final void resetParameters(Generator gen) {
        Objects.requireNonNull(gen, "gen");
        // kaiming_uniform_(a=sqrt(5)) reduces to U(-1/sqrt(in), 1/sqrt(in)), as does the bias init.
        float bound = (float) (1.0 / Math.sqrt(inFeatures));
        gen.fillUniform(weight.data(), -bound, bound);
        if (bias != null) {
            gen.fillUniform(bias.data(), -bound, bound);
        }
    }

    public Tensor forward(Tensor input) {
        Objects.requireNonNull(input, "input");
        if (input.dim() >= 1 && input.size(-1) == inFeatures) {
            // N·out_features may not fit an array even though N·in_features does; say so before allocating.
            Shape.arrayLength("Linear output", new String[] {"N", "out_features"},
                    new int[] {input.numel() / inFeatures, outFeatures}, "split the input into smaller batches");
        }
        return LinearAlgebra.linear(input, weight, bias);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when built without. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null);
    }
}

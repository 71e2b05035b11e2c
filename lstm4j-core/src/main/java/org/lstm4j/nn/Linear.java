package org.lstm4j.nn;

import org.lstm4j.ops.LinearAlgebra;
import org.lstm4j.tensor.Generator;
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
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in_features=" + inFeatures + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        // kaiming_uniform_(a=sqrt(5)) reduces to U(-1/sqrt(in), 1/sqrt(in)), as does the bias init.
        float bound = (float) (1.0 / Math.sqrt(inFeatures));
        Generator gen = Generator.getDefault();
        this.weight = registerParameter("weight", Tensor.uniform(-bound, bound, gen, outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.uniform(-bound, bound, gen, outFeatures)) : null;
    }

    public Tensor forward(Tensor input) {
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

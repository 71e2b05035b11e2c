package org.lstm4j.ops;

import org.lstm4j.autograd.Node;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Inverted dropout with a mask drawn from a seeded generator. */
public final class Dropouts {
    private Dropouts() {}

    public static Tensor dropout(Tensor input, float p, boolean training, Generator gen) {
        if (!training || p == 0f) {
            return input;
        }
        float[] x = input.data();
        float[] mask = new float[x.length];
        float keepScale = p == 1f ? 0f : 1f / (1f - p);
        gen.fillFloats(mask); // the uniforms first (the same draws as nextFloat one by one), then the mask
        for (int i = 0; i < mask.length; i++) {
            mask[i] = mask[i] < p ? 0f : keepScale;
        }
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i] * mask[i];
        }
        Tensor result = Tensor.of(out, input.shape());
        if (Node.shouldRecord(input)) {
            new Node("dropout", input) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[] gi = new float[mask.length];
                    for (int i = 0; i < gi.length; i++) {
                        gi[i] = g[0][i] * mask[i];
                    }
                    return new float[][] {gi};
                }
            }.attach(result);
        }
        return result;
    }
}

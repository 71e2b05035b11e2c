package org.lstm4j.spark;

import java.util.Arrays;
import java.util.List;
import org.lstm4j.tensor.Tensor;

/**
 * A model's parameters as one flat float array, in {@code Module.parameters()} order: what is broadcast to
 * the executors each step, and the layout of the gradients they send back.
 */
final class ParameterVector {
    private ParameterVector() {}

    /** The sizes of the parameters, in order. */
    static int[] sizes(List<Tensor> params) {
        return params.stream().mapToInt(Tensor::numel).toArray();
    }

    static long total(int[] sizes) {
        return Arrays.stream(sizes).asLongStream().sum();
    }

    /** The parameters' values, concatenated. */
    static float[] flatten(List<Tensor> params) {
        float[] out = new float[Math.toIntExact(total(sizes(params)))];
        int offset = 0;
        for (Tensor p : params) {
            float[] data = p.data();
            System.arraycopy(data, 0, out, offset, data.length);
            offset += data.length;
        }
        return out;
    }

    /** Copies {@code values} into the parameters (their layout checked first, naming both). */
    static void load(float[] values, List<Tensor> params, int[] expectedSizes) {
        checkLayout(params, expectedSizes);
        int offset = 0;
        for (Tensor p : params) {
            float[] data = p.data();
            System.arraycopy(values, offset, data, 0, data.length);
            offset += data.length;
        }
    }

    /**
     * The gradients, concatenated (zeros where a parameter has none), and which parameters had one: a
     * parameter no share reached keeps no gradient on the driver, so the optimizer skips it as it would in
     * a single process.
     */
    static float[] gradients(List<Tensor> params, boolean[] hasGradient) {
        float[] out = new float[Math.toIntExact(total(sizes(params)))];
        int offset = 0;
        for (int i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
            int n = params.get(i).numel();
            hasGradient[i] = g != null;
            if (g != null) {
                System.arraycopy(g.data(), 0, out, offset, n);
            }
            offset += n;
        }
        return out;
    }

    /**
     * Checks that a model built on an executor has the driver's parameter layout.
     *
     * @throws IllegalStateException naming the first difference
     */
    static void checkLayout(List<Tensor> params, int[] expectedSizes) {
        if (params.size() != expectedSizes.length) {
            throw new IllegalStateException("the model factory built a model with " + params.size()
                    + " parameters here, but the driver's model has " + expectedSizes.length
                    + ": the factory must build the same architecture everywhere");
        }
        for (int i = 0; i < expectedSizes.length; i++) {
            if (params.get(i).numel() != expectedSizes[i]) {
                throw new IllegalStateException("the model factory built parameter " + i + " with "
                        + params.get(i).numel() + " values here, but the driver's has " + expectedSizes[i]
                        + ": the factory must build the same architecture everywhere");
            }
        }
    }
}

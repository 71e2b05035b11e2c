package org.lstm4j.nn.rnn;

import org.lstm4j.kernels.Gemm;

/**
 * The two products' weights of one layer and direction, W_ihᵀ and W_hhᵀ, packed once into the GEMM kernel's
 * panels, for a caller that runs many forward calls on weights that do not change (an inference snapshot), so
 * that no call packs them again: ONNX Runtime packs its weights once at session creation the same way.
 *
 * <p>Packing never changes a product's bits, so a kernel given these computes exactly what it computes packing
 * per call. The panels are read from the arrays of the {@link LayerWeights} given to {@link #of}; the caller
 * must not change those afterwards (a snapshot owns copies).
 */
public final class PackedLayerWeights {
    /** W_ihᵀ, inputSize × width. */
    final Gemm.PackedB inputWeights;
    /** W_hhᵀ, P × width. */
    final Gemm.PackedB recurrentWeights;

    private PackedLayerWeights(Gemm.PackedB inputWeights, Gemm.PackedB recurrentWeights) {
        this.inputWeights = inputWeights;
        this.recurrentWeights = recurrentWeights;
    }

    /** Packs w's W_ih and W_hh (each stored width × its input size) as the forward kernels' right operands. */
    public static PackedLayerWeights of(LayerWeights w) {
        return new PackedLayerWeights(transposed(w.wIh().data(), w.wIh().size(0), w.wIh().size(1)),
                transposed(w.wHh().data(), w.wHh().size(0), w.wHh().size(1)));
    }

    private static Gemm.PackedB transposed(float[] w, int rows, int cols) {
        return Gemm.packB(true, cols, rows, w, 0, cols, new float[Gemm.packedSize(cols, rows)]);
    }

    /** Fails unless these were packed from weights of a layer with these sizes. */
    void checkShape(int inputSize, int outputSize, int width) {
        if (inputWeights.k() != inputSize || recurrentWeights.k() != outputSize || inputWeights.n() != width
                || recurrentWeights.n() != width) {
            throw new IllegalArgumentException("packed weights of W_ih " + inputWeights.n() + "x" + inputWeights.k()
                    + " and W_hh " + recurrentWeights.n() + "x" + recurrentWeights.k() + " given to a layer of W_ih "
                    + width + "x" + inputSize + " and W_hh " + width + "x" + outputSize);
        }
    }
}

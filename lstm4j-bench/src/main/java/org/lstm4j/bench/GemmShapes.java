package org.lstm4j.bench;

import java.util.List;

/** The GEMM shapes that matter for lstm4j, shared by the JMH benchmark and the GFLOP/s table. */
final class GemmShapes {
    private GemmShapes() {}

    /** One product: C (m×n) = op(A) (m×k) · op(B) (k×n). */
    record Shape(String name, boolean transA, boolean transB, int m, int n, int k) {
        /** Parses "m x n x k" with an optional transposition tag, e.g. "64x1024x256:NT". */
        static Shape parse(String text) {
            String[] parts = text.split(":");
            String[] dims = parts[0].split("x");
            String trans = parts.length > 1 ? parts[1] : "NN";
            return new Shape(text, trans.charAt(0) == 'T', trans.charAt(1) == 'T',
                    Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]));
        }

        double flops() {
            return 2.0 * m * n * k;
        }
    }

    /**
     * m x n x k : op-tags. The recurrent step h·W_hh^T (B×H)·(H×4H) and the input projection (T·B×I)·(I×4H)
     * both use B^T (weights are stored 4H×H as in PyTorch); 512³ is the classic reference.
     */
    static final List<String> ALL = List.of(
            "512x512x512:NN",
            "1x128x32:NT",
            "64x1024x256:NT",
            "100x512x128:NT",
            "6400x1024x65:NT",
            "6400x2048x256:NT");
}

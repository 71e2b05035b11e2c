package org.lstm4j.bench;

import java.util.List;
import org.lstm4j.kernels.Gemm;

/** The GEMM shapes that matter for lstm4j, shared by the JMH benchmark and the GFLOP/s table. */
final class GemmShapes {
    private GemmShapes() {}

    /** One product: C (m×n) = op(A) (m×k) · op(B) (k×n). */
    record Shape(String name, boolean transA, boolean transB, int m, int n, int k, boolean packedB) {
        /**
         * Parses "m x n x k" with an optional transposition tag, e.g. "64x1024x256:NT"; a trailing "P" in the
         * tag ("64x1024x256:NTP") means B is packed once ({@link Gemm#packB}) and the packed-B sgemm is timed.
         */
        static Shape parse(String text) {
            String[] parts = text.split(":");
            String[] dims = parts[0].split("x");
            String trans = parts.length > 1 ? parts[1] : "NN";
            return new Shape(text, trans.charAt(0) == 'T', trans.charAt(1) == 'T',
                    Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]),
                    trans.length() > 2 && trans.charAt(2) == 'P');
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
            "6400x2048x256:NT",
            // forward input projections X·W_ih^T (rows: T·B = 2800)
            "6400x1024x256:NT",
            "2800x512x28:NT",
            "2800x512x128:NT",
            // recurrent step h·W_hh^T with W_hh pre-packed, and its backward dG_t·W_hh (pre-packed)
            "64x1024x256:NTP",
            "100x512x128:NTP",
            "32x2048x512:NTP",
            "64x256x1024:NNP",
            "100x128x512:NNP",
            // weight gradients dW = dG^T·X over all time steps
            "1024x65x6400:TN",
            "1024x256x6400:TN",
            "512x28x2800:TN",
            "512x128x2800:TN",
            // input gradients dX = dG·W_ih
            "6400x256x1024:NN",
            "2800x128x512:NN",
            // Linear head (65 classes) forward and gradients
            "6400x65x256:NT",
            "65x256x6400:TN",
            "6400x256x65:NN");
}

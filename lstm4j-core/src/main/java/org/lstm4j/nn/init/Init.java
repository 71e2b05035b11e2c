package org.lstm4j.nn.init;

import java.util.Arrays;
import java.util.Objects;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * Parameter initialisers with the semantics of {@code torch.nn.init}: each fills {@code tensor.data()} in
 * place, without recording anything for autograd (PyTorch runs them under {@code no_grad}), and returns the
 * tensor. Random ones draw from the given {@link Generator} in row-major order, so the same seed gives the
 * same values (not PyTorch's values: the generators differ).
 */
public final class Init {
    private Init() {}

    /** {@code uniform_(tensor, low, high)}: every element from U[low, high). */
    public static Tensor uniform(Tensor tensor, float low, float high, Generator gen) {
        Objects.requireNonNull(gen, "gen");
        if (!(low <= high)) {
            throw new IllegalArgumentException("uniform: expects low <= high, got low=" + low + ", high=" + high);
        }
        gen.fillUniform(tensor.data(), low, high);
        return tensor;
    }

    /** {@code zeros_(tensor)}. */
    public static Tensor zeros(Tensor tensor) {
        return constant(tensor, 0f);
    }

    /** {@code constant_(tensor, value)}: every element set to {@code value}. */
    public static Tensor constant(Tensor tensor, float value) {
        Arrays.fill(tensor.data(), value);
        return tensor;
    }

    /** {@link #xavierUniform(Tensor, double, Generator)} with gain 1 (Keras's {@code glorot_uniform}). */
    public static Tensor xavierUniform(Tensor tensor, Generator gen) {
        return xavierUniform(tensor, 1.0, gen);
    }

    /**
     * {@code xavier_uniform_(tensor, gain)}, Glorot and Bengio's uniform: U(−b, b) with
     * {@code b = gain·√(6 / (fan_in + fan_out))}. For a weight of shape (out, in, k...) fan_in = in·k... and
     * fan_out = out·k..., as {@code torch.nn.init._calculate_fan_in_and_fan_out}.
     *
     * @throws IllegalArgumentException for a tensor of fewer than 2 dimensions
     */
    public static Tensor xavierUniform(Tensor tensor, double gain, Generator gen) {
        int[] fans = fans(tensor, "xavierUniform");
        if (tensor.numel() == 0) {
            return tensor;
        }
        double bound = gain * Math.sqrt(6.0 / (fans[0] + fans[1]));
        return uniform(tensor, (float) -bound, (float) bound, gen);
    }

    /** {@link #orthogonal(Tensor, double, Generator)} with gain 1. */
    public static Tensor orthogonal(Tensor tensor, Generator gen) {
        return orthogonal(tensor, 1.0, gen);
    }

    /**
     * {@code orthogonal_(tensor, gain)} (Saxe et al.): the tensor, seen as a (rows, cols) matrix with rows =
     * size(0), becomes {@code gain} times a random matrix with orthonormal columns if rows ≥ cols, else with
     * orthonormal rows, drawn uniformly (Haar) over such matrices. As PyTorch: a matrix of standard normals,
     * its QR decomposition (of the transpose when wide), Q times the signs of R's diagonal (which makes the
     * result unique, hence uniform), transposed back.
     *
     * @throws IllegalArgumentException for a tensor of fewer than 2 dimensions
     */
    public static Tensor orthogonal(Tensor tensor, double gain, Generator gen) {
        Objects.requireNonNull(gen, "gen");
        if (tensor.dim() < 2) {
            throw new IllegalArgumentException("orthogonal: only tensors with 2 or more dimensions are supported, got shape "
                    + Shape.toString(tensor.shape()));
        }
        if (tensor.numel() == 0) {
            return tensor;
        }
        int rows = tensor.size(0);
        int cols = tensor.numel() / rows;
        float[] normal = new float[rows * cols];
        for (int i = 0; i < normal.length; i++) {
            normal[i] = gen.normal();
        }
        orthogonalFromNormal(normal, rows, cols, gain, tensor.data());
        return tensor;
    }

    /**
     * The deterministic part of {@link #orthogonal}: from the row-major (rows, cols) standard-normal draw to
     * the result written into {@code out} (row-major, rows·cols). Exposed to the package for the parity test
     * against PyTorch's own draw.
     */
    static void orthogonalFromNormal(float[] normal, int rows, int cols, double gain, float[] out) {
        boolean wide = rows < cols;
        int m = wide ? cols : rows; // the tall matrix that is decomposed: the draw, or its transpose
        int n = wide ? rows : cols;
        double[][] columns = new double[n][m];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double value = normal[r * cols + c];
                if (wide) {
                    columns[r][c] = value; // column r of the transpose is row r of the draw
                } else {
                    columns[c][r] = value;
                }
            }
        }
        HouseholderQR.Result qr = HouseholderQR.decompose(columns, m);
        for (int j = 0; j < n; j++) {
            // sign(R_jj); PyTorch's sign(0) = 0 would zero the column of a rank-deficient draw, which has
            // probability zero; +1 keeps the result orthogonal anyway.
            double scale = (qr.r()[j][j] < 0 ? -1 : 1) * gain;
            double[] q = qr.q()[j];
            for (int i = 0; i < m; i++) {
                float value = (float) (q[i] * scale);
                if (wide) {
                    out[j * cols + i] = value; // row j of Qᵀ
                } else {
                    out[i * cols + j] = value;
                }
            }
        }
    }

    /** {fan_in, fan_out} as PyTorch computes them; {@code who} names the caller in the error. */
    static int[] fans(Tensor tensor, String who) {
        if (tensor.dim() < 2) {
            throw new IllegalArgumentException(who + ": fan in and fan out can not be computed for a tensor with fewer"
                    + " than 2 dimensions, got shape " + Shape.toString(tensor.shape()));
        }
        int receptiveField = 1;
        for (int d = 2; d < tensor.dim(); d++) {
            receptiveField *= tensor.size(d);
        }
        return new int[] {tensor.size(1) * receptiveField, tensor.size(0) * receptiveField};
    }
}

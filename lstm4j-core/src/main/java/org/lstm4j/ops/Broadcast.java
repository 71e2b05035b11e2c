package org.lstm4j.ops;

import java.util.Arrays;
import org.lstm4j.tensor.Shape;

/** Index mapping between a broadcast output and one operand, and the reduction of gradients back to it. */
final class Broadcast {
    private Broadcast() {}

    /** For each flat output index, the flat index in an operand of shape {@code src}; null when shapes are equal. */
    static int[] indexMap(int[] src, int[] out) {
        if (Arrays.equals(src, out)) {
            return null;
        }
        int[] strides = Shape.broadcastStrides(src, out);
        int n = Shape.numel(out);
        int[] map = new int[n];
        int[] counter = new int[out.length];
        int offset = 0;
        for (int i = 0; i < n; i++) {
            map[i] = offset;
            for (int d = out.length - 1; d >= 0; d--) {
                counter[d]++;
                offset += strides[d];
                if (counter[d] < out[d]) {
                    break;
                }
                offset -= strides[d] * counter[d];
                counter[d] = 0;
            }
        }
        return map;
    }

    /** Sums a gradient of the output shape into the operand's shape (identity when {@code map} is null). */
    static float[] reduce(float[] gradOut, int[] map, int srcNumel) {
        if (map == null) {
            return gradOut.clone();
        }
        float[] g = new float[srcNumel];
        for (int i = 0; i < gradOut.length; i++) {
            g[map[i]] += gradOut[i];
        }
        return g;
    }
}

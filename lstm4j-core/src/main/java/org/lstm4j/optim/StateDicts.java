package org.lstm4j.optim;

import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * Encoding of scalars in state dicts, which hold only float32 tensors (so they can be written as
 * safetensors). A double hyperparameter is stored as a 1-D tensor of three floats whose sum, taken in
 * double precision, is exactly the double (element 0 is the nearest float, so the tensor reads naturally);
 * decoding sums whatever elements are there, so a plain 0-d float tensor (say, written by Python) is also
 * accepted. Step counters are 0-d floats like PyTorch 1.13's {@code state['step']}, exact up to 2^24.
 */
final class StateDicts {
    private StateDicts() {}

    static Tensor encodeDouble(double value) {
        float hi = (float) value;
        double rest = value - hi; // exact in double
        float mid = (float) rest;
        float lo = (float) (rest - mid);
        return Tensor.of(new float[] {hi, mid, lo}, 3);
    }

    static double decodeDouble(Tensor t, String key) {
        if (t.dim() > 1) {
            throw new IllegalArgumentException("state dict entry '" + key + "' should be a scalar, got shape "
                    + Shape.toString(t.shape()));
        }
        float[] d = t.data();
        if (d.length == 0) {
            throw new IllegalArgumentException("state dict entry '" + key + "' is empty");
        }
        double sum = 0;
        for (float v : d) {
            sum += v;
        }
        return sum;
    }

    static Tensor encodeStep(long step) {
        return Tensor.scalar((float) step);
    }

    static long decodeStep(Tensor t, String key) {
        if (t.numel() != 1 || t.dim() > 1) {
            throw new IllegalArgumentException("state dict entry '" + key + "' should be a 0-d step count, got shape "
                    + Shape.toString(t.shape()));
        }
        float v = t.item();
        if (!(v >= 0) || v != Math.rint(v)) {
            throw new IllegalArgumentException("state dict entry '" + key + "' should be a non-negative whole number, got " + v);
        }
        return (long) v;
    }
}

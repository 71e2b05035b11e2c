package org.lstm4j.optim;

import java.util.Arrays;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * Encoding of scalars in state dicts, which hold only float32 tensors (so they can be written as
 * safetensors).
 *
 * <p>A double is stored as a 1-D tensor of three floats {@code [hi, mid, lo]}: {@code hi} the float nearest
 * the value, {@code mid} the float nearest what is left, {@code lo} the rest; their sum, taken in double
 * precision, is exactly the double (and element 0 reads naturally). Decoding also accepts a plain 0-d or
 * one-element float (say, written by Python), and refuses any other shape as well as three floats this
 * encoder could not have written, so that a corrupted or hand-made tensor is never silently summed.
 *
 * <p>Step counters are 0-d floats like PyTorch's {@code state['step']} while float32 holds them exactly, up
 * to 2<sup>24</sup>; past that (where PyTorch's own counter stops moving) they switch to the exact
 * three-float form, good to 2<sup>53</sup>, so long runs stay bit-exact on resume. Both forms are read.
 */
final class StateDicts {
    /** The largest step count a 0-d float32 holds exactly (every whole number up to it is a float). */
    static final long MAX_FLOAT_STEP = 1L << 24;
    /** The largest step count the three-float form holds exactly (its sum is taken in double). */
    static final long MAX_STEP = 1L << 53;

    private static final String SCALAR_FORMS =
            "a 0-d tensor, a one-element tensor, or the three-float exact encoding of shape [3]";

    private StateDicts() {}

    static Tensor encodeDouble(double value) {
        float hi = (float) value;
        double rest = value - hi; // exact in double
        float mid = (float) rest;
        float lo = (float) (rest - mid);
        return Tensor.of(new float[] {hi, mid, lo}, 3);
    }

    /**
     * Reads a scalar written by {@link #encodeDouble} or as a single float.
     *
     * @throws IllegalArgumentException naming {@code key} if the shape is none of the scalar forms, or the
     *     three floats are not what {@link #encodeDouble} writes for their sum
     */
    static double decodeDouble(Tensor t, String key) {
        float[] d = t.data();
        if (isSingleElement(t)) {
            return d[0];
        }
        if (!isThreeFloatEncoding(t)) {
            throw new IllegalArgumentException("state dict entry '" + key + "' should be a scalar (" + SCALAR_FORMS
                    + "), got shape " + Shape.toString(t.shape()));
        }
        if (!(Float.isFinite(d[0]) && Float.isFinite(d[1]) && Float.isFinite(d[2]))) {
            throw new IllegalArgumentException("state dict entry '" + key + "' should encode a finite number, got "
                    + Arrays.toString(d));
        }
        double sum = (double) d[0] + d[1] + d[2];
        float[] canonical = encodeDouble(sum).data();
        // == rather than bit equality, so that the sign of a zero part does not matter.
        if (!(canonical[0] == d[0] && canonical[1] == d[1] && canonical[2] == d[2])) {
            throw new IllegalArgumentException("state dict entry '" + key + "' should be the exact encoding of a number:"
                    + " three floats [hi, mid, lo] with hi the float nearest their sum and mid, lo the float-rounded"
                    + " remainders (for " + sum + ": " + Arrays.toString(canonical) + "), got " + Arrays.toString(d));
        }
        return sum;
    }

    /** A 0-d float while exact in float32 (PyTorch's form), else the exact three-float form. */
    static Tensor encodeStep(long step) {
        return step <= MAX_FLOAT_STEP ? Tensor.scalar((float) step) : encodeDouble(step);
    }

    /**
     * Reads a step count of a parameter that has state: a whole number >= 1 (the counter is incremented
     * before the first update), at most 2<sup>24</sup> in a single float (beyond it a float32 may be a
     * rounded count) or 2<sup>53</sup> in the three-float form.
     *
     * @throws IllegalArgumentException naming {@code key} on another shape or value
     */
    static long decodeStep(Tensor t, String key) {
        if (isSingleElement(t)) {
            float v = t.data()[0];
            if (!(v >= 1 && v <= MAX_FLOAT_STEP && v == Math.rint(v))) {
                throw new IllegalArgumentException("state dict entry '" + key + "' should be a step count, a whole number"
                        + " in [1, " + MAX_FLOAT_STEP + "] when stored as one float32 (larger counts use the three-float"
                        + " exact encoding), got " + v);
            }
            return (long) v;
        }
        if (!isThreeFloatEncoding(t)) {
            throw new IllegalArgumentException("state dict entry '" + key + "' should be a step count (" + SCALAR_FORMS
                    + "), got shape " + Shape.toString(t.shape()));
        }
        double v = decodeDouble(t, key);
        if (!(v >= 1 && v <= MAX_STEP && v == Math.rint(v))) {
            throw new IllegalArgumentException("state dict entry '" + key + "' should be a step count, a whole number in"
                    + " [1, " + MAX_STEP + "], got " + v);
        }
        return (long) v;
    }

    private static boolean isSingleElement(Tensor t) {
        return t.dim() <= 1 && t.numel() == 1;
    }

    private static boolean isThreeFloatEncoding(Tensor t) {
        return t.dim() == 1 && t.shape()[0] == 3;
    }
}

package org.lstm4j.ops;

import org.lstm4j.autograd.Node;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/** Elementwise arithmetic (with PyTorch broadcasting) and activations, each with its backward. */
public final class Elementwise {
    private Elementwise() {}

    private enum BinaryOp { ADD, SUB, MUL, DIV }

    public static Tensor add(Tensor a, Tensor b) {
        return binary(BinaryOp.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary(BinaryOp.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary(BinaryOp.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return binary(BinaryOp.DIV, a, b);
    }

    private static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        int[] outShape = Shape.broadcast(a.shape(), b.shape());
        int[] mapA = Broadcast.indexMap(a.shape(), outShape);
        int[] mapB = Broadcast.indexMap(b.shape(), outShape);
        float[] x = a.data();
        float[] y = b.data();
        float[] out = new float[Shape.numel(outShape)];
        for (int i = 0; i < out.length; i++) {
            float u = x[mapA == null ? i : mapA[i]];
            float v = y[mapB == null ? i : mapB[i]];
            switch (op) {
                case ADD: out[i] = u + v; break;
                case SUB: out[i] = u - v; break;
                case MUL: out[i] = u * v; break;
                default: out[i] = u / v; break;
            }
        }
        Tensor result = Tensor.of(out, outShape);
        if (Node.shouldRecord(a, b)) {
            new Node(op.name().toLowerCase(), a, b) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[] go = g[0];
                    float[] ga = null;
                    float[] gb = null;
                    if (needsGrad(0)) {
                        float[] full = go;
                        if (op == BinaryOp.MUL || op == BinaryOp.DIV) {
                            full = new float[go.length];
                            for (int i = 0; i < go.length; i++) {
                                float v = y[mapB == null ? i : mapB[i]];
                                full[i] = op == BinaryOp.MUL ? go[i] * v : go[i] / v;
                            }
                        }
                        ga = Broadcast.reduce(full, mapA, x.length);
                    }
                    if (needsGrad(1)) {
                        float[] full = new float[go.length];
                        for (int i = 0; i < go.length; i++) {
                            float u = x[mapA == null ? i : mapA[i]];
                            float v = y[mapB == null ? i : mapB[i]];
                            switch (op) {
                                case ADD: full[i] = go[i]; break;
                                case SUB: full[i] = -go[i]; break;
                                case MUL: full[i] = go[i] * u; break;
                                default: full[i] = -go[i] * u / (v * v); break;
                            }
                        }
                        gb = Broadcast.reduce(full, mapB, y.length);
                    }
                    return new float[][] {ga, gb};
                }
            }.attach(result);
        }
        return result;
    }

    public static Tensor addScalar(Tensor a, float value) {
        float[] x = a.data();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i] + value;
        }
        return unaryResult("add", a, out, (xi, yi, gi) -> gi);
    }

    public static Tensor mulScalar(Tensor a, float value) {
        float[] x = a.data();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i] * value;
        }
        return unaryResult("mul", a, out, (xi, yi, gi) -> gi * value);
    }

    public static Tensor pow(Tensor a, float exponent) {
        float[] x = a.data();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = exponent == 2f ? x[i] * x[i] : (float) Math.pow(x[i], exponent);
        }
        return unaryResult("pow", a, out,
                (xi, yi, gi) -> gi * exponent * (exponent == 2f ? xi : (float) Math.pow(xi, exponent - 1)));
    }

    public static Tensor sigmoid(Tensor a) {
        float[] x = a.data();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Activations.sigmoid(x[i]);
        }
        return unaryResult("sigmoid", a, out, (xi, yi, gi) -> gi * yi * (1f - yi));
    }

    public static Tensor tanh(Tensor a) {
        float[] x = a.data();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Activations.tanh(x[i]);
        }
        return unaryResult("tanh", a, out, (xi, yi, gi) -> gi * (1f - yi * yi));
    }

    public static Tensor relu(Tensor a) {
        float[] x = a.data();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i] > 0f ? x[i] : 0f;
        }
        return unaryResult("relu", a, out, (xi, yi, gi) -> xi > 0f ? gi : 0f);
    }

    public static Tensor exp(Tensor a) {
        float[] x = a.data();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.exp(x[i]);
        }
        return unaryResult("exp", a, out, (xi, yi, gi) -> gi * yi);
    }

    public static Tensor log(Tensor a) {
        float[] x = a.data();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.log(x[i]);
        }
        return unaryResult("log", a, out, (xi, yi, gi) -> gi / xi);
    }

    /** d(input) from input value, output value and d(output). */
    @FunctionalInterface
    private interface UnaryDerivative {
        float apply(float x, float y, float gradOut);
    }

    private static Tensor unaryResult(String name, Tensor a, float[] out, UnaryDerivative derivative) {
        Tensor result = Tensor.of(out, a.shape());
        if (Node.shouldRecord(a)) {
            float[] x = a.data();
            new Node(name, a) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[] go = g[0];
                    float[] gi = new float[go.length];
                    for (int i = 0; i < gi.length; i++) {
                        gi[i] = derivative.apply(x[i], out[i], go[i]);
                    }
                    return new float[][] {gi};
                }
            }.attach(result);
        }
        return result;
    }
}

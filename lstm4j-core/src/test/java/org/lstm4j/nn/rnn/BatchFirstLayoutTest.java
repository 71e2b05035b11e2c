package org.lstm4j.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.RNN;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * A batch-first layer gives the bits of the same layer time-major, on the transposed input: its first layer
 * reads x's rows in place where it projects inside the step loops, and an LSTM's last layer writes y's rows in
 * place. Checked for the no-grad forward (rolling blocks, per-step projections, one-hot inputs, reverse
 * directions, one batch chunk or two, the few-row unit split) and a training pass (x's gradient and every
 * parameter's).
 */
@org.junit.jupiter.api.Tag("vector-widths")
class BatchFirstLayoutTest {
    private static final int STEPS = 7;
    private final int savedThreads = Parallelism.threads();

    @AfterEach
    void restore() {
        Parallelism.setThreads(savedThreads);
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("LSTM wide input, bidirectional (rolling blocks)", 70,
                        (Function<Boolean, RNNBase>) bf -> LSTM.builder(70, 512).bidirectional(true).batchFirst(bf)
                                .build()),
                Arguments.of("LSTM 2 layers (per step)", 13,
                        (Function<Boolean, RNNBase>) bf -> LSTM.builder(13, 40).numLayers(2).batchFirst(bf).build()),
                Arguments.of("LSTM projection", 13,
                        (Function<Boolean, RNNBase>) bf -> LSTM.builder(13, 24).projSize(10).batchFirst(bf).build()),
                Arguments.of("GRU wide input", 70,
                        (Function<Boolean, RNNBase>) bf -> GRU.builder(70, 700).batchFirst(bf).build()),
                Arguments.of("RNN relu, bidirectional", 13,
                        (Function<Boolean, RNNBase>) bf -> RNN.builder(13, 33).nonlinearity("relu")
                                .bidirectional(true).batchFirst(bf).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void batchFirstGivesTheTimeMajorBits(String name, int inputSize, Function<Boolean, RNNBase> factory) {
        Parallelism.setThreads(2);
        for (int batch : new int[] {3, 11, 37}) {
            for (boolean oneHot : new boolean[] {false, true}) {
                Tensor timeMajor = inputs(batch, inputSize, oneHot);
                Tensor batchFirst = timeMajor.transpose(0, 1);
                String what = name + " batch " + batch + (oneHot ? " one-hot" : "");
                List<float[]> expected = run(factory.apply(false), timeMajor, false);
                List<float[]> actual = run(factory.apply(true), batchFirst, true);
                assertEquals(expected.size(), actual.size(), what);
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i), actual.get(i), what + " array " + i);
                }
            }
        }
    }

    private static Tensor inputs(int batch, int inputSize, boolean oneHot) {
        Generator g = new Generator(3);
        return oneHot ? TrainingPasses.oneHot(g, STEPS, batch, inputSize)
                : Tensor.uniform(-1f, 1f, g, STEPS, batch, inputSize);
    }

    /**
     * Time-major results of one model: the no-grad output, h_n and c_n; then a training pass's output, h_n, x's
     * gradient and every parameter gradient (the same loss weights per element in both layouts).
     */
    private static List<float[]> run(RNNBase model, Tensor x, boolean batchFirst) {
        // The same parameters in both layouts: the layout takes no part in initialization.
        model.resetParameters(new Generator(5));
        List<float[]> result = new ArrayList<>();
        try (GradMode.Guard g = GradMode.noGrad()) {
            RecurrentOutput out = model.forward(x);
            result.add(timeMajor(out.output(), batchFirst));
            result.add(out.hN().data().clone());
            if (out.cN() != null) {
                result.add(out.cN().data().clone());
            }
        }
        Tensor input = x.detach().requiresGrad(true);
        RecurrentOutput out = model.forward(input);
        Tensor weights = Tensor.randn(new Generator(7), STEPS, x.size(batchFirst ? 0 : 1), out.output().size(2));
        Tensor laidOut = batchFirst ? weights.transpose(0, 1) : weights;
        out.output().mul(laidOut).sum().add(out.hN().sum()).backward();
        result.add(timeMajor(out.output(), batchFirst));
        result.add(out.hN().data().clone());
        result.add(timeMajor(input.grad(), batchFirst));
        for (Tensor p : model.parameters()) {
            result.add(p.grad().data().clone());
        }
        return result;
    }

    private static float[] timeMajor(Tensor t, boolean batchFirst) {
        return (batchFirst ? t.transpose(0, 1) : t).data().clone();
    }
}

package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.lstm4j.testing.Fixtures.assertClose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fixtures;

/**
 * LSTM, GRU and RNN against PyTorch: outputs, final states and the gradients of input, initial state and
 * every parameter, for each case the fixture script wrote (layers, directions, layouts, bias, projection,
 * batch sizes, unbatched input, with and without an initial state).
 */
@org.junit.jupiter.api.Tag("vector-widths")
class RecurrentParityTest {

    static List<Path> cases() {
        return Fixtures.list("rnn");
    }

    /** Builds the layer a fixture describes from its metadata. */
    static RNNBase build(SafeTensorsFile f) {
        String mode = f.meta("mode");
        int input = Integer.parseInt(f.meta("input_size"));
        int hidden = Integer.parseInt(f.meta("hidden_size"));
        RNNOptions.Builder<? extends RNNBase> b = switch (mode) {
            case "LSTM" -> LSTM.builder(input, hidden).projSize(Integer.parseInt(f.meta("proj_size")));
            case "GRU" -> GRU.builder(input, hidden);
            case "RNN_TANH" -> RNN.builder(input, hidden).nonlinearity("tanh");
            case "RNN_RELU" -> RNN.builder(input, hidden).nonlinearity("relu");
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        return b.numLayers(Integer.parseInt(f.meta("num_layers")))
                .bias(Boolean.parseBoolean(f.meta("bias")))
                .batchFirst(Boolean.parseBoolean(f.meta("batch_first")))
                .bidirectional(Boolean.parseBoolean(f.meta("bidirectional")))
                .build();
    }

    static Map<String, Tensor> prefixed(SafeTensorsFile f, String prefix) {
        return f.tensors().entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .collect(Collectors.toMap(e -> e.getKey().substring(prefix.length()), Map.Entry::getValue));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(Path fixture) {
        SafeTensorsFile f = Fixtures.load(fixture);
        RNNBase layer = build(f);
        layer.loadStateDict(prefixed(f, "param."));
        boolean lstm = layer instanceof LSTM;
        boolean hasState = Boolean.parseBoolean(f.meta("has_initial_state"));

        Tensor input = f.get("input").copy().requiresGrad(true);
        Tensor h0 = hasState ? f.get("h0").copy().requiresGrad(true) : null;
        Tensor c0 = hasState && lstm ? f.get("c0").copy().requiresGrad(true) : null;
        RecurrentOutput out = layer.forward(input, hasState ? new RecurrentState(h0, c0) : null);

        assertClose("output", f.get("output"), out.output());
        assertClose("h_n", f.get("h_n"), out.hN());
        if (lstm) {
            assertClose("c_n", f.get("c_n"), out.cN());
        } else {
            assertNull(out.cN(), "c_n of a non-LSTM layer");
        }

        Tensor loss = out.output().mul(f.get("grad_output")).sum().add(out.hN().mul(f.get("grad_h_n")).sum());
        if (lstm) {
            loss = loss.add(out.cN().mul(f.get("grad_c_n")).sum());
        }
        loss.backward();

        assertClose("grad input", f.get("grad.input"), input.grad());
        if (hasState) {
            assertClose("grad h0", f.get("grad.h0"), h0.grad());
            if (lstm) {
                assertClose("grad c0", f.get("grad.c0"), c0.grad());
            }
        }
        Map<String, Tensor> params = layer.namedParameters();
        Map<String, Tensor> expectedGrads = prefixed(f, "grad.param.");
        org.junit.jupiter.api.Assertions.assertEquals(params.keySet(), expectedGrads.keySet(), "parameter names");
        for (Map.Entry<String, Tensor> e : expectedGrads.entrySet()) {
            assertClose("grad " + e.getKey(), e.getValue(), params.get(e.getKey()).grad());
        }
    }
}

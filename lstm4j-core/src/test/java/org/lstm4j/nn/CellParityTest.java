package org.lstm4j.nn;

import static org.lstm4j.testing.Fixtures.assertClose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fixtures;

/** LSTMCell, GRUCell and RNNCell against PyTorch: h' (and c'), and the gradients of input, state and parameters. */
@org.junit.jupiter.api.Tag("vector-widths")
class CellParityTest {

    static List<Path> cases() {
        return Fixtures.list("cells");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(Path fixture) {
        SafeTensorsFile f = Fixtures.load(fixture);
        String mode = f.meta("mode");
        int input = Integer.parseInt(f.meta("input_size"));
        int hidden = Integer.parseInt(f.meta("hidden_size"));
        boolean bias = Boolean.parseBoolean(f.meta("bias"));
        boolean hasState = Boolean.parseBoolean(f.meta("has_initial_state"));
        RNNCellBase cell = switch (mode) {
            case "LSTM" -> new LSTMCell(input, hidden, bias);
            case "GRU" -> new GRUCell(input, hidden, bias);
            case "RNN_TANH" -> new RNNCell(input, hidden, bias, "tanh");
            case "RNN_RELU" -> new RNNCell(input, hidden, bias, "relu");
            default -> throw new IllegalArgumentException(mode);
        };
        cell.loadStateDict(RecurrentParityTest.prefixed(f, "param."));

        Tensor x = f.get("input").copy().requiresGrad(true);
        Tensor h0 = hasState ? f.get("h0").copy().requiresGrad(true) : null;
        Tensor c0 = hasState && cell instanceof LSTMCell ? f.get("c0").copy().requiresGrad(true) : null;
        Tensor loss;
        if (cell instanceof LSTMCell lstm) {
            RecurrentState next = lstm.forward(x, hasState ? new RecurrentState(h0, c0) : null);
            assertClose("h_1", f.get("h_1"), next.h());
            assertClose("c_1", f.get("c_1"), next.c());
            loss = next.h().mul(f.get("grad_h_1")).sum().add(next.c().mul(f.get("grad_c_1")).sum());
        } else {
            Tensor h1 = cell instanceof GRUCell gru ? gru.forward(x, h0) : ((RNNCell) cell).forward(x, h0);
            assertClose("h_1", f.get("h_1"), h1);
            loss = h1.mul(f.get("grad_h_1")).sum();
        }
        loss.backward();
        assertClose("grad input", f.get("grad.input"), x.grad());
        if (hasState) {
            assertClose("grad h0", f.get("grad.h0"), h0.grad());
            if (c0 != null) {
                assertClose("grad c0", f.get("grad.c0"), c0.grad());
            }
        }
        Map<String, Tensor> expected = RecurrentParityTest.prefixed(f, "grad.param.");
        Assertions.assertEquals(cell.namedParameters().keySet(), expected.keySet(), "parameter names");
        expected.forEach((name, g) -> assertClose("grad " + name, g, cell.namedParameters().get(name).grad()));
    }
}

package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.autograd.Engine;
import org.lstm4j.autograd.Node;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/** A null where a value is required is a NullPointerException naming the argument, not a bare one from inside. */
class NullArgumentsTest {

    private static Arguments call(String argument, Executable call) {
        return Arguments.of(argument, call);
    }

    static Stream<Arguments> calls() {
        Tensor t = Tensor.zeros(2, 3);
        Tensor leaf = Tensor.zeros(1).requiresGrad(true);
        LSTM lstm = new LSTM(3, 4);
        return Stream.of(
                // tensor
                call("data", () -> Tensor.of(null)),
                call("data", () -> Tensor.of(null, 2, 3)),
                call("shape", () -> Tensor.of(new float[6], (int[]) null)),
                call("shape", () -> Tensor.zeros((int[]) null)),
                call("gen", () -> Tensor.randn((Generator) null, 2, 3)),
                call("gen", () -> Tensor.uniform(0f, 1f, null, 2)),
                call("other", () -> t.add(null)),
                call("other", () -> t.mul(null)),
                call("other", () -> t.matmul(null)),
                call("other", () -> t.allClose(null, 0f, 0f)),
                call("newShape", () -> t.reshape((int[]) null)),
                call("dims", () -> t.permute((int[]) null)),
                call("index", () -> t.get((int[]) null)),
                call("tensors", () -> Tensor.cat(null, 0)),
                call("tensors[1]", () -> Tensor.cat(Arrays.asList(t, null), 0)),
                call("tensors[0]", () -> Tensor.stack(Arrays.asList(null, t), 0)),
                call("gradOutput", () -> leaf.backward((Tensor) null)),
                call("shape", () -> Shape.numel(null)),
                call("a", () -> Shape.broadcast(null, new int[] {1})),
                // autograd
                call("root", () -> Engine.backward(null, new float[1])),
                call("seed", () -> Engine.backward(leaf, null, true)),
                call("tensors", () -> Node.shouldRecord((Tensor[]) null)),
                // nn
                call("options", () -> new LSTM(null)),
                call("options", () -> new GRU(null, null)),
                call("options", () -> new RNN(null)),
                call("nonlinearity", () -> new RNNCell(3, 4, true, null)),
                call("nonlinearity", () -> RNN.builder(3, 4).nonlinearity(null)),
                call("input", () -> lstm.forward(null)),
                call("input", () -> lstm.forward(null, Tensor.zeros(1, 1, 4), Tensor.zeros(1, 1, 4))),
                call("input", () -> new GRU(3, 4).forward((Tensor) null, (Tensor) null)),
                call("input", () -> new LSTMCell(3, 4).forward(null)),
                call("input", () -> new GRUCell(3, 4).forward(null)),
                call("input", () -> new Linear(3, 4).forward(null)),
                call("input", () -> new Dropout(0.5).forward(null)),
                call("indices", () -> new Embedding(3, 4).forward((IndexTensor) null)),
                call("gen", () -> lstm.resetParameters(null)),
                call("gen", () -> new Linear(3, 4).resetParameters(null)),
                call("state", () -> lstm.loadStateDict(null)),
                call("state", () -> lstm.loadStateDict((Map<String, Tensor>) null, false)),
                call("path", () -> lstm.save((Path) null)),
                call("path", () -> lstm.load((Path) null)),
                call("x", () -> lstm.stream().step((Tensor) null)),
                call("y", () -> lstm.stream().step(new float[3], null)),
                call("state", () -> lstm.stream().state(null)),
                call("input", () -> new MSELoss().forward(null, t)),
                call("target", () -> new CrossEntropyLoss().forward(t, null)),
                call("name", () -> Reduction.fromString(null)));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("calls")
    void nullIsNamed(String argument, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(argument, e.getMessage());
    }

    @Test
    void documentedNullsStillMeanTheDefault() {
        // A null initial state means zeros; a null generator the process-wide one; setGrad(null) clears.
        LSTM lstm = new LSTM(3, 4);
        Tensor x = Tensor.zeros(2, 1, 3);
        assertEquals(List.of(2, 1, 4), Arrays.stream(lstm.forward(x, null).output().shape()).boxed().toList());
        assertEquals(List.of(2, 1, 4), Arrays.stream(lstm.forward(x, null, null).output().shape()).boxed().toList());
        new Linear(3, 4, true, null);
        Tensor p = Tensor.zeros(1).requiresGrad(true);
        p.setGrad(null);
        new RecurrentState(null, null).detach();
    }
}

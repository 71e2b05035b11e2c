package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.io.SafeTensors;
import org.lstm4j.tensor.Tensor;

/** Wrong shapes, arguments and state dicts end in errors that say what was expected and what came. */
class BadInputTest {

    private static void assertMessage(Class<? extends Throwable> type, Executable call, String... parts) {
        Throwable e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    @Test
    void recurrentInputShapes() {
        LSTM lstm = LSTM.builder(3, 4).numLayers(2).build();
        assertMessage(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5, 2, 7)),
                "input_size", "Expected 3, got 7");
        assertMessage(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5, 2, 1, 3)),
                "2-D", "3-D", "4-D", "[5, 2, 1, 3]");
        assertMessage(IllegalArgumentException.class,
                () -> lstm.forward(Tensor.zeros(5, 2, 3), Tensor.zeros(1, 2, 4), Tensor.zeros(2, 2, 4)),
                "h0", "[2, 2, 4]", "[1, 2, 4]");
        assertMessage(IllegalArgumentException.class,
                () -> lstm.forward(Tensor.zeros(5, 3), Tensor.zeros(2, 1, 4), Tensor.zeros(2, 1, 4)),
                "unbatched", "[2, 4]", "[2, 1, 4]");
        assertMessage(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5, 2, 3), Tensor.zeros(2, 2, 4), null),
                "h0 and c0");
        GRU gru = GRU.builder(3, 4).bidirectional(true).build();
        assertMessage(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(5, 2, 3), Tensor.zeros(1, 2, 4)),
                "[2, 2, 4]", "[1, 2, 4]");
    }

    @Test
    void constructorArgumentsCheckedUpFront() {
        assertMessage(IllegalArgumentException.class, () -> LSTM.builder(3, 4).dropout(1.5).build(), "dropout", "1.5");
        assertMessage(IllegalArgumentException.class, () -> LSTM.builder(3, 4).projSize(4).build(), "proj_size", "smaller than hidden_size");
        assertMessage(IllegalArgumentException.class, () -> GRU.builder(3, 4).projSize(2).build(), "only supported for LSTM");
        assertMessage(IllegalArgumentException.class, () -> RNN.builder(3, 4).nonlinearity("gelu").build(), "gelu", "tanh", "relu");
        assertMessage(IllegalArgumentException.class, () -> new LSTM(3, 0), "hidden_size", "0");
        assertMessage(IllegalArgumentException.class, () -> LSTM.builder(3, 4).numLayers(0).build(), "num_layers");
    }

    @Test
    void cellInputShapes() {
        LSTMCell cell = new LSTMCell(3, 4);
        assertMessage(IllegalArgumentException.class, () -> cell.forward(Tensor.zeros(2, 5)), "input_size", "got 5 expected 3");
        assertMessage(IllegalArgumentException.class,
                () -> cell.forward(Tensor.zeros(2, 3), new RecurrentState(Tensor.zeros(3, 4), Tensor.zeros(3, 4))),
                "hx", "[2, 4]", "[3, 4]");
        assertMessage(IllegalArgumentException.class, () -> new Linear(4, 2).forward(Tensor.zeros(3, 5)), "4", "[3, 5]");
    }

    @Test
    void stateDictNamesAndShapesMustMatch() {
        LSTM lstm = new LSTM(3, 4);
        Map<String, Tensor> state = new LinkedHashMap<>(lstm.stateDict());
        state.remove("bias_hh_l0");
        state.put("weight_hr_l0", Tensor.zeros(2, 4));
        assertMessage(IllegalArgumentException.class, () -> lstm.loadStateDict(state),
                "missing keys [bias_hh_l0]", "unexpected keys [weight_hr_l0]");

        Map<String, Tensor> wrongShape = new LinkedHashMap<>(lstm.stateDict());
        wrongShape.put("weight_ih_l0", Tensor.zeros(16, 5));
        assertMessage(IllegalArgumentException.class, () -> lstm.loadStateDict(wrongShape),
                "weight_ih_l0", "[16, 3]", "[16, 5]");
    }

    @Test
    void loadingAFileForAnotherModelNamesTheFileAndTheKeys(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gru.safetensors");
        new GRU(3, 4).save(file);
        LSTM lstm = new LSTM(3, 4);
        float[] before = lstm.namedParameters().get("weight_ih_l0").data().clone();
        assertMessage(IllegalArgumentException.class, () -> lstm.load(file), "gru.safetensors", "size mismatch", "weight_ih_l0");
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, lstm.namedParameters().get("weight_ih_l0").data(),
                "a failed load leaves the model untouched");

        Path extra = dir.resolve("extra.safetensors");
        Map<String, Tensor> withExtra = new LinkedHashMap<>(lstm.stateDict());
        withExtra.put("decoder.weight", Tensor.zeros(1));
        SafeTensors.write(extra, withExtra, null);
        assertMessage(IllegalArgumentException.class, () -> lstm.load(extra), "unexpected keys [decoder.weight]");
    }
}

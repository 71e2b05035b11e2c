package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Tensor;

/**
 * Options that do not apply to a layer type are refused, as PyTorch refuses them, and a legal option that does
 * nothing (dropout with one layer) gives PyTorch's warning through System.Logger.
 */
class RecurrentOptionsTest {
    private final List<String> warnings = new ArrayList<>();
    private Consumer<String> previousSink;

    @BeforeEach
    void captureWarnings() {
        previousSink = Warnings.replaceSink(warnings::add);
    }

    @AfterEach
    void restoreWarnings() {
        Warnings.replaceSink(previousSink);
    }

    @Test
    void nonlinearityIsRefusedForLstmAndGru() {
        for (String value : new String[] {"relu", "tanh"}) {
            IllegalArgumentException lstm = assertThrows(IllegalArgumentException.class,
                    () -> LSTM.builder(3, 4).nonlinearity(value).build());
            assertEquals("LSTM: nonlinearity applies only to RNN (tanh or relu); LSTM has fixed gate activations"
                    + " (sigmoid and tanh), got nonlinearity='" + value + "'", lstm.getMessage());
            IllegalArgumentException gru = assertThrows(IllegalArgumentException.class,
                    () -> GRU.builder(3, 4).nonlinearity(value).options());
            assertTrue(gru.getMessage().startsWith("GRU: nonlinearity applies only to RNN"), gru.getMessage());
        }
        // The options record given directly: its default "tanh" passes, anything else does not.
        RNNOptions relu = RNN.builder(3, 4).nonlinearity("relu").options();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LSTM(relu));
        assertTrue(e.getMessage().contains("nonlinearity applies only to RNN") && e.getMessage().contains("'relu'"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GRU(relu));
        LSTM lstm = LSTM.builder(3, 4).numLayers(2).build();
        assertEquals(lstm.options(), new LSTM(lstm.options()).options(), "an LSTM's own options build another");
    }

    @Test
    void nonlinearityStillSelectsTheRnnActivation() {
        RNN relu = RNN.builder(2, 3).nonlinearity("relu").build();
        Tensor x = Tensor.full(5f, 2, 2); // weights and biases -1: every pre-activation is negative
        relu.namedParameters().values().forEach(p -> java.util.Arrays.fill(p.data(), -1f));
        for (float v : relu.forward(x).output().data()) {
            assertEquals(0f, v, "relu of negative pre-activations is 0");
        }
        RNN tanh = RNN.builder(2, 3).build();
        tanh.namedParameters().values().forEach(p -> java.util.Arrays.fill(p.data(), -1f));
        for (float v : tanh.forward(x).output().data()) {
            assertTrue(v < -0.9f, "tanh of very negative pre-activations is near -1, got " + v);
        }
        assertThrows(NullPointerException.class, () -> RNN.builder(2, 3).nonlinearity(null));
    }

    @Test
    void projSizeIsRefusedForGruAndRnn() {
        assertThrows(IllegalArgumentException.class, () -> GRU.builder(3, 4).projSize(2).build());
        assertThrows(IllegalArgumentException.class, () -> RNN.builder(3, 4).projSize(2).build());
    }

    private static final String ONE_LAYER_DROPOUT = "dropout option adds dropout after all but last recurrent layer,"
            + " so non-zero dropout expects num_layers greater than 1, but got dropout=0.5 and num_layers=1";

    @Test
    void dropoutWithOneLayerWarnsAsPyTorchDoes() {
        LSTM.builder(3, 4).dropout(0.5).build();
        assertEquals(List.of(ONE_LAYER_DROPOUT), warnings);
        GRU.builder(3, 4).dropout(0.5).build();
        new RNN(RNN.builder(3, 4).dropout(0.5).options());
        assertEquals(List.of(ONE_LAYER_DROPOUT, ONE_LAYER_DROPOUT, ONE_LAYER_DROPOUT), warnings);
    }

    @Test
    void noWarningWhenDropoutApplies() {
        LSTM.builder(3, 4).dropout(0.5).numLayers(2).build();
        LSTM.builder(3, 4).build();
        GRU.builder(3, 4).dropout(0.0).build();
        assertEquals(List.of(), warnings);
    }

    @Test
    void byDefaultTheWarningGoesToSystemLoggerAtWarning() {
        Warnings.replaceSink(null);
        // Without a LoggerFinder of the application's, System.Logger goes to java.util.logging.
        Logger logger = Logger.getLogger("org.lstm4j.nn");
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        boolean parentHandlers = logger.getUseParentHandlers();
        logger.addHandler(handler);
        logger.setUseParentHandlers(false); // keep the test's output clean
        try {
            GRU.builder(3, 4).dropout(0.5).build();
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(parentHandlers);
        }
        assertEquals(1, records.size());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertEquals(ONE_LAYER_DROPOUT, records.get(0).getMessage());
        assertEquals(List.of(), warnings, "the replaced sink is no longer called");
    }
}

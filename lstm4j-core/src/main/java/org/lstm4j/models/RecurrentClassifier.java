package org.lstm4j.models;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.Linear;
import org.lstm4j.nn.Module;
import org.lstm4j.nn.RNN;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RNNOptions;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.init.KerasInit;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * A sequence classifier: recurrent layers over the time steps (batch first), then a linear layer on the
 * final hidden state of the last layer. Unidirectional, that is {@code out[:, -1, :]}; bidirectional, the
 * forward direction's last step concatenated with the backward direction's first step
 * ({@code cat(h_n[-2], h_n[-1])}), as Keras's {@code Bidirectional(LSTM(..))} and the PyTorch tutorials do.
 * Its parameters are {@code rnn.*} (PyTorch's recurrent names) and {@code fc.weight}, {@code fc.bias}.
 *
 * <p>Input (B, T, inputSize), output logits (B, numClasses) for {@link org.lstm4j.nn.CrossEntropyLoss}.
 * The {@link Config} rebuilds the same architecture; it is what a checkpoint stores.
 */
public final class RecurrentClassifier extends Module {
    /** The cells a classifier can be built on. */
    public static final List<String> CELLS = List.of("lstm", "gru", "rnn");
    /** The initialisations: PyTorch's defaults, or Keras's (Glorot, orthogonal, forget bias 1). */
    public static final List<String> INITS = List.of("pytorch", "keras");

    /**
     * The architecture.
     *
     * @param cell          "lstm", "gru" or "rnn" (tanh)
     * @param inputSize     features per time step (28 for an image read row by row)
     * @param hiddenSize    hidden units per direction
     * @param numLayers     stacked recurrent layers
     * @param bidirectional read the sequence both ways
     * @param dropout       dropout between recurrent layers (training only)
     * @param numClasses    outputs of the linear layer
     * @param init          "pytorch" or "keras"
     */
    // Serializable: a Spark model factory captures it and is shipped to the executors.
    public record Config(String cell, int inputSize, int hiddenSize, int numLayers, boolean bidirectional,
            double dropout, int numClasses, String init) implements java.io.Serializable {
        public Config {
            Objects.requireNonNull(cell, "cell");
            Objects.requireNonNull(init, "init");
            cell = cell.toLowerCase(Locale.ROOT);
            init = init.toLowerCase(Locale.ROOT);
            if (!CELLS.contains(cell)) {
                throw new IllegalArgumentException("cell must be one of " + CELLS + ", got '" + cell + "'");
            }
            if (!INITS.contains(init)) {
                throw new IllegalArgumentException("init must be one of " + INITS + ", got '" + init + "'");
            }
            if (numClasses < 2) {
                throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
            }
            // The recurrent layer checks the rest (sizes, layers, dropout) with PyTorch's messages.
        }

        /** The same configuration with another cell / direction, for comparisons. */
        public Config with(String newCell, boolean newBidirectional) {
            return new Config(newCell, inputSize, hiddenSize, numLayers, newBidirectional, dropout, numClasses, init);
        }
    }

    private final Config config;
    private final RNNBase rnn;
    private final Linear fc;

    /**
     * Builds the model and initialises it from {@code generator}, which then also draws the inter-layer
     * dropout masks (so a checkpoint that saves its state resumes them exactly).
     */
    public RecurrentClassifier(Config config, Generator generator) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(generator, "generator");
        RNNOptions.Builder<? extends RNNBase> builder = switch (config.cell()) {
            case "lstm" -> LSTM.builder(config.inputSize(), config.hiddenSize());
            case "gru" -> GRU.builder(config.inputSize(), config.hiddenSize());
            default -> RNN.builder(config.inputSize(), config.hiddenSize());
        };
        this.rnn = registerModule("rnn", builder.numLayers(config.numLayers()).bidirectional(config.bidirectional())
                .dropout(config.dropout()).batchFirst(true).generator(generator).build());
        int features = config.hiddenSize() * (config.bidirectional() ? 2 : 1);
        this.fc = registerModule("fc", new Linear(features, config.numClasses(), true, generator));
        if (config.init().equals("keras")) {
            KerasInit.apply(this, generator);
        }
    }

    public Config config() {
        return config;
    }

    /** Logits (B, numClasses) for inputs (B, T, inputSize). */
    public Tensor forward(Tensor input) {
        if (input.dim() != 3) {
            throw new IllegalArgumentException("RecurrentClassifier: expected input (batch, steps, " + config.inputSize()
                    + "), got " + input.dim() + "-D input of shape " + java.util.Arrays.toString(input.shape()));
        }
        RecurrentOutput out = rnn.forward(input);
        Tensor last;
        if (config.bidirectional()) {
            Tensor hN = out.hN(); // (layers·2, B, H): the last layer's forward and backward final states
            last = Tensor.cat(List.of(hN.select(0, -2), hN.select(0, -1)), 1);
        } else {
            last = out.output().select(1, -1);
        }
        return fc.forward(last);
    }

    /** The recurrent layers. */
    public RNNBase rnn() {
        return rnn;
    }

    /** The linear read-out. */
    public Linear fc() {
        return fc;
    }

    @Override
    protected String extraRepr() {
        return config.toString();
    }
}

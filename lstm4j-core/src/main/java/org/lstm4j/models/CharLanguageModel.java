package org.lstm4j.models;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.lstm4j.nn.Dropout;
import org.lstm4j.nn.Embedding;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.Linear;
import org.lstm4j.nn.Module;
import org.lstm4j.nn.RNN;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RNNOptions;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.text.Vocabulary;
import org.lstm4j.train.Checkpoint;

/**
 * A character-level language model, char-rnn's: characters in (through an {@link Embedding}, or one-hot),
 * stacked recurrent layers, and a {@link Linear} read-out to one logit per vocabulary character, either on
 * every time step (next-character prediction at every position, trained with truncated BPTT) or on the last
 * step only (the many-to-one form of the Keras example).
 *
 * <p>Parameter names are PyTorch's for {@code embedding = nn.Embedding(V, E)}, {@code rnn = nn.LSTM(...,
 * batch_first=True)}, {@code fc = nn.Linear(H, V)}: {@code embedding.weight}, {@code rnn.weight_ih_l0}, ...,
 * {@code fc.weight}, {@code fc.bias}, so the weights load into that PyTorch module and back.
 */
public final class CharLanguageModel extends Module {
    /** The model type a checkpoint's model description names ({"type": ..., "config": {...}}). */
    public static final String CHECKPOINT_TYPE = "char-language-model";

    /** The cells the model can be built on. */
    public static final List<String> CELLS = List.of("lstm", "gru", "rnn");

    /** Where the read-out predicts. */
    public enum Head {
        /** A prediction at every time step: logits (B·T, V). */
        EVERY_STEP,
        /** One prediction after the last step: logits (B, V). */
        LAST_STEP
    }

    /**
     * The architecture; everything that rebuilds the model, saved in checkpoints.
     *
     * @param vocabulary   the characters, in index order ({@link Vocabulary#characters()})
     * @param cell         "lstm", "gru" or "rnn" (tanh)
     * @param embeddingDim the embedding width, or 0 for one-hot inputs
     * @param hiddenSize   hidden units per layer
     * @param numLayers    stacked recurrent layers
     * @param dropout      dropout between recurrent layers and before the read-out (training only)
     * @param head         where the read-out predicts
     */
    // Serializable: a Spark model factory captures it and is shipped to the executors.
    public record Config(String vocabulary, String cell, int embeddingDim, int hiddenSize, int numLayers, double dropout,
            Head head) implements java.io.Serializable {
        public Config {
            Objects.requireNonNull(vocabulary, "vocabulary");
            Objects.requireNonNull(cell, "cell");
            Objects.requireNonNull(head, "head");
            cell = cell.toLowerCase(Locale.ROOT);
            if (!CELLS.contains(cell)) {
                throw new IllegalArgumentException("cell must be one of " + CELLS + ", got '" + cell + "'");
            }
            Vocabulary.fromCharacters(vocabulary);
            if (embeddingDim < 0) {
                throw new IllegalArgumentException("embeddingDim must be >= 0 (0: one-hot inputs), got " + embeddingDim);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            }
            // The recurrent layer checks sizes and layers with PyTorch's messages.
        }

        /** The vocabulary as an object. */
        public Vocabulary vocabularyObject() {
            return Vocabulary.fromCharacters(vocabulary);
        }

        /** The number of characters: the inputs' and the logits' width. */
        public int vocabularySize() {
            return (int) vocabulary.codePoints().count();
        }
    }

    private final Config config;
    private final Vocabulary vocabulary;
    private final Embedding embedding;
    private final RNNBase rnn;
    private final Dropout outputDropout;
    private final Linear fc;

    /**
     * Builds and initialises the model with PyTorch's default initialisation drawn from {@code generator},
     * which then also draws the dropout masks (so a checkpoint that saves its state resumes them exactly).
     */
    public CharLanguageModel(Config config, Generator generator) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(generator, "generator");
        this.vocabulary = config.vocabularyObject();
        int v = vocabulary.size();
        this.embedding = config.embeddingDim() > 0
                ? registerModule("embedding", new Embedding(v, config.embeddingDim(), generator)) : null;
        int input = config.embeddingDim() > 0 ? config.embeddingDim() : v;
        RNNOptions.Builder<? extends RNNBase> builder = switch (config.cell()) {
            case "lstm" -> LSTM.builder(input, config.hiddenSize());
            case "gru" -> GRU.builder(input, config.hiddenSize());
            default -> RNN.builder(input, config.hiddenSize());
        };
        // The recurrent layer's dropout acts between its layers only; with one layer the model's dropout is the
        // one before the read-out, so the layer gets 0 (and does not warn that its dropout does nothing).
        double interLayerDropout = config.numLayers() > 1 ? config.dropout() : 0.0;
        this.rnn = registerModule("rnn", builder.numLayers(config.numLayers()).dropout(interLayerDropout).batchFirst(true)
                .generator(generator).build());
        this.outputDropout = config.dropout() > 0 ? new Dropout(config.dropout(), generator) : null;
        this.fc = registerModule("fc", new Linear(config.hiddenSize(), v, true, generator));
    }

    public Config config() {
        return config;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Logits for character ids (B, T) (as floats, e.g. from {@link org.lstm4j.data.ParallelStreams}), from the zero state. */
    public Tensor forward(Tensor ids) {
        return forward(ids, null).output();
    }

    /**
     * Logits and the final state for character ids (B, T) starting from {@code state} (null: zeros): logits
     * (B·T, V) for {@link Head#EVERY_STEP}, (B, V) for {@link Head#LAST_STEP}.
     *
     * @throws IllegalArgumentException if ids is not 2-D or holds a value that is not a character index
     */
    public RecurrentOutput forward(Tensor ids, RecurrentState state) {
        Objects.requireNonNull(ids, "ids");
        if (ids.dim() != 2) {
            throw new IllegalArgumentException("CharLanguageModel: expected character ids (batch, steps), got "
                    + ids.dim() + "-D input of shape " + Arrays.toString(ids.shape()));
        }
        int batch = ids.size(0);
        int steps = ids.size(1);
        int[] indices = indices(ids);
        Tensor x = embedding != null ? embedding.forward(IndexTensor.of(indices, batch, steps)) : oneHot(indices, batch, steps);
        RecurrentOutput out = state == null ? rnn.forward(x) : rnn.forward(x, state);
        Tensor features = config.head() == Head.EVERY_STEP
                ? out.output().reshape(batch * steps, config.hiddenSize())
                : out.output().select(1, -1);
        if (outputDropout != null && isTraining()) {
            features = outputDropout.forward(features);
        }
        return new RecurrentOutput(fc.forward(features), out.hN(), out.cN());
    }

    private int[] indices(Tensor ids) {
        float[] data = ids.data();
        int[] out = new int[data.length];
        int v = vocabulary.size();
        for (int i = 0; i < data.length; i++) {
            float f = data[i];
            if (!(f >= 0 && f < v) || f != Math.rint(f)) {
                throw new IllegalArgumentException("CharLanguageModel: input " + i + " is " + f
                        + ", expected a character index in [0, " + v + ")");
            }
            out[i] = (int) f;
        }
        return out;
    }

    private Tensor oneHot(int[] indices, int batch, int steps) {
        int v = vocabulary.size();
        float[] x = new float[indices.length * v];
        for (int i = 0; i < indices.length; i++) {
            x[i * v + indices[i]] = 1f;
        }
        return Tensor.of(x, batch, steps, v);
    }

    /** The model description a checkpoint saves: {"type": {@value #CHECKPOINT_TYPE}, "config": the {@link Config}}. */
    public com.fasterxml.jackson.databind.JsonNode checkpointDescription() {
        com.fasterxml.jackson.databind.node.ObjectNode node = Checkpoint.json().createObjectNode();
        node.put("type", CHECKPOINT_TYPE);
        node.set("config", Checkpoint.toJson(config));
        return node;
    }

    /**
     * The configuration a checkpoint describes.
     *
     * @throws IllegalArgumentException naming the file if the checkpoint holds another kind of model
     */
    public static Config configOf(Checkpoint checkpoint) {
        com.fasterxml.jackson.databind.JsonNode node = checkpoint.modelConfig();
        String where = checkpoint.directory().resolve(Checkpoint.DESCRIPTION).toString();
        if (!CHECKPOINT_TYPE.equals(node.path("type").asText())) {
            throw new IllegalArgumentException(where + ": the model is a '" + node.path("type").asText() + "', not a "
                    + CHECKPOINT_TYPE);
        }
        return Checkpoint.fromJson(node.get("config"), Config.class, where + " model config");
    }

    /** The model of a checkpoint with its weights, in eval mode. */
    public static CharLanguageModel load(Checkpoint checkpoint) {
        CharLanguageModel model = new CharLanguageModel(configOf(checkpoint), new Generator(0));
        model.loadStateDict(checkpoint.contents().modelState());
        model.eval();
        return model;
    }

    /** A sampler over a snapshot of the current weights; see {@link CharSampler}. */
    public CharSampler sampler(Generator generator) {
        return new CharSampler(this, generator);
    }

    /** The embedding, or null for one-hot inputs. */
    public Embedding embedding() {
        return embedding;
    }

    public RNNBase rnn() {
        return rnn;
    }

    public Linear fc() {
        return fc;
    }

    @Override
    protected String extraRepr() {
        return config.cell() + ", vocabulary " + vocabulary.size() + ", embedding " + config.embeddingDim() + ", hidden "
                + config.hiddenSize() + " x " + config.numLayers() + ", dropout " + config.dropout() + ", " + config.head();
    }
}

package org.lstm4j.models;

import java.util.Objects;
import java.util.function.IntConsumer;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.kernels.PanelGemv;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.LSTMStream;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.text.Vocabulary;

/**
 * Writes text with a trained {@link CharLanguageModel}, one character at a time: {@link #prime} feeds a
 * text, then each {@link #next} draws a character from the model's distribution and feeds it back.
 *
 * <pre>{@code
 * CharSampler sampler = model.sampler(new Generator(42));
 * sampler.prime("To be, or not to be");
 * for (int i = 0; i < 500; i++) {
 *     System.out.print(Character.toString(sampler.next(0.8, 0)));
 * }
 * }</pre>
 *
 * <p>For an LSTM it runs on the one-row serving path ({@link LSTMStream}: weights packed once, no autograd)
 * and allocates nothing per character itself; GRU and RNN models go through the layer forward of a private
 * copy of the model, in eval mode with gradients off. The weights are a snapshot taken at construction, for
 * every cell (make a new sampler after further training or loading other weights). The
 * draws come from the given {@link Generator} only, so a seed gives the same text every time. Not
 * thread-safe: one sampler per conversation.
 */
public final class CharSampler {
    /** GRU and RNN: a private copy of the model (the weights when the sampler was made), in eval mode; null for an LSTM. */
    private final CharLanguageModel general;
    private final Vocabulary vocabulary;
    private final Generator generator;
    private final int vocabularySize;
    private final int hidden;
    /** The model's input for one character: its embedding row, or a one-hot vector. */
    private final float[] input;
    private final float[] embeddingTable;
    private final int embeddingDim;
    /** The read-out's weights packed for one-row products, and its bias padded to whole panels. */
    private final float[] fcPanels;
    private final float[] fcBias;
    private final int fcPanelCount;
    /** The LSTM serving path, or null for GRU/RNN (the general forward). */
    private final LSTMStream stream;
    private final float[] top;
    /** The next character's logits, padded to whole panels. */
    private final float[] logits;
    /** The softmax numerators of the draw in progress. */
    private final double[] weights;
    /** Scratch of the top-k selection. */
    private final float[] selection;
    private RecurrentState generalState;
    private boolean hasLogits;
    private int lastOneHot = -1;

    CharSampler(CharLanguageModel model, Generator generator) {
        Objects.requireNonNull(model, "model");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.vocabulary = model.vocabulary();
        this.vocabularySize = vocabulary.size();
        CharLanguageModel.Config config = model.config();
        this.hidden = config.hiddenSize();
        this.embeddingDim = config.embeddingDim();
        this.embeddingTable = model.embedding() != null ? model.embedding().weight().data().clone() : null;
        this.input = new float[embeddingDim > 0 ? embeddingDim : vocabularySize];
        this.fcPanelCount = PanelGemv.panels(vocabularySize);
        this.fcPanels = PanelGemv.pack(model.fc().weight().data(), 0, 0, vocabularySize, hidden);
        this.fcBias = java.util.Arrays.copyOf(model.fc().bias().data(), fcPanelCount * PanelGemv.WIDTH);
        this.stream = model.rnn() instanceof LSTM lstm ? lstm.stream() : null;
        this.general = stream == null ? snapshot(model) : null;
        this.top = new float[hidden];
        this.logits = new float[fcPanelCount * PanelGemv.WIDTH];
        this.weights = new double[vocabularySize];
        this.selection = new float[vocabularySize];
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Forgets everything fed so far: the next {@link #prime} or {@link #next} starts a new text. */
    public void reset() {
        if (stream != null) {
            stream.reset();
        }
        generalState = null;
        hasLogits = false;
    }

    /**
     * Feeds {@code text}, so that the next character is drawn as its continuation.
     *
     * @throws IllegalArgumentException naming the first character not in the vocabulary and its position;
     *     nothing is fed then
     */
    public void prime(String text) {
        int[] ids = vocabulary.encode(text);
        for (int id : ids) {
            feed(id);
        }
    }

    /**
     * Draws the next character (a code point) and feeds it back. With nothing fed yet, the first character is
     * drawn uniformly from the vocabulary, as char-rnn does without a prime text.
     *
     * @param temperature divides the logits before the softmax: below 1 sharper, above 1 flatter; 0 takes the
     *                    most likely character (greedy, the lowest index among ties)
     * @param topK        draws only among the k most likely characters (ties with the k-th included); 0 for all
     * @throws IllegalArgumentException if temperature is negative or not finite, or topK is negative
     */
    public int next(double temperature, int topK) {
        checkSettings(temperature, topK);
        int id = hasLogits ? draw(temperature, topK) : generator.nextInt(vocabularySize);
        feed(id);
        return vocabulary.codePoint(id);
    }

    /**
     * Primes with {@code prime}, then writes {@code length} characters to {@code out} as they are drawn.
     */
    public void generate(String prime, int length, double temperature, int topK, IntConsumer out) {
        Objects.requireNonNull(out, "out");
        checkSettings(temperature, topK);
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        prime(prime);
        for (int i = 0; i < length; i++) {
            out.accept(next(temperature, topK));
        }
    }

    /** The logits for the next character (after at least one character was fed), a copy. */
    public float[] logits() {
        if (!hasLogits) {
            throw new IllegalStateException("nothing fed yet: prime the sampler or draw a first character");
        }
        return java.util.Arrays.copyOf(logits, vocabularySize);
    }

    static void checkSettings(double temperature, int topK) {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0 and finite (0: greedy), got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be > 0, or 0 for no limit; got " + topK);
        }
    }

    private void feed(int id) {
        if (stream != null) {
            fillInput(id);
            stream.step(input, top);
        } else {
            feedGeneral(id);
        }
        System.arraycopy(fcBias, 0, logits, 0, logits.length);
        PanelGemv.accumulate(hidden, top, 0, fcPanels, 0, fcPanelCount, logits, 0);
        hasLogits = true;
    }

    private void fillInput(int id) {
        if (embeddingDim > 0) {
            System.arraycopy(embeddingTable, id * embeddingDim, input, 0, embeddingDim);
        } else {
            if (lastOneHot >= 0) {
                input[lastOneHot] = 0f;
            }
            input[id] = 1f;
            lastOneHot = id;
        }
    }

    /**
     * A copy of {@code model} with its current weights, in eval mode: the GRU and RNN path's snapshot (the
     * read-out and embedding are copied as arrays, the LSTM packed by its stream), so that later training of
     * the model is not seen by half of the network only, and sampling never switches the model's mode.
     */
    private static CharLanguageModel snapshot(CharLanguageModel model) {
        // The generator only initialises weights that are overwritten next; eval mode draws no dropout masks.
        CharLanguageModel copy = new CharLanguageModel(model.config(), new Generator(0));
        copy.loadStateDict(model.stateDict());
        copy.eval();
        return copy;
    }

    /** GRU and RNN: one step through the snapshot's layer forward, without recording gradients. */
    private void feedGeneral(int id) {
        try (GradMode.Guard ignored = GradMode.noGrad()) {
            RecurrentOutput out = general.rnn().forward(general.embedding() != null
                    ? general.embedding().forward(org.lstm4j.tensor.IndexTensor.of(new int[] {id}, 1, 1))
                    : oneHot(id), generalState);
            generalState = out.state();
            System.arraycopy(out.output().data(), 0, top, 0, hidden);
        }
    }

    private Tensor oneHot(int id) {
        float[] x = new float[vocabularySize];
        x[id] = 1f;
        return Tensor.of(x, 1, 1, vocabularySize);
    }

    private int draw(double temperature, int topK) {
        if (temperature == 0) {
            return argmax();
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < vocabularySize; v++) {
            max = Math.max(max, logits[v]);
        }
        float threshold = topK > 0 && topK < vocabularySize ? kthLargest(topK) : Float.NEGATIVE_INFINITY;
        double total = 0;
        for (int v = 0; v < vocabularySize; v++) {
            double w = logits[v] >= threshold ? Math.exp((logits[v] - max) / temperature) : 0;
            weights[v] = w;
            total += w;
        }
        double u = generator.nextFloat() * total;
        int last = 0;
        for (int v = 0; v < vocabularySize; v++) {
            if (weights[v] > 0) {
                last = v;
                u -= weights[v];
                if (u < 0) {
                    return v;
                }
            }
        }
        return last; // u reached the end by rounding
    }

    private int argmax() {
        int best = 0;
        for (int v = 1; v < vocabularySize; v++) {
            if (logits[v] > logits[best]) {
                best = v;
            }
        }
        return best;
    }

    /** The k-th largest logit (quickselect on a scratch copy, no allocation). */
    private float kthLargest(int k) {
        System.arraycopy(logits, 0, selection, 0, vocabularySize);
        int lo = 0;
        int hi = vocabularySize - 1;
        int target = k - 1; // position in descending order
        while (lo < hi) {
            float pivot = selection[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (selection[i] > pivot) {
                    i++;
                }
                while (selection[j] < pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = selection[i];
                    selection[i] = selection[j];
                    selection[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                break;
            }
        }
        return selection[target];
    }
}

package org.lstm4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.lstm4j.kernels.KernelInfo;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.models.CharLanguageModel.Config;
import org.lstm4j.models.CharLanguageModel.Head;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.AllocationMeter;
import org.lstm4j.text.Vocabulary;

class CharSamplerTest {
    private static final String VOCAB = CharLanguageModelTest.VOCAB;
    private static final int V = CharLanguageModelTest.V;
    private static final String PRIME = "To be, or not to be: that is the question";

    /**
     * A random model whose read-out is scaled up, so that its next-character distributions are far from
     * uniform (as a trained model's are) and greedy choices are clear.
     */
    private static CharLanguageModel model(String cell, int embedding, int hidden, int layers, long seed) {
        CharLanguageModel m = new CharLanguageModel(new Config(VOCAB, cell, embedding, hidden, layers, 0.25,
                Head.EVERY_STEP), new Generator(seed));
        for (float[] w : new float[][] {m.fc().weight().data(), m.fc().bias().data()}) {
            for (int i = 0; i < w.length; i++) {
                w[i] *= 6;
            }
        }
        return m;
    }

    private static String generate(CharSampler sampler, String prime, int length, double temperature, int topK) {
        StringBuilder sb = new StringBuilder();
        sampler.generate(prime, length, temperature, topK, sb::appendCodePoint);
        return sb.toString();
    }

    /** The model's own logits, eval mode, for every position of {@code text}: (length, V). */
    private static Tensor forwardLogits(CharLanguageModel m, String text) {
        int[] ids = m.vocabulary().encode(text);
        float[] x = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            x[i] = ids[i];
        }
        boolean was = m.isTraining();
        m.eval();
        try {
            return m.forward(Tensor.of(x, 1, ids.length));
        } finally {
            m.train(was);
        }
    }

    private static float[] row(Tensor logits, int r) {
        return Arrays.copyOfRange(logits.data(), r * V, (r + 1) * V);
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Indices of logits in descending order (ties by index). */
    private static Integer[] ranking(float[] logits) {
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        return order;
    }

    @Test
    void theSameSeedWritesTheSameTextAndAnotherSeedAnotherText() {
        CharLanguageModel m = model("lstm", 16, 32, 2, 1);
        String a = generate(m.sampler(new Generator(42)), PRIME, 300, 1.0, 0);
        String b = generate(m.sampler(new Generator(42)), PRIME, 300, 1.0, 0);
        String c = generate(m.sampler(new Generator(43)), PRIME, 300, 1.0, 0);
        assertEquals(300, a.codePointCount(0, a.length()));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(a.chars().distinct().count() > 10, "temperature 1 draws many characters: " + a);
        for (int cp : a.codePoints().toArray()) {
            assertTrue(m.vocabulary().contains(cp));
        }
        // The same for the general (GRU) path.
        CharLanguageModel gru = model("gru", 16, 32, 2, 1);
        assertEquals(generate(gru.sampler(new Generator(7)), PRIME, 200, 1.0, 0),
                generate(gru.sampler(new Generator(7)), PRIME, 200, 1.0, 0));
        assertNotEquals(generate(gru.sampler(new Generator(7)), PRIME, 200, 1.0, 0),
                generate(gru.sampler(new Generator(8)), PRIME, 200, 1.0, 0));
    }

    @Test
    void samplerLogitsAfterPrimingEqualTheModelsLastStepLogits() {
        Object[][] cases = {
            {"lstm", 16, 32, 2}, {"lstm", 0, 24, 1}, {"lstm", 0, 20, 3},
            {"gru", 16, 32, 2}, {"gru", 0, 24, 1}, {"rnn", 8, 24, 2}, {"rnn", 0, 16, 1},
        };
        for (Object[] c : cases) {
            String what = Arrays.toString(c);
            CharLanguageModel m = model((String) c[0], (Integer) c[1], (Integer) c[2], (Integer) c[3], 5);
            m.train(); // the sampler and forwardLogits read in eval mode whatever the model's mode
            CharSampler sampler = m.sampler(new Generator(0));
            sampler.prime(PRIME);
            Tensor expected = forwardLogits(m, PRIME);
            float diff = maxAbsDiff(row(expected, PRIME.length() - 1), sampler.logits());
            assertTrue(diff < 1e-5f, what + ": sampler and forward logits differ by " + diff);
            assertTrue(m.isTraining(), what + ": the model's mode is left alone");
            // Each further character continues from the carried state.
            String more = generate(sampler, "", 20, 1.0, 0);
            Tensor after = forwardLogits(m, PRIME + more);
            diff = maxAbsDiff(row(after, PRIME.length() + 19), sampler.logits());
            assertTrue(diff < 1e-5f, what + ": after 20 drawn characters the logits differ by " + diff);
        }
    }

    @Test
    void temperatureZeroTakesTheArgmaxOfTheModelsOwnLogitsAtEveryStep() {
        for (String cell : new String[] {"lstm", "gru"}) {
            CharLanguageModel m = model(cell, 16, 32, 2, 3);
            String drawn = generate(m.sampler(new Generator(1)), PRIME, 120, 0.0, 0);
            Tensor logits = forwardLogits(m, PRIME + drawn);
            int[] drawnIds = m.vocabulary().encode(drawn);
            for (int i = 0; i < drawnIds.length; i++) {
                float[] r = row(logits, PRIME.length() - 1 + i);
                Integer[] rank = ranking(r);
                if (drawnIds[i] != rank[0]) {
                    // Only a tie within float rounding of the two computations may pick the other.
                    assertTrue(r[rank[0]] - r[drawnIds[i]] < 1e-5f, cell + " step " + i + ": drew "
                            + drawnIds[i] + " (" + r[drawnIds[i]] + "), the argmax is " + rank[0] + " (" + r[rank[0]] + ")");
                }
            }
            // The seed plays no part in greedy decoding; top-k = 1 is greedy too.
            assertEquals(drawn, generate(m.sampler(new Generator(99)), PRIME, 120, 0.0, 0));
            assertEquals(drawn, generate(m.sampler(new Generator(5)), PRIME, 120, 1.0, 1));
            assertEquals(drawn, generate(m.sampler(new Generator(6)), PRIME, 120, 3.0, 1));
        }
    }

    @Test
    void topKThreeDrawsOnlyAmongTheThreeMostLikely() {
        CharLanguageModel m = model("lstm", 16, 32, 2, 4);
        CharSampler sampler = m.sampler(new Generator(12));
        sampler.prime(PRIME);
        int[] rankCounts = new int[3];
        for (int i = 0; i < 600; i++) {
            float[] logits = sampler.logits();
            Integer[] rank = ranking(logits);
            int id = m.vocabulary().indexOf(sampler.next(5.0, 3)); // hot: without the limit most draws fall outside
            int position = Arrays.asList(rank).indexOf(id);
            assertTrue(position < 3 || logits[id] == logits[rank[2]], "step " + i + ": drew rank " + position);
            rankCounts[Math.min(position, 2)]++;
        }
        for (int r = 0; r < 3; r++) {
            assertTrue(rankCounts[r] > 60, "each of the 3 is drawn: " + Arrays.toString(rankCounts));
        }
        // Without the limit, the same temperature draws beyond the third most likely often.
        CharSampler free = m.sampler(new Generator(12));
        free.prime(PRIME);
        int outside = 0;
        for (int i = 0; i < 300; i++) {
            Integer[] rank = ranking(free.logits());
            int id = m.vocabulary().indexOf(free.next(5.0, 0));
            if (Arrays.asList(rank).indexOf(id) >= 3) {
                outside++;
            }
        }
        assertTrue(outside > 100, outside + " of 300 draws outside the top 3 at temperature 5");
    }

    /** Draws from one state many times: the frequencies follow softmax(logits / temperature). */
    @Test
    void drawsFollowTheTemperedSoftmax() {
        CharLanguageModel m = model("lstm", 8, 16, 1, 6);
        for (double temperature : new double[] {0.5, 2.0}) {
            CharSampler sampler = m.sampler(new Generator(2024));
            sampler.prime("t");
            float[] logits = sampler.logits();
            double max = Double.NEGATIVE_INFINITY;
            for (float l : logits) {
                max = Math.max(max, l);
            }
            double[] p = new double[V];
            double total = 0;
            for (int v = 0; v < V; v++) {
                p[v] = Math.exp((logits[v] - max) / temperature);
                total += p[v];
            }
            int n = 6000;
            int[] counts = new int[V];
            for (int i = 0; i < n; i++) {
                sampler.reset();
                sampler.prime("t");
                counts[m.vocabulary().indexOf(sampler.next(temperature, 0))]++;
            }
            // Pearson's chi-square over the characters expected at least 5 times, the rest pooled.
            double chi2 = 0;
            int cells = 0;
            double pooledExpected = 0;
            int pooledCount = 0;
            for (int v = 0; v < V; v++) {
                double expected = n * p[v] / total;
                if (expected >= 5) {
                    chi2 += (counts[v] - expected) * (counts[v] - expected) / expected;
                    cells++;
                } else {
                    pooledExpected += expected;
                    pooledCount += counts[v];
                }
            }
            if (pooledExpected >= 5) {
                chi2 += (pooledCount - pooledExpected) * (pooledCount - pooledExpected) / pooledExpected;
                cells++;
            }
            int df = cells - 1;
            assertTrue(df >= 5, "temperature " + temperature + ": " + cells + " cells");
            // Far beyond chance: mean df, standard deviation sqrt(2 df).
            assertTrue(chi2 < df + 6 * Math.sqrt(2 * df), "temperature " + temperature + ": chi-square " + chi2
                    + " with " + df + " degrees of freedom; counts " + Arrays.toString(counts));
        }
    }

    @Test
    void resetForgetsAndTheFirstCharacterWithoutPrimeIsDrawnUniformly() {
        CharLanguageModel m = model("lstm", 16, 32, 2, 8);
        CharSampler sampler = m.sampler(new Generator(3));
        IllegalStateException none = assertThrows(IllegalStateException.class, sampler::logits);
        assertTrue(none.getMessage().contains("nothing fed yet"), none.getMessage());
        sampler.prime("hello there");
        float[] primed = sampler.logits();
        sampler.next(1.0, 0);
        sampler.reset();
        assertThrows(IllegalStateException.class, sampler::logits);
        sampler.prime("hello there");
        assertArrayEquals(primed, sampler.logits(), 0f);

        int[] counts = new int[V];
        CharSampler fresh = model("lstm", 8, 16, 1, 8).sampler(new Generator(77));
        for (int i = 0; i < 6100; i++) {
            fresh.reset();
            counts[m.vocabulary().indexOf(fresh.next(0.0, 0))]++; // greedy has no logits to go by yet
        }
        for (int v = 0; v < V; v++) {
            assertTrue(counts[v] > 50 && counts[v] < 160, "character " + v + " drawn " + counts[v] + " times of ~100");
        }
    }

    @Test
    void thePrimeCharacterOutsideTheVocabularyIsNamedWithItsPosition() {
        CharLanguageModel m = model("lstm", 8, 16, 1, 9);
        CharSampler sampler = m.sampler(new Generator(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sampler.prime("Hello, wörld"));
        assertTrue(e.getMessage().contains("'ö' (U+00F6)") && e.getMessage().contains("position 8"), e.getMessage());
        assertThrows(IllegalStateException.class, sampler::logits, "nothing was fed");
        e = assertThrows(IllegalArgumentException.class, () -> generate(sampler, "ab#", 5, 1.0, 0));
        assertTrue(e.getMessage().contains("'#'") && e.getMessage().contains("position 2"), e.getMessage());
        assertThrows(IllegalStateException.class, sampler::logits, "nothing was fed");
    }

    @Test
    void badSettingsAreRefused() {
        CharLanguageModel m = model("lstm", 8, 16, 1, 10);
        CharSampler sampler = m.sampler(new Generator(0));
        sampler.prime("abc");
        float[] logits = sampler.logits();
        for (double t : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sampler.next(t, 0));
            assertTrue(e.getMessage().contains("temperature") && e.getMessage().contains(String.valueOf(t)), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sampler.next(1.0, -1));
        assertTrue(e.getMessage().contains("top-k") && e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sampler.generate("a", -1, 1.0, 0, cp -> { }));
        assertThrows(IllegalArgumentException.class, () -> sampler.generate("a", 5, -1.0, 0, cp -> { }));
        assertArrayEquals(logits, sampler.logits(), 0f, "a refused call feeds nothing");
        // Top-k beyond the vocabulary is no limit.
        assertEquals(generate(m.sampler(new Generator(4)), "ab", 50, 1.0, 0),
                generate(m.sampler(new Generator(4)), "ab", 50, 1.0, 1000));
    }

    @Test
    void theSamplerKeepsTheWeightsItWasMadeWith() {
        for (String cell : CharLanguageModel.CELLS) {
            CharLanguageModel m = model(cell, 8, 16, 2, 13);
            String before = generate(m.sampler(new Generator(5)), PRIME, 80, 1.0, 0);
            CharSampler sampler = m.sampler(new Generator(5));
            for (Tensor p : m.parameters()) {
                float[] d = p.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = -d[i] * 0.5f;
                }
            }
            assertEquals(before, generate(sampler, PRIME, 80, 1.0, 0),
                    cell + ": the sampler is a snapshot of the weights when it was made");
            assertNotEquals(before, generate(m.sampler(new Generator(5)), PRIME, 80, 1.0, 0),
                    cell + ": a new sampler sees the new weights");
        }
    }

    /**
     * Bytes allocated per character by {@code sampler.next}, in the steady state: after a warm-up that lets C2
     * compile the loop, the least of three averages over 2000 characters (a late compilation in one of them is
     * not the sampler's doing).
     */
    private static double bytesPerCharacter(CharSampler sampler, double temperature, int topK) {
        for (int i = 0; i < 4000; i++) {
            sampler.next(temperature, topK);
        }
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 3; round++) {
            long before = AllocationMeter.allocatedBytes();
            for (int i = 0; i < 2000; i++) {
                sampler.next(temperature, topK);
            }
            best = Math.min(best, (AllocationMeter.allocatedBytes() - before) / 2000.0);
        }
        return best;
    }

    /** Whether the kernels run at the CPU's own vector width (wider ones are emulated, and boxed, by C2). */
    private static void assumeNativeVectorWidth() {
        assumeTrue(!KernelInfo.vectorApiPresent()
                || KernelInfo.vectorBits() <= jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize(),
                "emulated vector width: C2 boxes wider-than-native vectors by design");
    }

    @Test
    void theLstmPathAllocatesNothingPerCharacter() {
        AllocationMeter.assumeSupported();
        assumeNativeVectorWidth();
        // 4 gates x 64 units x (32 + 64) inputs is below the work at which a layer step is split over threads
        // (Gemm.DOT_PARALLEL_MIN_WORK): whatever Parallelism.threads() is, the step runs on the calling thread.
        // The second model reads one-hot vectors.
        for (int[] dims : new int[][] {{32, 64, 2}, {0, 48, 1}}) {
            CharSampler sampler = model("lstm", dims[0], dims[1], dims[2], 14).sampler(new Generator(1));
            sampler.prime(PRIME);
            for (double[] setting : new double[][] {{0.8, 0}, {1.0, 5}, {0.0, 0}}) {
                double bytes = bytesPerCharacter(sampler, setting[0], (int) setting[1]);
                assertTrue(bytes < 64, bytes + " bytes per character at temperature " + setting[0] + ", top-k "
                        + (int) setting[1] + ", model (embedding, hidden, layers) " + Arrays.toString(dims) + ", "
                        + KernelInfo.vectorBits() + "-bit vectors");
            }
        }
    }

    /**
     * A layer step split over threads is one {@code Parallelism} job, and a job allocates its bookkeeping (the
     * Job with its two AtomicIntegers and AtomicReference, the chunking lambda, the queue node: 144 bytes on
     * a 64-bit HotSpot with compressed oops), so a 2-layer model above the split size allocates ~288 bytes per
     * character; nothing per vector operation or per unit.
     */
    @Test
    void theThreadedLstmPathAllocatesOnlyItsJobsBookkeeping() {
        AllocationMeter.assumeSupported();
        assumeNativeVectorWidth();
        int threadsBefore = Parallelism.threads();
        try {
            Parallelism.setThreads(2);
            // 4 x 128 x (64 + 128) = 98,304 multiply-adds per layer step: split (at least 65,536).
            CharSampler sampler = model("lstm", 64, 128, 2, 16).sampler(new Generator(1));
            sampler.prime(PRIME);
            double bytes = bytesPerCharacter(sampler, 0.8, 0);
            assertTrue(bytes < 2 * 256, bytes + " bytes per character for 2 layer steps split over 2 threads");
        } finally {
            Parallelism.setThreads(threadsBefore);
        }
    }

    @Test
    void vocabularyIsTheModels() {
        CharLanguageModel m = model("rnn", 4, 8, 1, 17);
        assertEquals(Vocabulary.fromCharacters(VOCAB), m.sampler(new Generator(0)).vocabulary());
        assertFalse(m.sampler(new Generator(0)).vocabulary().contains('#'));
    }
}

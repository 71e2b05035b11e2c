package org.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.data.ParallelStreams;
import org.lstm4j.models.CharLanguageModel;
import org.lstm4j.models.CharLanguageModel.Config;
import org.lstm4j.models.CharLanguageModel.Head;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

class LanguageModelEvaluatorTest {
    private static final String VOCAB = "\n !,.:;?abcdefghijklmnopqrstuvwxyz"; // 34 characters
    private static final int V = 34;

    private static int[] tokens(long seed, int n) {
        Generator g = new Generator(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = g.nextInt(V);
        }
        return t;
    }

    /** Mean cross-entropy and argmax accuracy, by hand: one forward per stream over all its windows at once. */
    private static double[] byHand(CharLanguageModel model, int[] tokens, int streams, int steps) {
        int streamLength = (tokens.length - 1) / streams;
        int read = streamLength / steps * steps; // whole windows only
        boolean was = model.isTraining();
        model.eval();
        double lossSum = 0;
        int hits = 0;
        for (int s = 0; s < streams; s++) {
            float[] x = new float[read];
            for (int t = 0; t < read; t++) {
                x[t] = tokens[s * streamLength + t];
            }
            Tensor logits = model.forward(Tensor.of(x, 1, read));
            for (int t = 0; t < read; t++) {
                int target = tokens[s * streamLength + t + 1];
                double max = Double.NEGATIVE_INFINITY;
                int best = 0;
                for (int v = 0; v < V; v++) {
                    if (logits.get(t, v) > max) {
                        max = logits.get(t, v);
                        best = v;
                    }
                }
                double sum = 0;
                for (int v = 0; v < V; v++) {
                    sum += Math.exp(logits.get(t, v) - max);
                }
                lossSum += max + Math.log(sum) - logits.get(t, target);
                hits += best == target ? 1 : 0;
            }
        }
        model.train(was);
        return new double[] {lossSum / (streams * read), (double) hits / (streams * read), streams * read};
    }

    @Test
    void theLossIsTheCrossEntropyOfOneLongForwardPerStream() {
        for (String cell : new String[] {"lstm", "gru"}) {
            Generator g = new Generator(21);
            CharLanguageModel model = new CharLanguageModel(new Config(VOCAB, cell, 8, 24, 2, 0.3, Head.EVERY_STEP), g);
            int[] text = tokens(4, 403);
            // 3 streams of (403 - 1) / 3 = 134 tokens, 134 / 7 = 19 windows: 133 predictions per stream.
            ParallelStreams data = new ParallelStreams(text, 3, 7);
            assertEquals(19, data.windows());
            LanguageModelEvaluator evaluator = new LanguageModelEvaluator(model, model::forward, data);
            Evaluation e = evaluator.evaluate();
            double[] expected = byHand(model, text, 3, 7);
            assertEquals(expected[0], e.loss(), 1e-5, cell + " loss");
            assertEquals(expected[1], e.accuracy(), 1e-12, cell + " accuracy");
            assertEquals((long) expected[2], e.examples());
            assertEquals(3 * 19 * 7, e.examples());
            assertTrue(e.seconds() >= 0);
            // Not from zeros at each window: that would be another figure.
            double windowsAlone = 0;
            model.eval();
            for (int w = 0; w < 19; w++) {
                for (int s = 0; s < 3; s++) {
                    double[] one = byHand(model, java.util.Arrays.copyOfRange(text, s * 134 + w * 7, s * 134 + w * 7 + 8),
                            1, 7);
                    windowsAlone += one[0] * 7;
                }
            }
            assertTrue(Math.abs(windowsAlone / (3 * 19 * 7) - e.loss()) > 1e-4, cell + ": the state is carried");
        }
    }

    @Test
    void theModelsModeGradModeAndGeneratorsAreLeftAsTheyWere() {
        Generator g = new Generator(5);
        CharLanguageModel model = new CharLanguageModel(new Config(VOCAB, "lstm", 8, 16, 2, 0.5, Head.EVERY_STEP), g);
        int[] text = tokens(6, 200);
        LanguageModelEvaluator evaluator = new LanguageModelEvaluator(model, model::forward, new ParallelStreams(text, 2, 10));
        model.train();
        Generator.State before = g.getState();
        Generator.State defaultBefore = Generator.getDefault().getState();
        Evaluation first = evaluator.evaluate();
        assertTrue(model.isTraining(), "training mode restored");
        assertTrue(GradMode.isEnabled());
        assertEquals(before, g.getState(), "no dropout mask was drawn: the evaluation ran in eval mode");
        assertEquals(defaultBefore, Generator.getDefault().getState());
        assertEquals(first.loss(), evaluator.evaluate().loss(), 0.0, "deterministic");
        assertEquals(byHand(model, text, 2, 10)[0], first.loss(), 1e-5);

        model.eval();
        evaluator.evaluate();
        assertFalse(model.isTraining(), "eval mode stays eval mode");
        for (Tensor p : model.parameters()) {
            assertTrue(p.grad() == null, "no gradients");
        }
    }

    @Test
    void aModelThatDoesNotPredictEveryStepIsRefused() {
        CharLanguageModel lastStep = new CharLanguageModel(new Config(VOCAB, "lstm", 8, 16, 1, 0.0, Head.LAST_STEP),
                new Generator(1));
        LanguageModelEvaluator evaluator = new LanguageModelEvaluator(lastStep, lastStep::forward,
                new ParallelStreams(tokens(1, 100), 3, 5));
        lastStep.train();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, evaluator::evaluate);
        assertTrue(e.getMessage().contains("logits (15, vocabulary), got shape [3, 34]"), e.getMessage());
        assertTrue(lastStep.isTraining(), "the mode is restored after a failure too");
    }
}

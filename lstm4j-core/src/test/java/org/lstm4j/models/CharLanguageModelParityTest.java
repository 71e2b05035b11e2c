package org.lstm4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fixtures;

/**
 * {@code fixtures/charlm/}: PyTorch's one-hot LSTM 2×6 with a read-out on the last step (the seed recipe's
 * many-to-one model, V = 7) and Embedding(7, 4) → LSTM 2×6 → Linear on every step from a given state: logits,
 * loss, final state and every gradient, with the fixture's weights loaded by their PyTorch names.
 */
@org.junit.jupiter.api.Tag("vector-widths")
class CharLanguageModelParityTest {
    /** Seven characters in ascending order: ids 0..6 as the fixtures use them. */
    private static final String VOCABULARY = "abcdefg";

    private static CharLanguageModel modelFrom(SafeTensorsFile f, int embeddingDim, CharLanguageModel.Head head) {
        assertEquals(String.valueOf(VOCABULARY.length()), f.meta("vocab_size"));
        CharLanguageModel model = new CharLanguageModel(new CharLanguageModel.Config(VOCABULARY, "lstm", embeddingDim,
                Integer.parseInt(f.meta("hidden_size")), Integer.parseInt(f.meta("num_layers")), 0.0, head), new Generator(1));
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (String name : f.tensors().keySet()) {
            if (name.startsWith("param.")) {
                weights.put(name.substring("param.".length()), f.get(name).copy());
            }
        }
        model.loadStateDict(weights); // strict: the names and shapes are PyTorch's
        return model;
    }

    private static IndexTensor ids(Tensor t) {
        float[] d = t.data();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = Math.round(d[i]);
        }
        return IndexTensor.of(out, out.length);
    }

    private static void assertGradients(SafeTensorsFile f, CharLanguageModel model, String what) {
        Map<String, Tensor> params = model.namedParameters();
        for (String name : f.tensors().keySet()) {
            if (name.startsWith("grad.param.")) {
                String param = name.substring("grad.param.".length());
                Fixtures.assertClose(what + " " + name, f.get(name), params.get(param).grad());
            }
        }
    }

    @Test
    void manyToOneOneHotMatchesPyTorch() {
        SafeTensorsFile f = Fixtures.load(Fixtures.path("charlm/many_to_one_onehot.safetensors"));
        CharLanguageModel model = modelFrom(f, 0, CharLanguageModel.Head.LAST_STEP);
        RecurrentOutput out = model.forward(f.get("input_ids").copy(), null);
        Fixtures.assertClose("logits", f.get("logits"), out.output());
        Tensor loss = new CrossEntropyLoss().forward(out.output(), ids(f.get("target_ids")));
        Fixtures.assertClose("loss", f.get("loss"), loss);
        loss.backward();
        assertGradients(f, model, "many-to-one");
    }

    @Test
    void everyStepWithEmbeddingAndInitialStateMatchesPyTorch() {
        SafeTensorsFile f = Fixtures.load(Fixtures.path("charlm/every_step_embedding.safetensors"));
        CharLanguageModel model = modelFrom(f, Integer.parseInt(f.meta("embedding_dim")), CharLanguageModel.Head.EVERY_STEP);
        Tensor h0 = f.get("h0").copy().requiresGrad(true);
        Tensor c0 = f.get("c0").copy().requiresGrad(true);
        RecurrentOutput out = model.forward(f.get("input_ids").copy(), new RecurrentState(h0, c0));
        Tensor expectedLogits = f.get("logits");
        Fixtures.assertClose("logits", expectedLogits.reshape(expectedLogits.numel() / VOCABULARY.length(),
                VOCABULARY.length()), out.output());
        Fixtures.assertClose("h_n", f.get("h_n"), out.hN());
        Fixtures.assertClose("c_n", f.get("c_n"), out.cN());
        Tensor loss = new CrossEntropyLoss().forward(out.output(), ids(f.get("target_ids")));
        Fixtures.assertClose("loss", f.get("loss"), loss);
        loss.backward();
        assertGradients(f, model, "every step");
        Fixtures.assertClose("grad.h0", f.get("grad.h0"), h0.grad());
        Fixtures.assertClose("grad.c0", f.get("grad.c0"), c0.grad());
    }
}

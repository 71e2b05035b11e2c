package org.lstm4j.nn;

import static org.lstm4j.testing.Fixtures.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fixtures;

/** Linear and Embedding against PyTorch, forward and backward. */
@org.junit.jupiter.api.Tag("vector-widths")
class LayerParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"linear_bias", "linear_nobias"})
    void linearMatchesPyTorch(String name) {
        SafeTensorsFile f = Fixtures.load(Fixtures.path("layers/" + name + ".safetensors"));
        Linear linear = new Linear(Integer.parseInt(f.meta("in_features")), Integer.parseInt(f.meta("out_features")),
                Boolean.parseBoolean(f.meta("bias")));
        linear.loadStateDict(RecurrentParityTest.prefixed(f, "param."));
        Tensor x = f.get("input").copy().requiresGrad(true);
        Tensor y = linear.forward(x);
        assertClose("output", f.get("output"), y);
        y.backward(f.get("grad_output"));
        assertClose("grad input", f.get("grad.input"), x.grad());
        assertClose("grad weight", f.get("grad.param.weight"), linear.weight().grad());
        if (linear.bias() != null) {
            assertClose("grad bias", f.get("grad.param.bias"), linear.bias().grad());
        }
    }

    @Test
    void embeddingMatchesPyTorch() {
        SafeTensorsFile f = Fixtures.load(Fixtures.path("layers/embedding.safetensors"));
        Embedding embedding = new Embedding(Integer.parseInt(f.meta("num_embeddings")), Integer.parseInt(f.meta("embedding_dim")));
        embedding.loadStateDict(RecurrentParityTest.prefixed(f, "param."));
        Tensor idx = f.get("indices");
        int[] ids = new int[idx.numel()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Math.round(idx.data()[i]);
        }
        Tensor y = embedding.forward(IndexTensor.of(ids, idx.shape()));
        assertClose("output", f.get("output"), y);
        y.backward(f.get("grad_output"));
        assertClose("grad weight", f.get("grad.param.weight"), embedding.weight().grad());
    }
}

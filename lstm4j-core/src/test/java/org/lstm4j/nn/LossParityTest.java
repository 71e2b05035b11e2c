package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fixtures;

/**
 * Every {@code fixtures/loss/*.safetensors}: PyTorch's loss value and input gradient. Metadata {@code loss}
 * is mse or cross_entropy, {@code reduction} mean or sum; cross-entropy targets are class indices stored as
 * float32.
 */
class LossParityTest {
    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        return Fixtures.list("loss").stream().map(path -> DynamicTest.dynamicTest(name(path), () -> {
            SafeTensorsFile f = Fixtures.load(path);
            Reduction reduction = Reduction.fromString(f.meta("reduction"));
            Tensor input = f.get("input").copy().requiresGrad(true);
            Tensor target = f.get("target");
            Tensor loss;
            switch (f.meta("loss")) {
                case "mse":
                    loss = new MSELoss(reduction).forward(input, target.copy());
                    break;
                case "cross_entropy":
                    loss = new CrossEntropyLoss(reduction).forward(input, indices(target));
                    break;
                default:
                    throw new AssertionError("unknown loss in fixture: " + f.meta("loss"));
            }
            assertEquals(0, loss.dim(), "loss is 0-d");
            Fixtures.assertClose(name(path) + " loss", f.get("loss"), loss);
            loss.backward();
            Fixtures.assertClose(name(path) + " grad.input", f.get("grad.input"), input.grad());
        }));
    }

    /** Float class indices to an IndexTensor; a 0-d target becomes a one-element 1-D one (accepted unbatched). */
    private static IndexTensor indices(Tensor t) {
        float[] d = t.data();
        int[] idx = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            idx[i] = Math.round(d[i]);
            assertEquals(idx[i], d[i], 0f, "target " + i + " is not a whole number");
        }
        return IndexTensor.of(idx, t.shape());
    }

    private static String name(Path path) {
        return path.getFileName().toString().replace(".safetensors", "");
    }
}

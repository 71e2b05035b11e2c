package org.lstm4j.ops;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fixtures;

/**
 * Every {@code fixtures/softmax/*.safetensors}: PyTorch's {@code softmax}/{@code log_softmax} output along
 * metadata {@code dim} and the input gradient of {@code (output * grad_output).sum()}. Inputs include ±80
 * (overflow without the max shift), a -200 log-probability and -inf logits.
 */
class SoftmaxParityTest {
    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        return Fixtures.list("softmax").stream().map(path -> DynamicTest.dynamicTest(name(path), () -> {
            SafeTensorsFile f = Fixtures.load(path);
            int dim = Integer.parseInt(f.meta("dim"));
            Tensor input = f.get("input").copy().requiresGrad(true);
            Tensor output;
            switch (f.meta("op")) {
                case "softmax":
                    output = input.softmax(dim);
                    break;
                case "log_softmax":
                    output = input.logSoftmax(dim);
                    break;
                default:
                    throw new AssertionError("unknown op in fixture: " + f.meta("op"));
            }
            Fixtures.assertClose(name(path) + " output", f.get("output"), output);
            output.backward(f.get("grad_output"));
            Fixtures.assertClose(name(path) + " grad.input", f.get("grad.input"), input.grad());
        }));
    }

    private static String name(Path path) {
        return path.getFileName().toString().replace(".safetensors", "");
    }
}

package org.lstm4j.nn.init;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fixtures;

/**
 * Every {@code fixtures/init/orthogonal_*.safetensors}: {@code torch.nn.init.orthogonal_}'s result
 * ({@code output}, of the tensor's shape) from the standard-normal draw it made ({@code normal}, (rows, cols)),
 * metadata {@code rows}, {@code cols}, {@code gain}. The generators differ, so the draw is taken from the
 * fixture: this checks the QR, the sign fix and the transposes of wide matrices.
 */
class OrthogonalParityTest {
    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        return Fixtures.list("init").stream().map(path -> DynamicTest.dynamicTest(name(path), () -> {
            SafeTensorsFile f = Fixtures.load(path);
            int rows = Integer.parseInt(f.meta("rows"));
            int cols = Integer.parseInt(f.meta("cols"));
            double gain = Double.parseDouble(f.meta("gain"));
            Tensor expected = f.get("output");
            Tensor actual = Tensor.zeros(expected.shape());
            Init.orthogonalFromNormal(f.get("normal").data(), rows, cols, gain, actual.data());
            Fixtures.assertClose(name(path), expected, actual);
        }));
    }

    private static String name(Path path) {
        return path.getFileName().toString().replace(".safetensors", "");
    }
}

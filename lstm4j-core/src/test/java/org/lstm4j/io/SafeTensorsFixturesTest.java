package org.lstm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Tensor;

/** Every PyTorch fixture parses, and the recurrent ones follow the conventions of scripts/fixtures/README.md. */
class SafeTensorsFixturesTest {

    @Test
    void everyFixtureParsesAndRoundTripsThroughTheJavaWriter() throws IOException, URISyntaxException {
        List<Path> files = fixtures("");
        assertTrue(files.size() > 60, "expected the generated fixtures, found " + files.size());
        for (Path file : files) {
            SafeTensorsFile f = SafeTensors.read(file);
            SafeTensorsFile again = SafeTensors.fromBytes(SafeTensors.toBytes(f.tensors(), f.metadata()), file + " (rewritten)");
            assertEquals(f.metadata(), again.metadata());
            assertEquals(List.copyOf(f.tensors().keySet()), List.copyOf(again.tensors().keySet()));
            for (String name : f.tensors().keySet()) {
                assertArrayEquals(f.get(name).shape(), again.get(name).shape(), file + ":" + name);
                assertArrayEquals(f.get(name).data(), again.get(name).data(), file + ":" + name);
            }
        }
    }

    @Test
    void recurrentFixturesHaveShapesMatchingTheirMetadata() throws IOException, URISyntaxException {
        for (Path file : fixtures("rnn")) {
            SafeTensorsFile f = SafeTensors.read(file);
            boolean lstm = f.meta("mode").equals("LSTM");
            int layers = Integer.parseInt(f.meta("num_layers"));
            int directions = Boolean.parseBoolean(f.meta("bidirectional")) ? 2 : 1;
            int proj = Integer.parseInt(f.meta("proj_size"));
            int hOut = proj > 0 ? proj : Integer.parseInt(f.meta("hidden_size"));
            boolean batched = Boolean.parseBoolean(f.meta("batched"));
            Tensor hN = f.get("h_n");
            assertEquals(batched ? 3 : 2, hN.dim(), file::toString);
            assertEquals(layers * directions, hN.size(0), file::toString);
            assertEquals(hOut, hN.size(-1), file::toString);
            assertEquals(directions * hOut, f.get("output").size(-1), file::toString);
            assertEquals(lstm, f.contains("c_n"), file::toString);
            assertEquals(Boolean.parseBoolean(f.meta("has_initial_state")), f.contains("h0"), file::toString);
            for (String name : f.tensors().keySet()) {
                if (name.startsWith("param.")) {
                    assertArrayEquals(f.get(name).shape(), f.get("grad." + name).shape(), file + ":" + name);
                }
            }
            assertFalse(f.contains("param.weight_hr_l0") && proj == 0, file::toString);
        }
    }

    private List<Path> fixtures(String subdir) throws IOException, URISyntaxException {
        Path root = Path.of(getClass().getResource("/fixtures").toURI()).resolve(subdir);
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
    }
}

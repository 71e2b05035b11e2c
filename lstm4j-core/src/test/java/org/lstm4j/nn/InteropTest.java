package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lstm4j.testing.Fixtures.assertClose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.io.SafeTensors;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fixtures;

/**
 * Weights cross between PyTorch and lstm4j as safetensors state dicts: PyTorch's file loads into lstm4j and
 * gives PyTorch's outputs; lstm4j's file is byte-for-byte the one that {@code check_lstm4j_export.py} loaded
 * into PyTorch with {@code strict=True} and found to give lstm4j's outputs (and, where PyTorch is installed,
 * the check is run again on the fresh file).
 */
class InteropTest {
    private static final String SAVED = "interop/saved_by_lstm4j.safetensors";
    private static final String SAVED_EXPECTED = "interop/saved_by_lstm4j.expected.safetensors";

    /** nn.LSTM(4, 6, num_layers=2, bidirectional=True, batch_first=True, proj_size=3). */
    private static LSTM interopModel() {
        return LSTM.builder(4, 6).numLayers(2).bidirectional(true).batchFirst(true).projSize(3).build();
    }

    @Test
    void stateDictWrittenFromPyTorchLoadsAndGivesPyTorchOutputs() throws IOException {
        LSTM model = interopModel();
        model.load(Fixtures.path("interop/lstm_state_dict_from_pytorch.safetensors"));
        SafeTensorsFile io = Fixtures.load(Fixtures.path("interop/lstm_io.safetensors"));
        RecurrentOutput out;
        try (GradMode.Guard g = GradMode.noGrad()) {
            out = model.forward(io.get("input"));
        }
        assertClose("output", io.get("output"), out.output());
        assertClose("h_n", io.get("h_n"), out.hN());
        assertClose("c_n", io.get("c_n"), out.cN());
    }

    @Test
    void stateDictSavedByLstm4jIsTheFileVerifiedInPyTorch(@TempDir Path dir) throws Exception {
        Generator.manualSeed(7);
        LSTM model = interopModel();
        Path saved = dir.resolve("model.safetensors");
        model.save(saved);
        Path expected = dir.resolve("expected.safetensors");
        SafeTensors.write(expected, expectedOutputs(model), null);

        if (Boolean.getBoolean("lstm4j.regenerateFixtures")) {
            Path resources = Path.of("src/test/resources/fixtures");
            Files.copy(saved, resources.resolve(SAVED), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(expected, resources.resolve(SAVED_EXPECTED), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertArrayEquals(Files.readAllBytes(Fixtures.path(SAVED)), Files.readAllBytes(saved),
                "Module.save output differs from the file verified in PyTorch; if the change is intended, regenerate with"
                        + " -Dlstm4j.regenerateFixtures=true and rerun scripts/fixtures/check_lstm4j_export.py");
        assertArrayEquals(Files.readAllBytes(Fixtures.path(SAVED_EXPECTED)), Files.readAllBytes(expected));

        Assumptions.assumeTrue(pytorchAvailable(), "PyTorch not installed: relying on the committed verified file");
        Path script = Path.of("../scripts/fixtures/check_lstm4j_export.py").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), saved.toString(), "--expected", expected.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "PyTorch check failed:\n" + log);
    }

    @Test
    void saveThenLoadRestoresTheSameModel(@TempDir Path dir) throws IOException {
        Generator.manualSeed(11);
        LSTM original = interopModel();
        Path file = dir.resolve("m.safetensors");
        original.save(file);
        Generator.manualSeed(12);
        LSTM restored = interopModel();
        restored.load(file);
        Tensor x = Tensor.randn(new Generator(3), 2, 5, 4);
        RecurrentOutput a = original.forward(x);
        RecurrentOutput b = restored.forward(x);
        assertArrayEquals(a.output().data(), b.output().data());
        assertArrayEquals(a.cN().data(), b.cN().data());
    }

    private static Map<String, Tensor> expectedOutputs(LSTM model) {
        SafeTensorsFile io = Fixtures.load(Fixtures.path("interop/lstm_io.safetensors"));
        try (GradMode.Guard g = GradMode.noGrad()) {
            RecurrentOutput out = model.forward(io.get("input"));
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("expected.output", out.output());
            m.put("expected.h_n", out.hN());
            m.put("expected.c_n", out.cN());
            return m;
        }
    }

    private static boolean pytorchAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

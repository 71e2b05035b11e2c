package org.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.io.SafeTensors;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.Evaluation;

/** The README's Java example is this package's ReadmeExample, word for word, and it learns. */
class ReadmeExampleTest {

    /** The README's ```java block that declares {@code public class <name>}. */
    private static String readmeBlock(String className) throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        for (int start = readme.indexOf("```java\n"); start >= 0; start = readme.indexOf("```java\n", start + 1)) {
            int end = readme.indexOf("```", start + 8);
            String shown = readme.substring(start + 8, end);
            if (shown.contains("public class " + className + " ")) {
                return shown;
            }
        }
        throw new AssertionError("README has no ```java block declaring public class " + className);
    }

    private static void assertShownVerbatim(String className) throws Exception {
        String source = Files.readString(Path.of("src/test/java/org/lstm4j/examples/" + className + ".java"));
        String withoutPackage = source.substring(source.indexOf('\n', source.indexOf("package ")) + 1).stripLeading();
        assertEquals(withoutPackage, readmeBlock(className),
                "README's Java example must match " + className + ".java (copy it over)");
    }

    @Test
    void readmeShowsTheExamplesVerbatim() throws Exception {
        assertShownVerbatim("ReadmeExample");
        assertShownVerbatim("MnistExample");
        assertShownVerbatim("CharLmExample");
    }

    @Test
    void theCharLmExampleLearnsBelowTheUnigramEntropyAndSamples() throws Exception {
        Path text = org.lstm4j.testing.Datasets.require("tinyshakespeare").resolve("input.txt");
        StringBuilder sample = new StringBuilder();
        Evaluation e = CharLmExample.train(text, 200, sample);
        // Tiny Shakespeare's characters alone (unigram) carry 3.3 nats; 200 steps of 16 x 64 reach far below.
        assertTrue(e.loss() < 2.6, "validation loss after 200 steps: " + e.loss());
        assertEquals(200, sample.codePointCount(0, sample.length()));
    }

    @Test
    void theMnistExampleLearnsAndCheckpoints(@TempDir Path dir) throws Exception {
        Path mnist = org.lstm4j.testing.Datasets.require("mnist");
        Evaluation e = MnistExample.train(mnist, dir.resolve("ckpt"), 1, 150);
        assertTrue(e.accuracy() > 0.7, "150 steps of 100 images: test accuracy " + e.accuracy());
        assertEquals(10000, e.examples());
        assertEquals(150, Checkpoint.load(dir.resolve("ckpt")).training().step());
    }

    @Test
    void exampleLearnsAndSavesPyTorchNames(@TempDir Path dir) throws Exception {
        Path checkpoint = dir.resolve("regressor.safetensors");
        float loss = ReadmeExample.train(checkpoint);
        // The target's variance is about 0.4 over the window; a model that learned the running sum does far better.
        assertTrue(loss < 0.01f, "final MSE " + loss);
        Set<String> names = SafeTensors.read(checkpoint).tensors().keySet();
        assertTrue(names.contains("lstm.weight_ih_l0") && names.contains("head.bias"), names.toString());
    }
}

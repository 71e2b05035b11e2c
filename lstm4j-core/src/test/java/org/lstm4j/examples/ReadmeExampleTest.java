package org.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.io.SafeTensors;

/** The README's Java example is this package's ReadmeExample, word for word, and it learns. */
class ReadmeExampleTest {

    @Test
    void readmeShowsThisExampleVerbatim() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```java\n");
        assertTrue(start >= 0, "README has a ```java block");
        int end = readme.indexOf("```", start + 8);
        String shown = readme.substring(start + 8, end);
        String source = Files.readString(Path.of("src/test/java/org/lstm4j/examples/ReadmeExample.java"));
        String withoutPackage = source.substring(source.indexOf('\n', source.indexOf("package ")) + 1).stripLeading();
        assertEquals(withoutPackage, shown, "README's Java example must match ReadmeExample.java (copy it over)");
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

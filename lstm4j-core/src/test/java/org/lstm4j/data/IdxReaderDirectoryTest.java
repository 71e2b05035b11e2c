package org.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryGivenAsTheFileIsNamedAndSaidToBeOne() throws IOException {
        // Without the check, the JVM's own "Is a directory" comes without the path.
        Path images = Files.createDirectory(dir.resolve("train-images-idx3-ubyte.gz"));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(images));
        assertEquals(images + ": is a directory, expected an IDX file", e.getMessage());
        IdxFormatException labels = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(images));
        assertEquals(images.toString(), labels.source());
    }
}

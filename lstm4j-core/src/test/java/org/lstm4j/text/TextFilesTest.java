package org.lstm4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {
    @TempDir
    Path tmp;

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    private static TextFormatException refused(byte[] data, long offset, String badByte) {
        TextFormatException e = assertThrows(TextFormatException.class, () -> TextFiles.decodeUtf8(data, "src.txt"));
        assertEquals(offset, e.byteOffset(), e.getMessage());
        assertTrue(e.getMessage().startsWith("src.txt: "), e.getMessage());
        assertTrue(e.getMessage().contains("at byte offset " + offset), e.getMessage());
        assertTrue(e.getMessage().contains("byte 0x" + badByte), e.getMessage());
        return e;
    }

    @Test
    void multiByteCharactersDecode() throws Exception {
        String text = "naïve café — 日本語 😀\n";
        assertEquals(text, TextFiles.decodeUtf8(text.getBytes(StandardCharsets.UTF_8), "x"));
        Path file = tmp.resolve("ok.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        assertEquals(text, TextFiles.readUtf8(file));
        assertEquals("", TextFiles.decodeUtf8(new byte[0], "x"));
    }

    @Test
    void aPngHeaderIsRefusedAtItsFirstByte() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        TextFormatException e = refused(png, 0, "89");
        assertTrue(e.getMessage().contains("binary"), e.getMessage());
    }

    @Test
    void aTruncatedSequenceAtTheEndIsRefusedWhereItStarts() {
        // "abc" then the first two of the three bytes of '€' (E2 82 AC).
        refused(bytes("abc", 0xE2, 0x82), 3, "e2");
        // The first of the four bytes of an emoji (F0 9F 98 80), after a complete emoji.
        refused(bytes("😀", 0xF0), 4, "f0");
    }

    @Test
    void aLoneContinuationByteInTheMiddleIsRefusedAtItsOffset() {
        refused(bytes("héllo ", 0x80, " world"), 7, "80"); // 'é' takes two bytes
    }

    @Test
    void overlongFormsAndEncodedSurrogatesAreNotUtf8() {
        refused(bytes("ab", 0xC0, 0xAF, "cd"), 2, "c0");          // overlong '/'
        refused(bytes("x", 0xED, 0xA0, 0x80, "y"), 1, "ed");      // U+D800 encoded (CESU)
        refused(bytes("x", 0xF4, 0x90, 0x80, 0x80), 1, "f4");     // above U+10FFFF
        refused(bytes("Latin-1 caf", 0xE9, " au lait"), 11, "e9"); // a Latin-1 file
    }

    @Test
    void aByteOrderMarkIsDroppedOnlyAtTheStart() throws Exception {
        assertEquals("hi", TextFiles.decodeUtf8(bytes(0xEF, 0xBB, 0xBF, "hi"), "x"));
        assertEquals("", TextFiles.decodeUtf8(bytes(0xEF, 0xBB, 0xBF), "x"));
        assertEquals("a\uFEFFb", TextFiles.decodeUtf8(bytes("a", 0xEF, 0xBB, 0xBF, "b"), "x"));
        Path file = tmp.resolve("bom.txt");
        Files.write(file, bytes(0xEF, 0xBB, 0xBF, "First Citizen:\n"));
        assertEquals("First Citizen:\n", TextFiles.readUtf8(file));
    }

    @Test
    void readUtf8NamesTheFileAndOffset() throws Exception {
        Path file = tmp.resolve("image.png");
        Files.write(file, bytes("GIF89a", 0xFF, 0xFE));
        TextFormatException e = assertThrows(TextFormatException.class, () -> TextFiles.readUtf8(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertEquals(6, e.byteOffset());
        assertTrue(e.getMessage().contains("byte 0xff at byte offset 6"), e.getMessage());
    }
}

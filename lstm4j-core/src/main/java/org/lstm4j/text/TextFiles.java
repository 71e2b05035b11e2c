package org.lstm4j.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads text files as strict UTF-8: a binary or mis-encoded file is refused with the offset of its first bad byte. */
public final class TextFiles {
    /** Larger texts do not fit a Java string of UTF-16 characters anyway (and a char model wants far less). */
    public static final long MAX_BYTES = Integer.MAX_VALUE / 2;

    private TextFiles() {}

    /**
     * The whole file decoded as UTF-8 (a leading byte-order mark is dropped, as editors write one).
     *
     * @throws TextFormatException naming the file and the byte offset if it is not valid UTF-8, or larger
     *     than {@link #MAX_BYTES}
     */
    public static String readUtf8(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new TextFormatException(file + ": " + size + " bytes is larger than the " + MAX_BYTES
                    + " bytes a text can have here", MAX_BYTES);
        }
        return decodeUtf8(Files.readAllBytes(file), file.toString());
    }

    /** {@code bytes} decoded as strict UTF-8; {@code source} names them in errors. */
    public static String decodeUtf8(byte[] bytes, String source) throws TextFormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw new TextFormatException(source + ": not UTF-8 text: byte 0x"
                    + String.format("%02x", bytes[offset] & 0xff) + " at byte offset " + offset
                    + " does not start a valid UTF-8 sequence (is it a binary file?)", offset);
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}

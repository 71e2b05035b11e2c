package org.lstm4j.text;

import java.io.IOException;

/** A file that is not valid UTF-8 text: the message names the file and the byte offset of the first bad byte. */
public final class TextFormatException extends IOException {
    private final long byteOffset;

    public TextFormatException(String message, long byteOffset) {
        super(message);
        this.byteOffset = byteOffset;
    }

    /** Offset of the first byte that is not part of a valid UTF-8 sequence. */
    public long byteOffset() {
        return byteOffset;
    }
}

package org.lstm4j.data;

import java.io.IOException;

/**
 * An IDX file (or its gzip wrapping) that does not follow the format. The message starts with the file
 * and says what was expected and what was found.
 */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String detail;

    public IdxFormatException(String source, String detail) {
        this(source, detail, null);
    }

    /** With the decoder's exception as the cause (a corrupt gzip stream). */
    public IdxFormatException(String source, String detail, Throwable cause) {
        super(source + ": " + detail, cause);
        this.source = source;
        this.detail = detail;
    }

    /** The file the reader was given. */
    public String source() {
        return source;
    }

    /** The message without the file prefix. */
    public String detail() {
        return detail;
    }
}

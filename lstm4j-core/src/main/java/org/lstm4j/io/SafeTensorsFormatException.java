package org.lstm4j.io;

import java.io.IOException;

/**
 * A safetensors file (or byte array) that does not follow the format. The message starts with the source
 * (file name) and says what was expected and what was found.
 */
public final class SafeTensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String detail;

    public SafeTensorsFormatException(String source, String detail) {
        super(source + ": " + detail);
        this.source = source;
        this.detail = detail;
    }

    /** The file name (or other source description) given to the reader. */
    public String source() {
        return source;
    }

    /** The message without the source prefix. */
    public String detail() {
        return detail;
    }
}

package org.lstm4j.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header of a safetensors file, parsed and validated entry by entry with Jackson's streaming
 * parser: no tree of the whole header is built, the first defect ends the parse, and the number of tensors
 * and metadata entries is capped, so a hostile header costs time and memory in proportion to what is kept
 * (at most {@link SafeTensors#MAX_TENSORS} entries), not to what it declares.
 *
 * @param entries  the tensors in header order; shapes agree with their offsets, which are not yet checked
 *                 against each other or the data region
 * @param metadata the {@code __metadata__} strings in header order
 */
record SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata) {
    static final String METADATA_KEY = "__metadata__";

    /** One tensor of the header: its data are bytes [begin, end) of the data region. */
    record Entry(String name, int[] shape, long begin, long end) {}

    /** The format has three levels (header, entry, shape); a little room is left for ignored fields. */
    private static final int MAX_NESTING = 16;

    /** Offsets and sizes are integers of at most 19 digits; anything longer is not one. */
    private static final int MAX_NUMBER_CHARS = 32;

    // Field names are neither canonicalised nor interned: a header is read once, and a symbol table would
    // grow with a hostile header's millions of names (and throw IllegalStateException on hash collisions).
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxNumberLength(MAX_NUMBER_CHARS)
                    .build())
            .build();

    /**
     * Parses {@code length} bytes of {@code bytes} from {@code offset} as the header of {@code source}.
     *
     * @throws SafeTensorsFormatException on the first defect: invalid JSON, a structure other than the
     *     format's, a dtype other than F32, a shape that disagrees with its offsets, a duplicate name, or
     *     more tensors or metadata entries than the caps
     */
    static SafeTensorsHeader parse(byte[] bytes, int offset, int length, String source) throws SafeTensorsFormatException {
        return new Parser(source, length).parse(bytes, offset);
    }

    private static final class Parser {
        private final String source;
        private final int headerLength;
        private JsonParser p;

        Parser(String source, int headerLength) {
            this.source = source;
            this.headerLength = headerLength;
        }

        SafeTensorsHeader parse(byte[] bytes, int offset) throws SafeTensorsFormatException {
            try (JsonParser parser = JSON.createParser(bytes, offset, headerLength)) {
                p = parser;
                return parseHeader();
            } catch (JsonProcessingException e) {
                // Covers syntax errors, invalid UTF-8 and the stream constraints (nesting, number length).
                throw error("expected the " + headerLength + "-byte header to be valid JSON, got a parse error: "
                        + Excerpts.cut(e.getOriginalMessage(), 300));
            } catch (SafeTensorsFormatException e) {
                throw e;
            } catch (IOException e) {
                throw error("could not parse the header: " + e.getMessage());
            }
        }

        private SafeTensorsHeader parseHeader() throws IOException {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw error("expected the header to be a JSON object, got " + (first == null ? "nothing" : describeValue()));
            }
            List<Entry> entries = new ArrayList<>();
            Set<String> names = new HashSet<>();
            Map<String, String> metadata = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals(METADATA_KEY)) {
                    if (metadata != null) {
                        throw error("duplicate '" + METADATA_KEY + "' in the header (expected at most one)");
                    }
                    metadata = readMetadata();
                } else {
                    if (entries.size() == SafeTensors.MAX_TENSORS) {
                        throw tooManyTensors();
                    }
                    if (!names.add(name)) {
                        throw error("duplicate tensor name " + Excerpts.quote(name) + " in the header (each name may appear once)");
                    }
                    entries.add(readEntry(name));
                }
            }
            // The loop ends on the header's END_OBJECT; a second value after it is not part of the format.
            if (p.nextToken() != null) {
                throw error("expected the header to be one JSON object, got " + describeValue() + " after it");
            }
            return new SafeTensorsHeader(entries, metadata == null ? Map.of() : metadata);
        }

        /** Counts the remaining entries without keeping them, so the message can say how many were declared. */
        private SafeTensorsFormatException tooManyTensors() throws IOException {
            long declared = SafeTensors.MAX_TENSORS + 1L; // with the one whose value is the current token
            boolean complete = true;
            try {
                p.skipChildren();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    boolean tensor = !METADATA_KEY.equals(p.currentName());
                    p.nextToken();
                    p.skipChildren();
                    declared += tensor ? 1 : 0;
                }
            } catch (JsonProcessingException e) {
                complete = false; // the rest is not valid JSON: report what was counted
            }
            return error("declares " + (complete ? "" : "at least ") + declared + " tensors, more than this reader's"
                    + " limit of " + SafeTensors.MAX_TENSORS + " (SafeTensors.MAX_TENSORS)");
        }

        private Map<String, String> readMetadata() throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw error("expected '" + METADATA_KEY + "' to be an object of strings, got " + describeValue());
            }
            Map<String, String> out = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                if (out.size() == SafeTensors.MAX_METADATA_ENTRIES) {
                    throw error("'" + METADATA_KEY + "' holds more than " + SafeTensors.MAX_METADATA_ENTRIES
                            + " entries, this reader's limit (SafeTensors.MAX_METADATA_ENTRIES)");
                }
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    throw error("expected metadata value " + Excerpts.quote(key) + " to be a string, got " + describeValue());
                }
                if (out.putIfAbsent(key, p.getText()) != null) {
                    throw error("duplicate metadata key " + Excerpts.quote(key) + " (each key may appear once)");
                }
            }
            return out;
        }

        private Entry readEntry(String name) throws IOException {
            String what = "tensor " + Excerpts.quote(name);
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw error("expected " + what + " to be an object with dtype, shape and data_offsets, got " + describeValue());
            }
            String dtype = null;
            Shape shape = null;
            long[] offsets = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "dtype" -> {
                        requireOnce(dtype, field, what);
                        if (p.currentToken() != JsonToken.VALUE_STRING) {
                            throw error("expected the dtype of " + what + " to be a string, got " + describeValue());
                        }
                        dtype = p.getText();
                    }
                    case "shape" -> {
                        requireOnce(shape, field, what);
                        shape = readShape(what);
                    }
                    case "data_offsets" -> {
                        requireOnce(offsets, field, what);
                        offsets = readOffsets(what);
                    }
                    default -> p.skipChildren(); // other fields are ignored, as the reference reader does
                }
            }
            for (var required : List.of(Map.entry("dtype", dtype != null), Map.entry("shape", shape != null),
                    Map.entry("data_offsets", offsets != null))) {
                if (!required.getValue()) {
                    throw error(what + " is missing '" + required.getKey() + "' (expected dtype, shape and data_offsets)");
                }
            }
            if (!dtype.equals("F32")) {
                throw error("unsupported dtype: expected F32, got " + Excerpts.cut(dtype, 40) + " for " + what);
            }
            long begin = offsets[0];
            long end = offsets[1];
            if (end < begin) {
                throw error("expected data_offsets of " + what + " to have begin <= end, got [" + begin + ", " + end + "]");
            }
            long numel = shape.numel();
            if (numel < 0) {
                throw error("shape " + shape + " of " + what + " has more than 2^31-1 elements");
            }
            if (numel * Float.BYTES != end - begin) {
                throw error("shape " + shape + " of " + what + " needs " + numel * Float.BYTES + " bytes of F32, but"
                        + " data_offsets [" + begin + ", " + end + "] span " + (end - begin) + " bytes");
            }
            return new Entry(name, shape.sizes(), begin, end);
        }

        private void requireOnce(Object seen, String field, String what) throws SafeTensorsFormatException {
            if (seen != null) {
                throw error(what + " has '" + field + "' twice (expected it once)");
            }
        }

        private Shape readShape(String what) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw error("expected the shape of " + what + " to be an array, got " + describeValue());
            }
            Shape shape = new Shape();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                        || p.getIntValue() < 0) {
                    throw error("expected the shape of " + what + " to hold non-negative int32 sizes, got "
                            + describeValue() + " at dimension " + shape.rank + " (after " + shape + ")");
                }
                shape.add(p.getIntValue());
            }
            return shape;
        }

        private long[] readOffsets(String what) throws IOException {
            String expected = "expected data_offsets of " + what + " to be [begin, end] with non-negative integers, got ";
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw error(expected + describeValue());
            }
            long[] offsets = new long[2];
            int n = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (n == 2) {
                    throw error(expected + "a third element, " + describeValue());
                }
                boolean nonNegativeLong = p.currentToken() == JsonToken.VALUE_NUMBER_INT
                        && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER && p.getLongValue() >= 0;
                if (!nonNegativeLong) {
                    throw error(expected + describeValue() + " as element " + n);
                }
                offsets[n++] = p.getLongValue();
            }
            if (n != 2) {
                throw error(expected + Arrays.toString(Arrays.copyOf(offsets, n)));
            }
            return offsets;
        }

        /** The current value in a few words: its JSON type and, for a scalar, its text (cut short). */
        private String describeValue() throws IOException {
            JsonToken t = p.currentToken();
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "string \"" + Excerpts.cut(p.getText(), 60) + "\"";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + Excerpts.cut(p.getText(), 60);
                case VALUE_TRUE, VALUE_FALSE -> "boolean " + p.getText();
                case VALUE_NULL -> "null";
                default -> t.asString() == null ? t.name().toLowerCase() : t.asString();
            };
        }

        private SafeTensorsFormatException error(String detail) {
            return new SafeTensorsFormatException(source, detail);
        }
    }

    /** The sizes of a shape as they are read, growing like a list of ints. */
    private static final class Shape {
        int[] sizes = new int[4];
        int rank;

        void add(int size) {
            if (rank == sizes.length) {
                sizes = Arrays.copyOf(sizes, rank * 2);
            }
            sizes[rank++] = size;
        }

        int[] sizes() {
            return Arrays.copyOf(sizes, rank);
        }

        /** The element count, or -1 if it exceeds what one Java array holds (checked as it grows: no overflow). */
        long numel() {
            long numel = 1;
            for (int i = 0; i < rank; i++) {
                numel *= sizes[i];
                if (numel > Integer.MAX_VALUE) {
                    return -1;
                }
            }
            return numel;
        }

        @Override
        public String toString() {
            return Excerpts.shape(sizes, rank);
        }
    }
}

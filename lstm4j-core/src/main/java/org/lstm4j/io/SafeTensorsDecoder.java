package org.lstm4j.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lstm4j.tensor.Tensor;

/** Parses and validates safetensors bytes; every defect becomes a {@link SafeTensorsFormatException}. */
final class SafeTensorsDecoder {
    /** Headers beyond this are rejected as corrupt rather than allocated (the reference reader's limit). */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    // Duplicate names and trailing junk after the header object are format errors, not "last one wins".
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** One header entry, kept until the offsets have been checked against each other. */
    private record Entry(String name, int[] shape, long begin, long end) {}

    private final byte[] bytes;
    private final String source;

    private SafeTensorsDecoder(byte[] bytes, String source) {
        this.bytes = bytes;
        this.source = source;
    }

    static SafeTensorsFile decode(byte[] bytes, String source) throws SafeTensorsFormatException {
        return new SafeTensorsDecoder(bytes, source).decode();
    }

    private SafeTensorsFile decode() throws SafeTensorsFormatException {
        if (bytes.length < 8) {
            throw error("expected at least 8 bytes (the header length), got a file of " + bytes.length + " bytes");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // Unsigned: a negative long is a length above 2^63, certainly absurd.
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw error("header length " + Long.toUnsignedString(headerLength) + " is absurd (expected at most "
                    + MAX_HEADER_BYTES + " bytes); this is probably not a safetensors file");
        }
        if (8 + headerLength > bytes.length) {
            throw error("header length " + headerLength + " exceeds the file: expected at least " + (8 + headerLength)
                    + " bytes, got " + bytes.length);
        }
        int dataStart = 8 + (int) headerLength;
        long dataLength = bytes.length - (long) dataStart;

        JsonNode header = parseHeader((int) headerLength);
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA_KEY)) {
                readMetadata(field.getValue(), metadata);
            } else {
                entries.add(readEntry(field.getKey(), field.getValue()));
            }
        }
        checkCoverage(entries, dataLength);

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            float[] data = new float[(int) ((e.end - e.begin) / Float.BYTES)];
            ByteBuffer.wrap(bytes, dataStart + (int) e.begin, (int) (e.end - e.begin))
                    .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            tensors.put(e.name, Tensor.of(data, e.shape));
        }
        return new SafeTensorsFile(tensors, metadata);
    }

    private JsonNode parseHeader(int headerLength) throws SafeTensorsFormatException {
        JsonNode header;
        try {
            header = JSON.readTree(bytes, 8, headerLength);
        } catch (JacksonException e) {
            throw error("expected the " + headerLength + "-byte header to be valid JSON, got a parse error: "
                    + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw error("could not parse the header: " + e.getMessage());
        }
        if (header == null || !header.isObject()) {
            throw error("expected the header to be a JSON object, got "
                    + (header == null || header.isMissingNode() ? "nothing" : header.getNodeType().toString().toLowerCase()));
        }
        return header;
    }

    private void readMetadata(JsonNode node, Map<String, String> out) throws SafeTensorsFormatException {
        if (!node.isObject()) {
            throw error("expected '" + METADATA_KEY + "' to be an object of strings, got " + describe(node));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> kv = it.next();
            if (!kv.getValue().isTextual()) {
                throw error("expected metadata value '" + kv.getKey() + "' to be a string, got " + describe(kv.getValue()));
            }
            out.put(kv.getKey(), kv.getValue().textValue());
        }
    }

    private Entry readEntry(String name, JsonNode node) throws SafeTensorsFormatException {
        String what = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw error("expected " + what + " to be an object with dtype, shape and data_offsets, got " + describe(node));
        }
        JsonNode dtype = require(node, "dtype", what);
        JsonNode shapeNode = require(node, "shape", what);
        JsonNode offsets = require(node, "data_offsets", what);
        if (!dtype.isTextual()) {
            throw error("expected the dtype of " + what + " to be a string, got " + describe(dtype));
        }
        if (!dtype.textValue().equals("F32")) {
            throw error("unsupported dtype: expected F32, got " + dtype.textValue() + " for " + what);
        }
        if (!shapeNode.isArray()) {
            throw error("expected the shape of " + what + " to be an array, got " + describe(shapeNode));
        }
        int[] shape = new int[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
                throw error("expected the shape of " + what + " to hold non-negative int32 sizes, got " + shapeNode);
            }
            shape[i] = d.intValue();
            numel *= shape[i];
            if (numel > Integer.MAX_VALUE) {
                throw error("shape " + shapeNode + " of " + what + " has more than 2^31-1 elements");
            }
        }
        if (!offsets.isArray() || offsets.size() != 2
                || !isNonNegativeLong(offsets.get(0)) || !isNonNegativeLong(offsets.get(1))) {
            throw error("expected data_offsets of " + what + " to be [begin, end] with non-negative integers, got " + offsets);
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (end < begin) {
            throw error("expected data_offsets of " + what + " to have begin <= end, got " + offsets);
        }
        if (numel * Float.BYTES != end - begin) {
            throw error("shape " + shapeNode + " of " + what + " needs " + numel * Float.BYTES
                    + " bytes of F32, but data_offsets " + offsets + " span " + (end - begin) + " bytes");
        }
        return new Entry(name, shape, begin, end);
    }

    /** The spec requires the tensors to tile the data region exactly: no gaps, no overlaps, nothing after. */
    private void checkCoverage(List<Entry> entries, long dataLength) throws SafeTensorsFormatException {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.end > dataLength) {
                throw error("truncated data or offsets out of range: tensor '" + e.name + "' needs bytes ["
                        + e.begin + ", " + e.end + ") of the data region, but it has only " + dataLength
                        + " bytes (file is " + bytes.length + " bytes, expected at least " + (bytes.length - dataLength + e.end) + ")");
            }
            if (e.begin < covered) {
                throw error("tensor '" + e.name + "' data [" + e.begin + ", " + e.end + ") overlaps tensor '"
                        + previous.name + "' [" + previous.begin + ", " + previous.end + ")");
            }
            if (e.begin > covered) {
                throw error("bytes [" + covered + ", " + e.begin + ") of the data region are not covered by any tensor"
                        + " (expected tensor '" + e.name + "' to start at " + covered + ")");
            }
            covered = e.end;
            previous = e;
        }
        if (covered != dataLength) {
            throw error("expected the tensors to cover the data region exactly (" + dataLength + " bytes), but only the first "
                    + covered + " bytes are used: " + (dataLength - covered) + " trailing bytes");
        }
    }

    private JsonNode require(JsonNode node, String field, String what) throws SafeTensorsFormatException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw error(what + " is missing '" + field + "' (expected dtype, shape and data_offsets), got " + node);
        }
        return v;
    }

    private static boolean isNonNegativeLong(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0;
    }

    private static String describe(JsonNode node) {
        String s = node.toString();
        return node.getNodeType().toString().toLowerCase() + " " + (s.length() > 80 ? s.substring(0, 80) + "..." : s);
    }

    private SafeTensorsFormatException error(String detail) {
        return new SafeTensorsFormatException(source, detail);
    }
}

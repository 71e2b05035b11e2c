package org.lstm4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.lstm4j.tensor.Tensor;

/** Serialises tensors to safetensors bytes, deterministically: same input, same bytes. */
final class SafeTensorsEncoder {
    private static final JsonMapper JSON = new JsonMapper();

    private SafeTensorsEncoder() {}

    static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        // The reader's limits, checked here so that no file is written that it would refuse.
        if (tensors.size() > SafeTensors.MAX_TENSORS) {
            throw new IllegalArgumentException(tensors.size() + " tensors: more than one file may hold ("
                    + SafeTensors.MAX_TENSORS + ", SafeTensors.MAX_TENSORS)");
        }
        if (metadata != null && metadata.size() > SafeTensors.MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException(metadata.size() + " metadata entries: more than one file may hold ("
                    + SafeTensors.MAX_METADATA_ENTRIES + ", SafeTensors.MAX_METADATA_ENTRIES)");
        }
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            // First, as the reference implementation writes it.
            ObjectNode meta = header.putObject(SafeTensorsHeader.METADATA_KEY);
            metadata.forEach((k, v) -> meta.put(
                    Objects.requireNonNull(k, "metadata key"),
                    Objects.requireNonNull(v, () -> "metadata value for '" + k + "'")));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "tensor name");
            Tensor t = Objects.requireNonNull(e.getValue(), () -> "tensor '" + name + "'");
            if (name.equals(SafeTensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("'" + name + "' is reserved for metadata and cannot name a tensor");
            }
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(t.shape()).forEach(shape::add);
            long size = (long) t.numel() * Float.BYTES;
            entry.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header); // compact: no whitespace
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise the safetensors header", e);
        }
        // Pad with spaces so the data region starts 8-byte aligned, like the reference writer.
        int headerLength = (json.length + 7) / 8 * 8;
        if (headerLength > SafeTensors.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header of " + headerLength + " bytes: larger than a reader accepts ("
                    + SafeTensors.MAX_HEADER_BYTES + ", SafeTensors.MAX_HEADER_BYTES)");
        }
        long total = 8L + headerLength + offset;
        if (total > SafeTensors.MAX_FILE_BYTES) {
            throw new IllegalArgumentException("tensors total " + total + " bytes: too large for one file (limit 2 GB)");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(headerLength);
        out.put(json);
        for (int i = json.length; i < headerLength; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            int pos = out.position();
            out.asFloatBuffer().put(t.data());
            out.position(pos + t.numel() * Float.BYTES);
        }
        return out.array();
    }

    static String headerText(byte[] encoded) {
        long n = ByteBuffer.wrap(encoded, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(encoded, 8, (int) n, StandardCharsets.UTF_8);
    }
}

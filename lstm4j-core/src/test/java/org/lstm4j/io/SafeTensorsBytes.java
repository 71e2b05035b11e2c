package org.lstm4j.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds safetensors bytes by hand for the tests, including ones no writer would produce. */
final class SafeTensorsBytes {
    private SafeTensorsBytes() {}

    /** The 8-byte little-endian length, the header text as given (unpadded), then {@code data}. */
    static byte[] raw(String header, byte[] data) {
        return raw(header.getBytes(StandardCharsets.UTF_8), data);
    }

    /** As {@link #raw(String, byte[])} with the header's bytes. */
    static byte[] raw(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    /** An F32 entry of the header: {@code "name":{"dtype":"F32","shape":[..],"data_offsets":[begin,end]}}. */
    static String entry(String name, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    /**
     * A header of {@code count} zero-size tensors named t0, t1, ..., all at offset 0: legal, and as many
     * entries per byte as the format allows.
     */
    static byte[] zeroSizeTensors(int count) {
        // Written straight into the file's bytes: a million entries are 58 MB, worth not copying thrice.
        byte[] body = "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + count * (body.length + 10));
        out.writeBytes(new byte[8]);
        out.write('{');
        for (int i = 0; i < count; i++) {
            out.writeBytes(i == 0 ? QUOTE_T : COMMA_QUOTE_T);
            out.writeBytes(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
        }
        out.write('}');
        byte[] file = out.toByteArray();
        ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(file.length - 8);
        return file;
    }

    private static final byte[] QUOTE_T = {'"', 't'};
    private static final byte[] COMMA_QUOTE_T = {',', '"', 't'};

    /** Little-endian F32 bytes. */
    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}

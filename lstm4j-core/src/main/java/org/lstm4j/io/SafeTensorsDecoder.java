package org.lstm4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lstm4j.io.SafeTensorsHeader.Entry;
import org.lstm4j.tensor.Tensor;

/**
 * Parses and validates safetensors bytes from a file or an array; every defect becomes a
 * {@link SafeTensorsFormatException}. Validates before it allocates: the 8-byte length is checked against
 * the input's size and {@link SafeTensors#MAX_HEADER_BYTES} before the header is read, the header is
 * validated (entries, offsets against each other, the declared total against
 * {@link SafeTensors#MAX_FILE_BYTES}, the data region against the input's size) before any tensor is, and
 * each tensor's array is allocated only once the whole file is known to hold it.
 */
final class SafeTensorsDecoder {
    /** Bytes of a file read at a time into the tensors' arrays. */
    private static final int CHUNK_BYTES = 1 << 20;

    /** Where the bytes come from; the size is fixed when decoding starts. */
    interface Input {
        long size() throws IOException;

        /** Fills {@code into} (position to limit) with the bytes from {@code position} on. */
        void readFully(long position, ByteBuffer into) throws IOException;

        /** Fills {@code into} with the little-endian floats stored from {@code position} on. */
        void readFloats(long position, float[] into) throws IOException;
    }

    private final Input in;
    private final String source;

    private SafeTensorsDecoder(Input in, String source) {
        this.in = in;
        this.source = source;
    }

    static SafeTensorsFile decode(byte[] bytes, String source) throws SafeTensorsFormatException {
        try {
            return new SafeTensorsDecoder(new ArrayInput(bytes), source).decode();
        } catch (SafeTensorsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail", e);
        }
    }

    static SafeTensorsFile decode(FileChannel channel, String source) throws IOException {
        return new SafeTensorsDecoder(new ChannelInput(channel, source), source).decode();
    }

    private SafeTensorsFile decode() throws IOException {
        long size = in.size();
        if (size < 8) {
            throw error("expected at least 8 bytes (the header length), got a file of " + size + " bytes");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        in.readFully(0, lengthBytes);
        long headerLength = lengthBytes.getLong(0);
        // Unsigned: a negative long is a length above 2^63, certainly absurd.
        if (headerLength < 0 || headerLength > SafeTensors.MAX_HEADER_BYTES) {
            throw error("header length " + Long.toUnsignedString(headerLength) + " is absurd (expected at most "
                    + SafeTensors.MAX_HEADER_BYTES + " bytes); this is probably not a safetensors file");
        }
        if (8 + headerLength > size) {
            throw error("header length " + headerLength + " exceeds the file: expected at least " + (8 + headerLength)
                    + " bytes, got " + size);
        }
        byte[] headerBytes = new byte[(int) headerLength];
        in.readFully(8, ByteBuffer.wrap(headerBytes));
        SafeTensorsHeader header = SafeTensorsHeader.parse(headerBytes, 0, headerBytes.length, source);

        long dataStart = 8 + headerLength;
        List<Entry> entries = new ArrayList<>(header.entries());
        checkDeclaredSize(entries, dataStart);
        checkCoverage(entries, size - dataStart, size);

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            float[] data = new float[(int) ((e.end() - e.begin()) / Float.BYTES)];
            in.readFloats(dataStart + e.begin(), data);
            tensors.put(e.name(), Tensor.of(data, e.shape()));
        }
        return new SafeTensorsFile(tensors, header.metadata());
    }

    /** The declared total, not the file's size, decides whether the file is too large for this reader. */
    private void checkDeclaredSize(List<Entry> entries, long dataStart) throws SafeTensorsFormatException {
        long declaredEnd = 0;
        for (Entry e : entries) {
            declaredEnd = Math.max(declaredEnd, e.end());
        }
        // Both terms are at most 2^63 - 1 and dataStart at most 8 + MAX_HEADER_BYTES: compare without overflow.
        if (declaredEnd > SafeTensors.MAX_FILE_BYTES - dataStart) {
            throw error("the header declares tensor data up to byte " + declaredEnd + " of the data region, which starts"
                    + " at byte " + dataStart + ": more than this reader supports (files of at most "
                    + SafeTensors.MAX_FILE_BYTES + " bytes, 2 GB)");
        }
    }

    /** The spec requires the tensors to tile the data region exactly: no gaps, no overlaps, nothing after. */
    private void checkCoverage(List<Entry> entries, long dataLength, long fileSize) throws SafeTensorsFormatException {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : entries) {
            String name = Excerpts.quote(e.name());
            if (e.end() > dataLength) {
                throw error("truncated data or offsets out of range: tensor " + name + " needs bytes ["
                        + e.begin() + ", " + e.end() + ") of the data region, but it has only " + dataLength
                        + " bytes (file is " + fileSize + " bytes, expected at least " + (fileSize - dataLength + e.end()) + ")");
            }
            if (e.begin() < covered) {
                throw error("tensor " + name + " data [" + e.begin() + ", " + e.end() + ") overlaps tensor "
                        + Excerpts.quote(previous.name()) + " [" + previous.begin() + ", " + previous.end() + ")");
            }
            if (e.begin() > covered) {
                throw error("bytes [" + covered + ", " + e.begin() + ") of the data region are not covered by any tensor"
                        + " (expected tensor " + name + " to start at " + covered + ")");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataLength) {
            throw error("expected the tensors to cover the data region exactly (" + dataLength + " bytes), but only the first "
                    + covered + " bytes are used: " + (dataLength - covered) + " trailing bytes");
        }
    }

    private SafeTensorsFormatException error(String detail) {
        return new SafeTensorsFormatException(source, detail);
    }

    /** Bytes already in memory: views, no copies but the tensors'. */
    private record ArrayInput(byte[] bytes) implements Input {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void readFully(long position, ByteBuffer into) {
            into.put(bytes, (int) position, into.remaining());
        }

        @Override
        public void readFloats(long position, float[] into) {
            ByteBuffer.wrap(bytes, (int) position, into.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(into);
        }
    }

    /**
     * A file read with positional reads: only the header and the tensors' arrays are allocated, plus one
     * chunk buffer, never a copy of the whole file.
     */
    private static final class ChannelInput implements Input {
        private final FileChannel channel;
        private final String source;
        private ByteBuffer chunk;

        ChannelInput(FileChannel channel, String source) {
            this.channel = channel;
            this.source = source;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void readFully(long position, ByteBuffer into) throws IOException {
            long at = position;
            while (into.hasRemaining()) {
                int n = channel.read(into, at);
                if (n < 0) {
                    // The size was checked before: the file was cut while being read.
                    throw new SafeTensorsFormatException(source, "the file ended at byte " + at + " while being read,"
                            + " expected " + into.remaining() + " more bytes (was it truncated meanwhile?)");
                }
                at += n;
            }
        }

        @Override
        public void readFloats(long position, float[] into) throws IOException {
            // As large as the largest tensor so far, up to CHUNK_BYTES: a small file needs no megabyte buffer.
            int wanted = (int) Math.min(CHUNK_BYTES, (long) into.length * Float.BYTES);
            if (chunk == null || chunk.capacity() < wanted) {
                chunk = ByteBuffer.allocate(wanted).order(ByteOrder.LITTLE_ENDIAN);
            }
            int done = 0;
            while (done < into.length) {
                int count = Math.min(into.length - done, chunk.capacity() / Float.BYTES);
                chunk.clear().limit(count * Float.BYTES);
                readFully(position + (long) done * Float.BYTES, chunk);
                chunk.flip();
                chunk.asFloatBuffer().get(into, done, count);
                done += count;
            }
        }
    }
}

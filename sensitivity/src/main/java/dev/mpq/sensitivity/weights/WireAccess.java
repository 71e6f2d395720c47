package dev.mpq.sensitivity.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Protocol-buffer wire format read straight from a file through a 64 KiB window: varints, fixed
 * 32/64-bit values, length-delimited fields. Large fields are skipped by moving the position, so a
 * model's weights are never read during parsing.
 */
public final class WireAccess implements AutoCloseable {

    public static final int VARINT = 0;
    public static final int FIXED64 = 1;
    public static final int LENGTH_DELIMITED = 2;
    public static final int FIXED32 = 5;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(1 << 16);
    private long windowStart;
    private int windowLength;
    private long position;

    public WireAccess(Path path) {
        this.path = path;
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.READ);
            this.size = channel.size();
        } catch (IOException e) {
            throw new WeightFileException(path, "open", "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    public Path path() {
        return path;
    }

    public long size() {
        return size;
    }

    public long position() {
        return position;
    }

    public void seek(long newPosition) {
        position = newPosition;
    }

    public WeightFileException error(String reason) {
        return WeightFileException.at(path, position, reason);
    }

    private int readByte(long end) {
        if (position >= end) {
            throw error(
                    position >= size
                            ? "the file is truncated (ends inside a field)"
                            : "a field runs past the end of its enclosing message");
        }
        if (position < windowStart || position >= windowStart + windowLength) {
            fill();
        }
        int b = window.get((int) (position - windowStart)) & 0xff;
        position++;
        return b;
    }

    private void fill() {
        try {
            window.clear();
            windowStart = position;
            int n = channel.read(window, position);
            windowLength = Math.max(n, 0);
            if (windowLength == 0) {
                throw error("the file is truncated");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + path + " at offset " + position, e);
        }
    }

    public long readVarint(long end) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte(end);
            result |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                return result;
            }
        }
        throw error("a varint is longer than 10 bytes (corrupt data)");
    }

    public int readFixed32(long end) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= readByte(end) << (8 * i);
        }
        return v;
    }

    public long readFixed64(long end) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) readByte(end) << (8 * i);
        }
        return v;
    }

    /** Reads a length prefix and checks that the field fits before {@code end}; returns the field's end. */
    public long readLength(long end) {
        long length = readVarint(end);
        if (length < 0 || position + length > end) {
            throw error(
                    position + length > size
                            ? "the file is truncated (a field of %d bytes does not fit)".formatted(length)
                            : "a field of %d bytes runs past its enclosing message (corrupt length)".formatted(length));
        }
        return position + length;
    }

    public String readString(long end) {
        long fieldEnd = readLength(end);
        int length = (int) (fieldEnd - position);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) readByte(fieldEnd);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Skips a field of the given wire type. */
    public void skip(int wireType, long end) {
        switch (wireType) {
            case VARINT -> readVarint(end);
            case FIXED64 -> advance(8, end);
            case LENGTH_DELIMITED -> position = readLength(end);
            case FIXED32 -> advance(4, end);
            default -> throw error("wire type %d is not supported (groups or corrupt data)".formatted(wireType));
        }
    }

    private void advance(long n, long end) {
        if (position + n > end) {
            throw error("the file is truncated");
        }
        position += n;
    }

    /** Reads {@code length} bytes at an absolute offset into {@code target} (from its position). */
    public void readAt(long offset, ByteBuffer target) {
        try {
            long p = offset;
            while (target.hasRemaining()) {
                int n = channel.read(target, p);
                if (n < 0) {
                    throw WeightFileException.at(path, p, "the file is truncated (tensor data runs past its end)");
                }
                p += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + path + " at offset " + offset, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

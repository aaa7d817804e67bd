package io.roost.core.proto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads jute primitives, big-endian, from a byte array (usually one frame without its length prefix).
 *
 * <p>Every read checks the remaining length first, so malformed or truncated input fails with a
 * {@link ProtocolException} naming what was wrong, never with an index error or a huge allocation.
 * Not thread-safe.
 */
public final class JuteInput {

    private final byte[] buf;
    private final int start;
    private final int end;
    private int pos;

    /**
     * Reads the whole array.
     *
     * @param buf the bytes to read; not copied
     */
    public JuteInput(byte[] buf) {
        this(buf, 0, buf.length);
    }

    /**
     * Reads {@code length} bytes of {@code buf} starting at {@code offset}.
     *
     * @param buf    the bytes to read; not copied
     * @param offset index of the first byte to read
     * @param length number of bytes available to read
     * @throws IllegalArgumentException if the range lies outside {@code buf}
     */
    public JuteInput(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IllegalArgumentException("range offset=" + offset + " length=" + length
                    + " lies outside an array of " + buf.length + " bytes");
        }
        this.buf = buf;
        this.start = offset;
        this.end = offset + length;
        this.pos = offset;
    }

    /**
     * Returns how many bytes are left to read.
     *
     * @return the number of unread bytes
     */
    public int remaining() {
        return end - pos;
    }

    /**
     * Returns how many bytes have been read so far (relative to the start of this input's range).
     *
     * @return the number of bytes consumed
     */
    public int position() {
        return pos - start;
    }

    /**
     * Reads a 4-byte big-endian int.
     *
     * @return the value
     * @throws ProtocolException if fewer than 4 bytes remain
     */
    public int readInt() {
        require(4, "int");
        int v = (buf[pos] & 0xff) << 24
                | (buf[pos + 1] & 0xff) << 16
                | (buf[pos + 2] & 0xff) << 8
                | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    /**
     * Reads an 8-byte big-endian long.
     *
     * @return the value
     * @throws ProtocolException if fewer than 8 bytes remain
     */
    public long readLong() {
        require(8, "long");
        long hi = readInt() & 0xffffffffL;
        long lo = readInt() & 0xffffffffL;
        return hi << 32 | lo;
    }

    /**
     * Reads a one-byte boolean; any nonzero byte is {@code true}.
     *
     * @return the value
     * @throws ProtocolException if no bytes remain
     */
    public boolean readBool() {
        require(1, "boolean");
        return buf[pos++] != 0;
    }

    /**
     * Reads a length-prefixed byte buffer; length -1 means null.
     *
     * @return a fresh copy of the bytes, or null
     * @throws ProtocolException if the length is below -1 or exceeds the remaining bytes
     */
    public byte[] readBuffer() {
        int len = readLength("buffer");
        if (len < 0) {
            return null;
        }
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    /**
     * Reads a length-prefixed UTF-8 string; length -1 means null.
     *
     * @return the string, or null
     * @throws ProtocolException if the length is below -1 or exceeds the remaining bytes
     */
    public String readString() {
        int len = readLength("string");
        if (len < 0) {
            return null;
        }
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /**
     * Reads a vector of strings: an int count (-1 means null) then that many strings.
     *
     * @return a mutable list of the strings, or null
     * @throws ProtocolException if the count is impossible or any element is malformed
     */
    public List<String> readStringVector() {
        return readVector("string vector", 4, JuteInput::readString);
    }

    /**
     * Reads a vector: an int count (-1 means null) then {@code count} elements read by {@code reader}.
     * The count is checked against the remaining bytes before anything is allocated.
     *
     * @param what            what is being read, for error messages
     * @param minElementBytes the fewest bytes one element can occupy on the wire (at least 1)
     * @param reader          reads one element
     * @return a mutable list of the elements, or null
     */
    <T> List<T> readVector(String what, int minElementBytes, Function<JuteInput, T> reader) {
        int count = readInt();
        if (count == -1) {
            return null;
        }
        if (count < -1) {
            throw new ProtocolException(what + " has negative count " + count);
        }
        if (count > remaining() / minElementBytes) {
            throw new ProtocolException(what + " count " + count + " exceeds remaining " + remaining()
                    + " bytes");
        }
        List<T> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(reader.apply(this));
        }
        return list;
    }

    private int readLength(String what) {
        int len = readInt();
        if (len < -1) {
            throw new ProtocolException(what + " has negative length " + len);
        }
        if (len > remaining()) {
            throw new ProtocolException(what + " length " + len + " exceeds remaining " + remaining()
                    + " bytes");
        }
        return len;
    }

    private void require(int n, String what) {
        if (remaining() < n) {
            throw new ProtocolException("need " + n + " bytes for " + what + " but only " + remaining()
                    + " remain at position " + position());
        }
    }
}

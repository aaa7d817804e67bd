package io.roost.core.proto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes jute primitives, big-endian, into a growable byte array.
 *
 * <p>Use {@link #framed()} to build a message for the socket: it reserves the 4-byte length prefix
 * and {@link #toFrame()} fills it in. Not thread-safe.
 */
public final class JuteOutput {

    private static final int FRAME_PREFIX = 4;

    private byte[] buf;
    private int size;
    private final boolean framed;

    /** Creates an empty, unframed writer. */
    public JuteOutput() {
        this(false);
    }

    private JuteOutput(boolean framed) {
        // A reply frame with a Stat is about 100 bytes: start there rather than grow once.
        this.buf = new byte[framed ? 128 : 64];
        this.framed = framed;
        this.size = framed ? FRAME_PREFIX : 0;
    }

    /**
     * Creates a writer whose first 4 bytes are reserved for the frame length; finish with
     * {@link #toFrame()}.
     *
     * @return a new framed writer
     */
    public static JuteOutput framed() {
        return new JuteOutput(true);
    }

    /**
     * Appends a 4-byte big-endian int.
     *
     * @param v the value
     */
    public void writeInt(int v) {
        ensure(4);
        putInt(size, v);
        size += 4;
    }

    /**
     * Appends an 8-byte big-endian long.
     *
     * @param v the value
     */
    public void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    /**
     * Appends a one-byte boolean (1 or 0).
     *
     * @param v the value
     */
    public void writeBool(boolean v) {
        ensure(1);
        buf[size++] = (byte) (v ? 1 : 0);
    }

    /**
     * Appends a length-prefixed buffer; null is written as length -1.
     *
     * @param b the bytes, or null
     */
    public void writeBuffer(byte[] b) {
        if (b == null) {
            writeInt(-1);
            return;
        }
        writeInt(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /**
     * Appends a length-prefixed UTF-8 string; null is written as length -1.
     *
     * @param s the string, or null
     */
    public void writeString(String s) {
        writeBuffer(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Appends a vector of strings: the count (-1 for null) then each string.
     *
     * @param v the strings, or null
     */
    public void writeStringVector(List<String> v) {
        if (v == null) {
            writeInt(-1);
            return;
        }
        writeInt(v.size());
        for (String s : v) {
            writeString(s);
        }
    }

    /**
     * Returns the number of bytes written, including the reserved length prefix of a framed writer;
     * this is the length of the array {@link #toByteArray()} returns.
     *
     * @return the number of bytes held
     */
    public int size() {
        return size;
    }

    /**
     * Returns a copy of everything written (for a framed writer, including the 4 reserved bytes, which
     * are zero until {@link #toFrame()} fills them).
     *
     * @return a new array of {@link #size()} bytes
     */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /**
     * Fills the reserved prefix with the big-endian length of what follows and returns the whole frame,
     * ready for the socket.
     *
     * @return a new array: 4-byte length then the body
     * @throws IllegalStateException if this writer was not created by {@link #framed()}
     */
    public byte[] toFrame() {
        if (!framed) {
            throw new IllegalStateException("toFrame() needs a writer created by JuteOutput.framed()");
        }
        putInt(0, size - FRAME_PREFIX);
        return toByteArray();
    }

    private void putInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    private void ensure(int extra) {
        int needed = size + extra;
        if (needed < 0) {
            throw new IllegalStateException("JuteOutput cannot hold more than 2 GiB");
        }
        if (needed > buf.length) {
            int doubled = buf.length > Integer.MAX_VALUE / 2 ? needed : buf.length * 2;
            buf = Arrays.copyOf(buf, Math.max(needed, doubled));
        }
    }
}

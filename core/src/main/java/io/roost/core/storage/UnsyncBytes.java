package io.roost.core.storage;

import java.io.ByteArrayOutputStream;

/**
 * A {@link ByteArrayOutputStream} without its per-call lock: {@link java.io.DataOutputStream}
 * writes byte by byte, and each inherited synchronized write costs a lock on the hot path of
 * every transaction (encoded for the log and once per follower) and every peer message.
 * Not thread-safe.
 */
public class UnsyncBytes extends ByteArrayOutputStream {
  /** A buffer of {@code size} bytes to start with. */
  public UnsyncBytes(int size) {
    super(size);
  }

  @Override
  public void write(int b) {
    if (count == buf.length) {
      buf = java.util.Arrays.copyOf(buf, buf.length * 2);
    }
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (count + len > buf.length) {
      buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
    }
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }
}

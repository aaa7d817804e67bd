package io.roost.core.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Big-endian primitive writer for snapshots: buffers into one large array, keeps a running CRC32C
 * of everything written and hands the array to the stream in big chunks.
 */
final class SnapshotOutput {
  private final OutputStream out;
  private final byte[] buf;
  private final ByteBuffer view;
  private final CRC32C crc = new CRC32C();
  private int pos;
  private long flushed;

  SnapshotOutput(OutputStream out, int bufferBytes) {
    this.out = out;
    this.buf = new byte[bufferBytes];
    this.view = ByteBuffer.wrap(buf);
  }

  void writeInt(int v) throws IOException {
    room(4);
    view.putInt(pos, v);
    pos += 4;
  }

  void writeLong(long v) throws IOException {
    room(8);
    view.putLong(pos, v);
    pos += 8;
  }

  /** Writes the bytes without a length. */
  void writeRaw(byte[] b) throws IOException {
    if (b.length <= buf.length - pos) {
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
      return;
    }
    drain();
    if (b.length < buf.length) {
      System.arraycopy(b, 0, buf, 0, b.length);
      pos = b.length;
    } else {
      crc.update(b, 0, b.length);
      out.write(b);
      flushed += b.length;
    }
  }

  /** Writes an int length then the bytes. */
  void writeBytes(byte[] b) throws IOException {
    writeInt(b.length);
    writeRaw(b);
  }

  /** Writes a UTF-8 string as an int length then the bytes. */
  void writeString(String s) throws IOException {
    writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** CRC32C of every byte written so far. */
  int checksum() throws IOException {
    drain();
    return (int) crc.getValue();
  }

  /** Number of bytes written so far. */
  long written() {
    return flushed + pos;
  }

  /** Hands everything buffered to the stream and flushes it. */
  void flush() throws IOException {
    drain();
    out.flush();
  }

  private void room(int n) throws IOException {
    if (buf.length - pos < n) {
      drain();
    }
  }

  private void drain() throws IOException {
    if (pos > 0) {
      crc.update(buf, 0, pos);
      out.write(buf, 0, pos);
      flushed += pos;
      pos = 0;
    }
  }
}

package io.roost.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Big-endian primitive reader for snapshots: reads the stream in large chunks, keeps a running
 * CRC32C of every byte consumed and knows the offset of the next byte, so damage can be reported
 * precisely. Running out of bytes, or a length that cannot fit in what is left, is reported as
 * {@link SnapshotCorruptedException}.
 */
final class SnapshotInput {
  private final InputStream in;
  private final Path source;
  private final long size;
  private final byte[] buf;
  private final ByteBuffer view;
  private final CRC32C crc = new CRC32C();
  /** Offset in the stream of {@code buf[0]}. */
  private long bufStart;
  private int pos;
  private int limit;
  /** Bytes of {@code buf} before this index are already in {@link #crc}. */
  private int crcFrom;
  private boolean eof;

  /**
   * @param size the total number of bytes the stream holds, or -1 if unknown
   */
  SnapshotInput(InputStream in, Path source, long size, int bufferBytes) {
    this.in = in;
    this.source = source;
    this.size = size;
    this.buf = new byte[bufferBytes];
    this.view = ByteBuffer.wrap(buf);
  }

  /** Offset of the next byte to be read. */
  long offset() {
    return bufStart + pos;
  }

  int readInt(String what) {
    need(4, what);
    int v = view.getInt(pos);
    pos += 4;
    return v;
  }

  long readLong(String what) {
    need(8, what);
    long v = view.getLong(pos);
    pos += 8;
    return v;
  }

  /**
   * Reads a length, checking that it lies in {@code [min, max]} and fits in the bytes that are left
   * (when the size is known). A length of -1 is allowed only when {@code min} is -1.
   */
  int readLength(String what, int min, int max) {
    long at = offset();
    int len = readInt(what + " length");
    if (len < min || len > max) {
      throw corrupted("impossible " + what + " length " + len + " at offset " + at
          + " (allowed " + min + ".." + max + ")");
    }
    if (len > 0) {
      requireRemaining(len, what, at);
    }
    return len;
  }

  /**
   * Reads a count of entries, each at least {@code minEntryBytes} long, checking that so many
   * entries can fit in the bytes that are left.
   */
  int readCount(String what, int minEntryBytes) {
    long at = offset();
    int count = readInt(what + " count");
    if (count < 0) {
      throw corrupted("negative " + what + " count " + count + " at offset " + at);
    }
    requireRemaining((long) count * minEntryBytes, count + " " + what + " entries", at);
    return count;
  }

  byte[] readRaw(int len, String what) {
    byte[] out = new byte[len];
    int done = 0;
    while (done < len) {
      if (pos == limit && !fill()) {
        throw truncated(what);
      }
      int n = Math.min(limit - pos, len - done);
      System.arraycopy(buf, pos, out, done, n);
      pos += n;
      done += n;
    }
    return out;
  }

  String readString(String what, int maxBytes) {
    int len = readLength(what, 0, maxBytes);
    return new String(readRaw(len, what), StandardCharsets.UTF_8);
  }

  /** CRC32C of every byte read so far. */
  int checksum() {
    crc.update(buf, crcFrom, pos - crcFrom);
    crcFrom = pos;
    return (int) crc.getValue();
  }

  /** True when no byte is left. */
  boolean atEnd() {
    return pos == limit && !fill();
  }

  /** Builds the exception for damage found in this input. */
  SnapshotCorruptedException corrupted(String problem) {
    return new SnapshotCorruptedException(source, problem);
  }

  private void requireRemaining(long bytes, String what, long at) {
    if (size >= 0 && bytes > size - offset()) {
      throw corrupted(what + " at offset " + at + " need " + bytes + " bytes but only "
          + Math.max(0, size - offset()) + " are left (the file is truncated or damaged)");
    }
  }

  private void need(int n, String what) {
    while (limit - pos < n) {
      if (!fill()) {
        throw truncated(what);
      }
    }
  }

  private SnapshotCorruptedException truncated(String what) {
    return corrupted("truncated: the data ends at offset " + (bufStart + limit)
        + " while reading " + what);
  }

  /** Moves unread bytes to the front and reads more; false at the end of the stream. */
  private boolean fill() {
    if (eof) {
      return false;
    }
    crc.update(buf, crcFrom, pos - crcFrom);
    int unread = limit - pos;
    System.arraycopy(buf, pos, buf, 0, unread);
    bufStart += pos;
    pos = 0;
    crcFrom = 0;
    limit = unread;
    try {
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        eof = true;
        return false;
      }
      limit += n;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read "
          + (source == null ? "snapshot stream" : "snapshot " + source) + " at offset "
          + (bufStart + limit) + ": " + e.getMessage() + "; check the disk and permissions", e);
    }
  }
}

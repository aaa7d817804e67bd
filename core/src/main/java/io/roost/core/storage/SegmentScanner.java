package io.roost.core.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads one log segment from start to end through a sliding window, checking each record's length
 * and CRC. It reports what it finds and decides nothing: whether a bad record is a torn tail or
 * damage is for {@link LogRecovery} (and {@link LogDump}) to judge, with the help of
 * {@link #validRecordFrom} and {@link #firstNonZero}. Not thread-safe.
 */
final class SegmentScanner implements Closeable {

  /** What {@link #next()} found. */
  enum Kind {
    /** A record whose length and CRC are sound. */
    RECORD,
    /** The end of the data: a zero length or the end of the file. */
    END,
    /** Something that is not a sound record; {@link Step#problem()} says what. */
    BAD
  }

  /**
   * One step of the scan.
   *
   * @param kind what was found
   * @param offset where in the file it starts
   * @param zxid the record's zxid (RECORD, and BAD when the header was readable), else 0
   * @param payload the record's payload (RECORD only)
   * @param problem what is wrong (BAD only)
   */
  record Step(Kind kind, long offset, long zxid, byte[] payload, String problem) {}

  private static final int WINDOW = 1 << 20;

  private final Path file;
  private final FileChannel ch;
  private final long size;
  private byte[] win = new byte[WINDOW];
  private long winStart;
  private int winLen;
  private long pos = LogFormat.HEADER_SIZE;
  private long baseZxid;

  private SegmentScanner(Path file, FileChannel ch) throws IOException {
    this.file = file;
    this.ch = ch;
    this.size = ch.size();
  }

  /** Opens {@code file} for reading; call {@link #readHeader()} next. */
  static SegmentScanner open(Path file) throws IOException {
    return new SegmentScanner(file, FileChannel.open(file, StandardOpenOption.READ));
  }

  /** The file being scanned. */
  Path file() {
    return file;
  }

  /** The file's size when it was opened. */
  long size() {
    return size;
  }

  /** The base zxid from the header; valid after {@link #readHeader()} returned null. */
  long baseZxid() {
    return baseZxid;
  }

  /**
   * Checks the header.
   *
   * @return null if it is sound, else what is wrong with it
   */
  String readHeader() throws IOException {
    if (size < LogFormat.HEADER_SIZE) {
      return "the file is " + size + " bytes, shorter than the " + LogFormat.HEADER_SIZE
          + "-byte segment header";
    }
    int i = ensure(0, LogFormat.HEADER_SIZE);
    byte[] magic = Arrays.copyOfRange(win, i, i + LogFormat.MAGIC.length);
    if (!Arrays.equals(magic, LogFormat.MAGIC)) {
      return "the file does not start with the segment magic \"RLOG\" (found \""
          + new String(magic, StandardCharsets.ISO_8859_1) + "\")";
    }
    int version = intAt(i + 4);
    if (version != LogFormat.VERSION) {
      return "the segment has format version " + version + " but this build reads only version "
          + LogFormat.VERSION;
    }
    baseZxid = longAt(i + 8);
    return null;
  }

  /**
   * Reads the next record. After an END or BAD step the scan is over; do not call again.
   *
   * @return the step
   */
  Step next() throws IOException {
    long p = pos;
    long left = size - p;
    if (left <= 0) {
      return new Step(Kind.END, p, 0, null, null);
    }
    if (left < 4) {
      return firstNonZero(p) < 0 ? new Step(Kind.END, p, 0, null, null)
          : bad(p, 0, "only " + left + " bytes remain before the end of the file, too few for a"
              + " record (partial record)");
    }
    int len = intAt(ensure(p, 4));
    if (len == 0) {
      return new Step(Kind.END, p, 0, null, null);
    }
    if (len < 0 || len > LogFormat.MAX_PAYLOAD) {
      return bad(p, 0, "record length " + len + " is impossible (allowed 1.."
          + LogFormat.MAX_PAYLOAD + ")");
    }
    if (left < LogFormat.RECORD_HEADER_SIZE + (long) len) {
      return bad(p, 0, "a record of " + len + " payload bytes runs past the end of the file at "
          + size + " (partial record)");
    }
    int i = ensure(p, LogFormat.RECORD_HEADER_SIZE + len);
    int stored = intAt(i + 4);
    long zxid = longAt(i + 8);
    int computed = LogFormat.crc(zxid, win, i + LogFormat.RECORD_HEADER_SIZE, len);
    if (stored != computed) {
      return bad(p, zxid, String.format(Locale.ROOT,
          "CRC mismatch in the record for zxid 0x%x: stored 0x%08x, computed 0x%08x", zxid,
          stored, computed));
    }
    int from = i + LogFormat.RECORD_HEADER_SIZE;
    byte[] payload = Arrays.copyOfRange(win, from, from + len);
    pos = p + LogFormat.RECORD_HEADER_SIZE + len;
    return new Step(Kind.RECORD, p, zxid, payload, null);
  }

  /**
   * Looks for a sound record (sane length, matching CRC, zxid above {@code afterZxid}) starting at
   * any offset from {@code from} on. Finding one after a bad record means committed data follows
   * the damage, so the damage is not a torn tail.
   *
   * @return the offset of the first such record, or -1
   */
  long validRecordFrom(long from, long afterZxid) throws IOException {
    long q = from;
    while (q + LogFormat.RECORD_HEADER_SIZE < size) {
      int len = intAt(ensure(q, 4));
      if (len == 0) {
        long nz = firstNonZero(q);
        if (nz < 0) {
          return -1;
        }
        q = Math.max(q + 1, nz - 3);
        continue;
      }
      if (len < 0 || len > LogFormat.MAX_PAYLOAD
          || q + LogFormat.RECORD_HEADER_SIZE + len > size) {
        q++;
        continue;
      }
      long zxid = longAt(ensure(q, LogFormat.RECORD_HEADER_SIZE) + 8);
      if (zxid <= afterZxid) {
        q++;
        continue;
      }
      int i = ensure(q, LogFormat.RECORD_HEADER_SIZE + len);
      if (intAt(i + 4) == LogFormat.crc(zxid, win, i + LogFormat.RECORD_HEADER_SIZE, len)) {
        return q;
      }
      q++;
    }
    return -1;
  }

  /** The offset of the first non-zero byte at or after {@code from}, or -1 if there is none. */
  long firstNonZero(long from) throws IOException {
    for (long off = from; off < size; ) {
      int n = (int) Math.min(win.length, size - off);
      int i = ensure(off, n);
      for (int k = 0; k < n; k++) {
        if (win[i + k] != 0) {
          return off + k;
        }
      }
      off += n;
    }
    return -1;
  }

  /** The offset just past the last non-zero byte at or after {@code from}, or {@code from}. */
  long nonZeroEnd(long from) throws IOException {
    long end = from;
    for (long off = from; off < size; ) {
      int n = (int) Math.min(win.length, size - off);
      int i = ensure(off, n);
      for (int k = n - 1; k >= 0; k--) {
        if (win[i + k] != 0) {
          end = off + k + 1;
          break;
        }
      }
      off += n;
    }
    return end;
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }

  private Step bad(long offset, long zxid, String problem) {
    return new Step(Kind.BAD, offset, zxid, null, problem);
  }

  /**
   * Makes the window hold file bytes {@code [off, off + n)}, which must lie inside the file.
   *
   * @return the index in {@link #win} of the byte at {@code off}
   */
  private int ensure(long off, int n) throws IOException {
    if (off >= winStart && off + n <= winStart + winLen) {
      return (int) (off - winStart);
    }
    if (n > win.length) {
      win = new byte[n];
    }
    int want = (int) Math.min(win.length, size - off);
    ByteBuffer dst = ByteBuffer.wrap(win, 0, want);
    while (dst.hasRemaining()) {
      int r = ch.read(dst, off + dst.position());
      if (r < 0) {
        throw new IOException(file + " became shorter while it was being read (expected "
            + size + " bytes); another process may be changing the log");
      }
    }
    winStart = off;
    winLen = want;
    return 0;
  }

  private int intAt(int i) {
    return (win[i] & 0xff) << 24 | (win[i + 1] & 0xff) << 16 | (win[i + 2] & 0xff) << 8
        | (win[i + 3] & 0xff);
  }

  private long longAt(int i) {
    return (intAt(i) & 0xffffffffL) << 32 | (intAt(i + 4) & 0xffffffffL);
  }
}

package io.roost.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of transaction log segments, in one place.
 *
 * <p>A segment file is named {@code log.<16 hex digits of its first zxid>}. It starts with a
 * {@value #HEADER_SIZE}-byte header: the magic {@code RLOG}, the format version (int) and the base
 * zxid (long, equal to the name). Records follow back to back: payload length (int), CRC32C (int)
 * over the zxid's 8 big-endian bytes and the payload, zxid (long), then the payload (a
 * {@link TxnCodec} transaction). A length of zero, or the end of the file, ends the data; the
 * preallocated space after it is zeros.
 */
final class LogFormat {

  /** The four bytes every segment starts with. */
  static final byte[] MAGIC = "RLOG".getBytes(StandardCharsets.US_ASCII);
  /** The segment format version written and read by this build. */
  static final int VERSION = 1;
  /** Bytes before the first record. */
  static final int HEADER_SIZE = 16;
  /** Bytes before a record's payload: length, CRC, zxid. */
  static final int RECORD_HEADER_SIZE = 16;
  /** The largest payload a record may hold; longer lengths are treated as damage. */
  static final int MAX_PAYLOAD = 64 * 1024 * 1024;
  /** Every segment name starts with this. */
  static final String PREFIX = "log.";
  /** A segment being created carries this suffix until it is complete. */
  static final String TEMP_SUFFIX = ".tmp";

  private static final int HEX_DIGITS = 16;

  private LogFormat() {}

  /** The file name of the segment whose first record has {@code baseZxid}. */
  static String fileName(long baseZxid) {
    return PREFIX + String.format(Locale.ROOT, "%016x", baseZxid);
  }

  /** The base zxid a segment file name stands for, or empty if it is not a segment name. */
  static OptionalLong baseZxidOf(Path file) {
    Path name = file.getFileName();
    if (name == null) {
      return OptionalLong.empty();
    }
    String s = name.toString();
    if (s.length() != PREFIX.length() + HEX_DIGITS || !s.startsWith(PREFIX)) {
      return OptionalLong.empty();
    }
    for (int k = PREFIX.length(); k < s.length(); k++) {
      char c = s.charAt(k);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseUnsignedLong(s.substring(PREFIX.length()), 16));
  }

  /** True for a segment left half-created by a crash. */
  static boolean isTempFile(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().startsWith(PREFIX)
        && name.toString().endsWith(TEMP_SUFFIX);
  }

  /** The header of a segment with this base zxid. */
  static ByteBuffer header(long baseZxid) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
    b.put(MAGIC).putInt(VERSION).putLong(baseZxid);
    return b.flip();
  }

  /** The CRC32C a record with this zxid and payload must carry. */
  static int crc(long zxid, byte[] payload, int off, int len) {
    CRC32C crc = new CRC32C();
    for (int shift = 56; shift >= 0; shift -= 8) {
      crc.update((int) (zxid >>> shift));
    }
    crc.update(payload, off, len);
    return (int) crc.getValue();
  }

  /** Writes {@code to - from} zero bytes at {@code from}, in chunks. */
  static void writeZeros(FileChannel ch, long from, long to) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(0, to - from)));
    long pos = from;
    while (pos < to) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), to - pos));
      while (zeros.hasRemaining()) {
        pos += ch.write(zeros, pos);
      }
    }
  }

  /** Makes file creations, renames and deletions in {@code dir} durable (POSIX systems). */
  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** A zxid as the operator sees it: hex, with its epoch and counter. */
  static String describeZxid(long zxid) {
    return String.format(Locale.ROOT, "0x%x (epoch %d, counter %d)", zxid, zxid >>> 32,
        zxid & 0xffffffffL);
  }
}

package io.roost.core.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The segment the log appends to: writes records at the end of its data and keeps the file
 * preallocated (filled with real zeros, in steps of the preallocation size) so that appending does
 * not change the file's size, and an fsync need not write file-size metadata on every flush.
 * Not thread-safe.
 */
final class SegmentFile implements Closeable {

  private final Path path;
  private final long baseZxid;
  private final long preallocBytes;
  private final FileChannel ch;
  private long allocated;
  private long dataEnd;

  private SegmentFile(Path path, long baseZxid, long preallocBytes, FileChannel ch, long dataEnd)
      throws IOException {
    this.path = path;
    this.baseZxid = baseZxid;
    this.preallocBytes = preallocBytes;
    this.ch = ch;
    this.allocated = ch.size();
    this.dataEnd = dataEnd;
  }

  /**
   * Creates a new, empty segment atomically: header and zeros are written to a temporary file,
   * which is renamed into place, so a crash never leaves a segment with a half-written header.
   *
   * @param dir the log directory
   * @param baseZxid the zxid of the first record that will go into it
   * @param preallocBytes the initial file size and growth step
   * @param forceSync whether to fsync the new file and the directory
   */
  static SegmentFile create(Path dir, long baseZxid, long preallocBytes, boolean forceSync)
      throws IOException {
    Path path = dir.resolve(LogFormat.fileName(baseZxid));
    if (Files.exists(path)) {
      throw new IllegalStateException("log segment " + path + " already exists; the log would"
          + " overwrite it. Remove it only if you are sure its records are not needed");
    }
    Path temp = dir.resolve(LogFormat.fileName(baseZxid) + LogFormat.TEMP_SUFFIX);
    try (FileChannel t = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer header = LogFormat.header(baseZxid);
      while (header.hasRemaining()) {
        t.write(header, header.position());
      }
      LogFormat.writeZeros(t, LogFormat.HEADER_SIZE,
          Math.max(preallocBytes, LogFormat.HEADER_SIZE));
      if (forceSync) {
        t.force(true);
      }
    }
    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
    if (forceSync) {
      LogFormat.forceDirectory(dir);
    }
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new SegmentFile(path, baseZxid, preallocBytes, ch, LogFormat.HEADER_SIZE);
  }

  /**
   * Opens an existing, already validated segment to append after its data.
   *
   * @param path the segment
   * @param baseZxid its base zxid
   * @param dataEnd the offset just past its last record
   * @param preallocBytes the growth step
   */
  static SegmentFile openExisting(Path path, long baseZxid, long dataEnd, long preallocBytes)
      throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new SegmentFile(path, baseZxid, preallocBytes, ch, dataEnd);
  }

  /** The segment file. */
  Path path() {
    return path;
  }

  /** The zxid of its first record. */
  long baseZxid() {
    return baseZxid;
  }

  /** The offset just past the last record written. */
  long dataEnd() {
    return dataEnd;
  }

  /** Whether no record has been written to it yet. */
  boolean isEmpty() {
    return dataEnd == LogFormat.HEADER_SIZE;
  }

  /**
   * Writes {@code len} bytes of {@code buf} at the end of the data, first growing the file by
   * whole preallocation steps if they would not fit.
   */
  void write(byte[] buf, int off, int len) throws IOException {
    long needed = dataEnd + len;
    if (needed > allocated) {
      long steps = (needed - allocated + preallocBytes - 1) / preallocBytes;
      long grown = allocated + steps * preallocBytes;
      LogFormat.writeZeros(ch, allocated, grown);
      allocated = grown;
    }
    ByteBuffer src = ByteBuffer.wrap(buf, off, len);
    while (src.hasRemaining()) {
      dataEnd += ch.write(src, dataEnd);
    }
  }

  /** Forces written data to disk (fdatasync). */
  void force() throws IOException {
    ch.force(false);
  }

  /**
   * Removes every record from {@code offset} on by zeroing them, so the preallocated size stays.
   *
   * @param offset the start of the first record to remove
   */
  void zeroFrom(long offset) throws IOException {
    LogFormat.writeZeros(ch, offset, dataEnd);
    dataEnd = offset;
  }

  /**
   * Ends appending to this segment because a newer one starts: forces it if asked, cuts the unused
   * preallocated space off, and closes it.
   */
  void finish(boolean forceSync) throws IOException {
    try {
      if (forceSync) {
        ch.force(false);
      }
      ch.truncate(dataEnd);
    } finally {
      ch.close();
    }
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }
}

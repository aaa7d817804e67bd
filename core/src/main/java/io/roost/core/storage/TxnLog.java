package io.roost.core.storage;

import io.roost.core.proto.ProtocolException;
import io.roost.core.txn.Transaction;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The append-only transaction log: every transaction, in zxid order, in segment files of one
 * directory (the server's {@code dataLogDir}).
 *
 * <p>Segments are named {@code log.<16 hex digits of their first zxid>}. Each starts with a
 * 16-byte header (magic {@code RLOG}, format version int, base zxid long) followed by records:
 * payload length (int), CRC32C (int) over the zxid and payload, zxid (long), then the
 * {@link TxnCodec} payload. A zero length ends the data. A segment is preallocated with zeros so
 * appends do not change the file size; a record that would take it past
 * {@link TxnLogOptions#segmentBytes()} starts a new one. A finished segment is fsync'd and cut
 * back to its data before the next one is created, so a newer segment on disk implies every older
 * one is complete, and damage in any segment but the newest cannot be a crash artefact.
 *
 * <p>Writing is two steps, for group commit: {@link #append} buffers a transaction, and
 * {@link #flush} writes everything buffered and fsyncs once. A transaction is durable, and may be
 * acknowledged, only after a {@code flush} that follows its {@code append} has returned. Both do
 * disk I/O: call them on a worker thread, never on an event loop.
 *
 * <p>{@link #open} recovers the log: a torn tail left by a crash is cut off and reported by
 * {@link #recoveryReport()}; damage before the tail throws {@link LogCorruptedException}.
 *
 * <p>Not thread-safe: one caller at a time, with the caller providing the happens-before between
 * calls (for example one worker context, or a lock around every call). After an
 * {@link IOException} from a write the log refuses further writes; close it and open it again so
 * that recovery checks what reached the disk.
 */
public final class TxnLog implements Closeable {

  private static final Logger LOG = System.getLogger(TxnLog.class.getName());
  /** Buffered records are written out (without fsync) once they exceed this many bytes. */
  private static final int PENDING_WRITE_BYTES = 1 << 20;

  private final Path dir;
  private final TxnLogOptions options;
  private final String recoveryReport;
  private final List<Path> segments;
  private SegmentFile current;
  private byte[] pending = new byte[64 * 1024];
  private int pendingLen;
  private int unflushedRecords;
  private long lastZxid;
  private boolean closed;
  private IOException failure;

  private TxnLog(Path dir, TxnLogOptions options, LogRecovery.Result recovered)
      throws IOException {
    this.dir = dir;
    this.options = options;
    this.recoveryReport = recovered.report();
    this.segments = new ArrayList<>();
    for (LogRecovery.Segment s : recovered.segments()) {
      segments.add(s.path());
    }
    if (!recovered.segments().isEmpty()) {
      LogRecovery.Segment last = recovered.segments().get(recovered.segments().size() - 1);
      lastZxid = last.lastZxid();
      current = SegmentFile.openExisting(last.path(), last.baseZxid(), last.dataEnd(),
          options.preallocBytes());
    }
  }

  /**
   * Opens the log in {@code dir}, creating the directory if needed, after checking every segment
   * and cutting off a torn tail.
   *
   * @param dir the log directory
   * @param options segment sizes and fsync
   * @return the open log, positioned to append after its last transaction
   * @throws LogCorruptedException if the log is damaged before its tail; the message names the
   *     file and offset
   * @throws IOException if the directory cannot be read or written
   */
  public static TxnLog open(Path dir, TxnLogOptions options) throws IOException {
    LogRecovery.Result recovered = LogRecovery.recover(dir);
    LOG.log(recovered.repaired() ? Level.INFO : Level.DEBUG, recovered.report());
    if (!options.forceSync()) {
      LOG.log(Level.WARNING, "transaction log " + dir + " runs without fsync (forceSync=no):"
          + " a machine crash can lose acknowledged writes. Use this for benchmarks only");
    }
    return new TxnLog(dir, options, recovered);
  }

  /**
   * Prints one segment file for an operator: the header, one line per record (offset, zxid with
   * epoch and counter, session, cxid, time, op) and how the data ends, including a torn tail or
   * damage with its offset. Damage is reported, never thrown.
   *
   * @param file a segment file
   * @param out where to print
   * @throws IOException if the file cannot be read
   */
  public static void dump(Path file, PrintStream out) throws IOException {
    LogDump.dump(file, out);
  }

  /**
   * What recovery found and repaired when the log was opened.
   *
   * @return a one-line summary naming every repair, or saying none was needed
   */
  public String recoveryReport() {
    return recoveryReport;
  }

  /**
   * The zxid of the newest transaction appended (flushed or not).
   *
   * @return the zxid, or 0 if the log is empty
   */
  public long lastZxid() {
    return lastZxid;
  }

  /**
   * The zxid of the oldest transaction the log still holds; older ones were purged. A follower
   * whose last zxid is below this needs a snapshot rather than a DIFF.
   *
   * @return the zxid, or 0 if the log is empty
   */
  public long firstZxid() {
    return segments.isEmpty() ? 0 : baseOf(segments.get(0));
  }

  /**
   * The segment files, oldest first.
   *
   * @return an immutable list of paths
   */
  public List<Path> segments() {
    return List.copyOf(segments);
  }

  /**
   * Buffers a transaction. It is not durable until {@link #flush()} returns. May write earlier
   * buffered transactions or start a new segment, so it does disk I/O.
   *
   * @param txn the transaction; its zxid must be greater than {@link #lastZxid()}
   * @throws IllegalArgumentException if the zxid does not increase, or the transaction is larger
   *     than a record may be
   * @throws IllegalStateException if the log is closed or an earlier write failed
   * @throws IOException if writing fails
   */
  public void append(Transaction txn) throws IOException {
    checkWritable();
    if (txn.zxid() <= lastZxid) {
      throw new IllegalArgumentException("cannot append zxid 0x" + Long.toHexString(txn.zxid())
          + " after zxid 0x" + Long.toHexString(lastZxid) + ": zxids in the log must strictly"
          + " increase (and be positive)");
    }
    byte[] payload = TxnCodec.encode(txn);
    if (payload.length > LogFormat.MAX_PAYLOAD) {
      throw new IllegalArgumentException("transaction 0x" + Long.toHexString(txn.zxid())
          + " encodes to " + payload.length + " bytes, more than a log record may hold ("
          + LogFormat.MAX_PAYLOAD + "); reject such requests before they are prepared");
    }
    int recordSize = LogFormat.RECORD_HEADER_SIZE + payload.length;
    try {
      if (current != null && !(current.isEmpty() && pendingLen == 0)
          && current.dataEnd() + pendingLen + recordSize > options.segmentBytes()) {
        roll();
      }
      if (current == null) {
        current = SegmentFile.create(dir, txn.zxid(), options.preallocBytes(),
            options.forceSync());
        segments.add(current.path());
      }
      putRecord(txn.zxid(), payload);
      lastZxid = txn.zxid();
      unflushedRecords++;
      if (pendingLen >= PENDING_WRITE_BYTES) {
        writePending();
      }
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * Writes every buffered transaction and, if the log was opened with
   * {@link TxnLogOptions#forceSync()}, forces them to disk with one fsync (group commit). When it
   * returns, every transaction appended so far is durable.
   *
   * @return how many transactions this flush made durable (0 if there were none)
   * @throws IllegalStateException if the log is closed or an earlier write failed
   * @throws IOException if writing or syncing fails
   */
  public int flush() throws IOException {
    checkWritable();
    try {
      writePending();
      if (options.forceSync() && current != null && unflushedRecords > 0) {
        current.force();
      }
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    int n = unflushedRecords;
    unflushedRecords = 0;
    return n;
  }

  /**
   * Delivers, in zxid order and across segments, every transaction with a zxid greater than
   * {@code fromZxidExclusive}: the replay at start-up, and the DIFF a follower needs. Includes
   * transactions appended but not yet flushed (it writes them out first, without fsync).
   *
   * @param fromZxidExclusive deliver only zxids above this; 0 for everything
   * @param consumer receives each transaction
   * @return how many transactions were delivered
   * @throws LogCorruptedException if a segment changed on disk since the log was opened and is no
   *     longer sound
   * @throws IllegalStateException if the log is closed or an earlier write failed
   * @throws IOException if reading fails
   */
  public long read(long fromZxidExclusive, Consumer<Transaction> consumer) throws IOException {
    checkWritable();
    try {
      writePending();
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    int start = 0;
    // Segment k holds zxids below the next segment's base; skip those that end at or before from.
    while (start < segments.size() - 1
        && baseOf(segments.get(start + 1)) - 1 <= fromZxidExclusive) {
      start++;
    }
    long delivered = 0;
    for (int k = start; k < segments.size(); k++) {
      delivered += readSegment(segments.get(k), fromZxidExclusive, consumer);
    }
    return delivered;
  }

  /**
   * Removes every transaction with a zxid greater than {@code zxid}: the TRUNC a follower applies
   * when it holds proposals the new leader lacks. Later segments are deleted; the segment holding
   * {@code zxid} has its tail zeroed and becomes the one appended to. Buffered transactions are
   * written first, and the result is synced if the log uses fsync.
   *
   * @param zxid the last zxid to keep
   * @throws IllegalStateException if the log is closed or an earlier write failed
   * @throws IOException if the files cannot be changed
   */
  public void truncateAfter(long zxid) throws IOException {
    checkWritable();
    if (zxid >= lastZxid) {
      return;
    }
    try {
      writePending();
      if (current != null) {
        current.close();
        current = null;
      }
      boolean deleted = false;
      while (!segments.isEmpty() && baseOf(segments.get(segments.size() - 1)) > zxid) {
        Files.delete(segments.remove(segments.size() - 1));
        deleted = true;
      }
      lastZxid = 0;
      if (!segments.isEmpty()) {
        cutSegment(segments.get(segments.size() - 1), zxid);
      }
      if (deleted && options.forceSync()) {
        LogFormat.forceDirectory(dir);
      }
      unflushedRecords = 0;
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * Deletes old segments that are no longer needed once a snapshot includes every transaction up
   * to {@code zxid}. A segment goes only if the next segment starts at or below {@code zxid + 1},
   * so every transaction after {@code zxid} stays; the newest segment always stays.
   *
   * @param zxid the zxid the retained snapshots cover
   * @return the deleted segment files, oldest first
   * @throws IllegalStateException if the log is closed
   * @throws IOException if a file cannot be deleted
   */
  public List<Path> purgeBefore(long zxid) throws IOException {
    checkOpen();
    List<Path> removed = new ArrayList<>();
    while (segments.size() >= 2 && baseOf(segments.get(1)) - 1 <= zxid) {
      Path oldest = segments.get(0);
      Files.delete(oldest);
      segments.remove(0);
      removed.add(oldest);
    }
    return List.copyOf(removed);
  }

  /**
   * Flushes (with fsync if configured) and closes the log. Closing twice does nothing.
   *
   * @throws IOException if the final flush fails; the files are closed anyway
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (failure == null) {
        flush();
      }
    } finally {
      closed = true;
      if (current != null) {
        current.close();
      }
    }
  }

  /** Finishes the current segment (synced, so a newer segment implies an intact older one). */
  private void roll() throws IOException {
    writePending();
    current.finish(options.forceSync());
    current = null;
  }

  private void putRecord(long zxid, byte[] payload) {
    int size = LogFormat.RECORD_HEADER_SIZE + payload.length;
    if (pendingLen + size > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pendingLen + size, pending.length * 2));
    }
    int p = pendingLen;
    putInt(p, payload.length);
    putInt(p + 4, LogFormat.crc(zxid, payload, 0, payload.length));
    putInt(p + 8, (int) (zxid >>> 32));
    putInt(p + 12, (int) zxid);
    System.arraycopy(payload, 0, pending, p + LogFormat.RECORD_HEADER_SIZE, payload.length);
    pendingLen += size;
  }

  private void putInt(int at, int v) {
    pending[at] = (byte) (v >>> 24);
    pending[at + 1] = (byte) (v >>> 16);
    pending[at + 2] = (byte) (v >>> 8);
    pending[at + 3] = (byte) v;
  }

  private void writePending() throws IOException {
    if (pendingLen > 0) {
      current.write(pending, 0, pendingLen);
      pendingLen = 0;
      if (pending.length > PENDING_WRITE_BYTES * 2) {
        pending = new byte[64 * 1024];
      }
    }
  }

  /** Zeroes the records after {@code zxid} in {@code seg} and makes it the current segment. */
  private void cutSegment(Path seg, long zxid) throws IOException {
    long cut = -1;
    long dataEnd;
    try (SegmentScanner scan = openChecked(seg)) {
      while (true) {
        SegmentScanner.Step st = scan.next();
        if (st.kind() == SegmentScanner.Kind.RECORD) {
          if (st.zxid() <= zxid) {
            lastZxid = st.zxid();
          } else if (cut < 0) {
            cut = st.offset();
          }
        } else if (st.kind() == SegmentScanner.Kind.END) {
          dataEnd = st.offset();
          break;
        } else {
          throw changedOnDisk(seg, st);
        }
      }
    }
    current = SegmentFile.openExisting(seg, baseOf(seg), dataEnd, options.preallocBytes());
    if (cut >= 0) {
      current.zeroFrom(cut);
      if (options.forceSync()) {
        current.force();
      }
    }
  }

  private long readSegment(Path seg, long from, Consumer<Transaction> consumer)
      throws IOException {
    long delivered = 0;
    try (SegmentScanner scan = openChecked(seg)) {
      while (true) {
        SegmentScanner.Step st = scan.next();
        if (st.kind() == SegmentScanner.Kind.END) {
          return delivered;
        }
        if (st.kind() == SegmentScanner.Kind.BAD) {
          throw changedOnDisk(seg, st);
        }
        if (st.zxid() <= from) {
          continue;
        }
        Transaction txn;
        try {
          txn = TxnCodec.decode(st.payload(), 0, st.payload().length);
        } catch (ProtocolException e) {
          throw new LogCorruptedException(seg, st.offset(), "the record for zxid 0x"
              + Long.toHexString(st.zxid()) + " passes its CRC but does not decode ("
              + e.getMessage() + ")", e);
        }
        if (txn.zxid() != st.zxid()) {
          throw new LogCorruptedException(seg, st.offset(), "the record header gives zxid 0x"
              + Long.toHexString(st.zxid()) + " but its transaction has zxid 0x"
              + Long.toHexString(txn.zxid()));
        }
        consumer.accept(txn);
        delivered++;
      }
    }
  }

  private static SegmentScanner openChecked(Path seg) throws IOException {
    SegmentScanner scan = SegmentScanner.open(seg);
    String problem = scan.readHeader();
    if (problem != null) {
      scan.close();
      throw new LogCorruptedException(seg, 0, problem
          + " (the file changed on disk after the log was opened)");
    }
    return scan;
  }

  private static LogCorruptedException changedOnDisk(Path seg, SegmentScanner.Step st) {
    return new LogCorruptedException(seg, st.offset(), st.problem()
        + " (the file changed on disk after the log was opened)");
  }

  private static long baseOf(Path seg) {
    return LogFormat.baseZxidOf(seg).getAsLong();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("transaction log " + dir + " is closed; open it again");
    }
  }

  private void checkWritable() {
    checkOpen();
    if (failure != null) {
      throw new IllegalStateException("an earlier write to transaction log " + dir + " failed ("
          + failure.getMessage() + "); close the log and open it again so recovery can check"
          + " what reached the disk", failure);
    }
  }
}

package io.roost.core.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Checks every segment of a log directory at start-up and repairs what a crash can leave behind.
 *
 * <p>A crash can cut the newest writes short, so only the newest segment's tail may be repaired:
 * a partial record, a record whose CRC fails, or stray bytes after the end of the data are cleared
 * (zeroed, so the preallocated size stays) provided no sound record follows them. Everything else
 * is damage that a crash cannot explain — a bad record with sound records after it, any fault in
 * an older segment, records out of zxid order, a header that does not match the file name — and
 * throws {@link LogCorruptedException}, because the records involved may have been acknowledged.
 *
 * <p>The newest segment may also be removed when it holds no record (a crash right after it was
 * created), and leftover {@code .tmp} files of an interrupted segment creation are deleted.
 */
final class LogRecovery {

  /**
   * A segment that passed the check.
   *
   * @param path the file
   * @param baseZxid the zxid of its first record
   * @param lastZxid the zxid of its last record
   * @param dataEnd the offset just past its last record
   * @param records how many records it holds
   */
  record Segment(Path path, long baseZxid, long lastZxid, long dataEnd, long records) {}

  /**
   * The outcome of a recovery.
   *
   * @param segments the sound segments, oldest first
   * @param report a readable summary, listing every repair
   * @param repaired whether anything on disk was changed
   */
  record Result(List<Segment> segments, String report, boolean repaired) {}

  private final Path dir;
  private final List<String> repairs = new ArrayList<>();

  private LogRecovery(Path dir) {
    this.dir = dir;
  }

  /**
   * Checks and repairs the log in {@code dir}, creating the directory if it does not exist.
   *
   * @throws LogCorruptedException if the log is damaged before its tail
   */
  static Result recover(Path dir) throws IOException {
    return new LogRecovery(dir).run();
  }

  /** The segment files in {@code dir}, oldest first. */
  static List<Path> listSegments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> LogFormat.baseZxidOf(p).isPresent())
          .sorted(Comparator.comparingLong(p -> LogFormat.baseZxidOf(p).getAsLong()))
          .toList();
    }
  }

  private Result run() throws IOException {
    Files.createDirectories(dir);
    removeTempFiles();
    List<Path> files = listSegments(dir);
    List<Segment> sound = new ArrayList<>();
    long lastZxid = 0;
    for (int k = 0; k < files.size(); k++) {
      Segment s = check(files.get(k), k == files.size() - 1, lastZxid);
      if (s != null) {
        sound.add(s);
        lastZxid = s.lastZxid();
      }
    }
    return new Result(List.copyOf(sound), report(sound), !repairs.isEmpty());
  }

  private void removeTempFiles() throws IOException {
    List<Path> temps;
    try (Stream<Path> files = Files.list(dir)) {
      temps = files.filter(LogFormat::isTempFile).toList();
    }
    for (Path t : temps) {
      Files.delete(t);
      repairs.add("removed " + t.getFileName() + ", a segment whose creation was interrupted");
    }
  }

  /** Checks one segment; returns null if it was removed because it held no record. */
  private Segment check(Path file, boolean newest, long prevZxid) throws IOException {
    long base = LogFormat.baseZxidOf(file).getAsLong();
    try (SegmentScanner scan = SegmentScanner.open(file)) {
      String headerProblem = scan.readHeader();
      if (headerProblem != null) {
        if (newest && scan.firstNonZero(0) < 0) {
          return remove(file, "it held only zeros (" + headerProblem + ")");
        }
        throw new LogCorruptedException(file, 0, headerProblem);
      }
      if (scan.baseZxid() != base) {
        throw new LogCorruptedException(file, 8, "the header gives base zxid 0x"
            + Long.toHexString(scan.baseZxid()) + " but the file name gives 0x"
            + Long.toHexString(base));
      }
      long zxid = prevZxid;
      long records = 0;
      long dataEnd;
      while (true) {
        SegmentScanner.Step st = scan.next();
        if (st.kind() == SegmentScanner.Kind.RECORD) {
          checkOrder(file, st, records == 0 ? base : -1, zxid);
          zxid = st.zxid();
          records++;
        } else if (st.kind() == SegmentScanner.Kind.END) {
          dataEnd = st.offset();
          checkAfterEnd(scan, newest, dataEnd, zxid);
          break;
        } else {
          dataEnd = st.offset();
          repairTail(scan, newest, st, zxid);
          break;
        }
      }
      if (records == 0) {
        if (!newest) {
          throw new LogCorruptedException(file, LogFormat.HEADER_SIZE,
              "the segment holds no records but newer segments follow it");
        }
        return remove(file, "it held no records (created just before a crash)");
      }
      return new Segment(file, base, zxid, dataEnd, records);
    }
  }

  /** A sound CRC with a wrong zxid cannot come from a torn write, so it is always damage. */
  private static void checkOrder(Path file, SegmentScanner.Step st, long expectedFirst,
      long prevZxid) {
    if (expectedFirst >= 0 && st.zxid() != expectedFirst) {
      throw new LogCorruptedException(file, st.offset(), "the first record has zxid 0x"
          + Long.toHexString(st.zxid()) + " but the segment's name and header give 0x"
          + Long.toHexString(expectedFirst));
    }
    if (st.zxid() <= prevZxid) {
      throw new LogCorruptedException(file, st.offset(), "record zxid 0x"
          + Long.toHexString(st.zxid()) + " is not greater than the previous record's 0x"
          + Long.toHexString(prevZxid));
    }
  }

  /** After the end of the data there must be nothing but zeros; stray bytes are judged here. */
  private void checkAfterEnd(SegmentScanner scan, boolean newest, long end, long lastZxid)
      throws IOException {
    long nz = scan.firstNonZero(end);
    if (nz < 0) {
      return;
    }
    String problem = "the data ends at offset " + end + " but non-zero bytes follow at offset "
        + nz;
    if (!newest) {
      throw new LogCorruptedException(scan.file(), end,
          problem + ", in a segment that is not the newest");
    }
    long sound = scan.validRecordFrom(Math.max(end + 1, nz - 3), lastZxid);
    if (sound >= 0) {
      throw new LogCorruptedException(scan.file(), end,
          problem + ", and a sound record starts at offset " + sound);
    }
    clear(scan, end, problem);
  }

  /** A bad record in the newest segment is a torn tail only if no sound record follows it. */
  private void repairTail(SegmentScanner scan, boolean newest, SegmentScanner.Step bad,
      long lastZxid) throws IOException {
    if (!newest) {
      throw new LogCorruptedException(scan.file(), bad.offset(), bad.problem()
          + "; the segment is not the newest, so this cannot be a write cut short by a crash");
    }
    long sound = scan.validRecordFrom(bad.offset() + 1, lastZxid);
    if (sound >= 0) {
      throw new LogCorruptedException(scan.file(), bad.offset(), bad.problem()
          + "; a sound record follows at offset " + sound);
    }
    clear(scan, bad.offset(), bad.problem());
  }

  /** Zeroes the tail from {@code from} to the last non-zero byte, and records the repair. */
  private void clear(SegmentScanner scan, long from, String why) throws IOException {
    long to = scan.nonZeroEnd(from);
    try (FileChannel ch = FileChannel.open(scan.file(), StandardOpenOption.WRITE)) {
      LogFormat.writeZeros(ch, from, to);
      ch.force(false);
    }
    repairs.add(String.format(Locale.ROOT,
        "truncated the torn tail of %s at offset %d (%s); cleared %d bytes",
        scan.file().getFileName(), from, why, to - from));
  }

  private Segment remove(Path file, String why) throws IOException {
    Files.delete(file);
    LogFormat.forceDirectory(dir);
    repairs.add("removed the newest segment " + file.getFileName() + " because " + why);
    return null;
  }

  private String report(List<Segment> sound) {
    long records = sound.stream().mapToLong(Segment::records).sum();
    StringBuilder b = new StringBuilder("transaction log ").append(dir).append(": ")
        .append(sound.size()).append(sound.size() == 1 ? " segment, " : " segments, ")
        .append(records).append(records == 1 ? " record" : " records");
    if (!sound.isEmpty()) {
      b.append(", zxids 0x").append(Long.toHexString(sound.get(0).baseZxid())).append("..0x")
          .append(Long.toHexString(sound.get(sound.size() - 1).lastZxid()));
    }
    if (repairs.isEmpty()) {
      b.append("; no repair needed");
    } else {
      b.append("; repaired: ").append(String.join("; ", repairs));
    }
    return b.toString();
  }
}

package io.roost.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Id;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnLogTest {
  private static final List<ACL> OPEN = List.of(new ACL(31, new Id("world", "anyone")));
  /** Small sizes so a few hundred transactions span many segments. */
  private static final TxnLogOptions SMALL = new TxnLogOptions(4096, 2048, true);
  private static final TxnLogOptions ONE_SEGMENT = new TxnLogOptions(64 * 1024, 1 << 20, true);

  @TempDir
  Path dir;

  // ---- helpers -------------------------------------------------------------------------------

  /** A varied history: every op type, zxid gaps and an epoch change half-way. */
  private static List<Transaction> history(long seed, int count, long firstZxid) {
    Random rnd = new Random(seed);
    List<Transaction> out = new ArrayList<>();
    long zxid = firstZxid;
    for (int k = 0; k < count; k++) {
      if (k == count / 2) {
        zxid = Transaction.zxid(Transaction.epochOf(zxid) + 1, 1);
      }
      out.add(new Transaction(0x100 + rnd.nextInt(4), k, zxid, 1_700_000_000_000L + k,
          randomOp(rnd, k)));
      zxid += 1 + (rnd.nextInt(5) == 0 ? rnd.nextInt(10) : 0);
    }
    return out;
  }

  private static TxnOp randomOp(Random rnd, int k) {
    byte[] data = new byte[rnd.nextInt(40)];
    rnd.nextBytes(data);
    switch (rnd.nextInt(8)) {
      case 0:
        return new TxnOp.Create("/n" + k, rnd.nextBoolean() ? data : null, OPEN, 0, k);
      case 1:
        return new TxnOp.Delete("/n" + k);
      case 2:
        return new TxnOp.SetData("/n" + k, data, k);
      case 3:
        return new TxnOp.SetAcl("/n" + k, OPEN, k);
      case 4:
        return new TxnOp.CreateSession(10_000, data);
      case 5:
        return new TxnOp.CloseSession();
      case 6:
        return new TxnOp.Multi(List.of(new TxnOp.Check("/n" + k, 1),
            new TxnOp.SetData("/m" + k, data, 2)));
      default:
        return new TxnOp.Check("/n" + k, k);
    }
  }

  private static Transaction simple(long zxid) {
    return new Transaction(7, (int) zxid, zxid, 1000 + zxid,
        new TxnOp.SetData("/x", ("value " + zxid).getBytes(StandardCharsets.UTF_8), (int) zxid));
  }

  private static List<Transaction> readAll(TxnLog log, long from) throws IOException {
    List<Transaction> out = new ArrayList<>();
    long n = log.read(from, out::add);
    assertEquals(out.size(), n);
    return out;
  }

  private static List<Transaction> after(List<Transaction> all, long from) {
    return all.stream().filter(t -> t.zxid() > from).toList();
  }

  private TxnLog write(TxnLogOptions options, List<Transaction> txns) throws IOException {
    TxnLog log = TxnLog.open(dir, options);
    for (Transaction t : txns) {
      log.append(t);
    }
    log.flush();
    return log;
  }

  /** Where each record of a single-segment log starts, computed from the documented layout. */
  private static long[] offsets(List<Transaction> txns) {
    long[] at = new long[txns.size() + 1];
    at[0] = 16;
    for (int k = 0; k < txns.size(); k++) {
      at[k + 1] = at[k] + 16 + TxnCodec.encode(txns.get(k)).length;
    }
    return at;
  }

  /** Record offsets in one segment, as the scanner sees them. */
  private static List<Long> scannedOffsets(Path segment) throws IOException {
    List<Long> out = new ArrayList<>();
    try (SegmentScanner scan = SegmentScanner.open(segment)) {
      assertEquals(null, scan.readHeader());
      for (SegmentScanner.Step st = scan.next(); st.kind() == SegmentScanner.Kind.RECORD;
          st = scan.next()) {
        out.add(st.offset());
      }
    }
    return out;
  }

  private static void flip(Path file, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
      ch.write(b, offset);
    }
  }

  private static void zero(Path file, long from, long to) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate((int) (to - from)), from);
    }
  }

  private static void put(Path file, long offset, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), offset);
    }
  }

  private static String dump(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TxnLog.dump(file, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  // ---- appending and reading -----------------------------------------------------------------

  @Test
  void appendFlushReopenReturnsEverything() throws IOException {
    List<Transaction> txns = history(1, 200, 1);
    try (TxnLog log = write(ONE_SEGMENT, txns)) {
      assertEquals(txns, readAll(log, 0));
      assertEquals(txns.get(txns.size() - 1).zxid(), log.lastZxid());
    }
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      assertEquals(txns, readAll(log, 0));
      assertEquals(txns.get(txns.size() - 1).zxid(), log.lastZxid());
      assertEquals(txns.get(0).zxid(), log.firstZxid());
      assertTrue(log.recoveryReport().contains("no repair needed"), log.recoveryReport());
      assertTrue(log.recoveryReport().contains("200 records"), log.recoveryReport());
    }
  }

  @Test
  void emptyLogHasNothingAndAcceptsAFirstTransaction() throws IOException {
    try (TxnLog log = TxnLog.open(dir.resolve("new/sub"), ONE_SEGMENT)) {
      assertEquals(0, log.lastZxid());
      assertEquals(0, log.firstZxid());
      assertTrue(log.segments().isEmpty());
      assertEquals(List.of(), readAll(log, 0));
      assertEquals(0, log.flush());
      log.append(simple(5));
      assertEquals(1, log.flush());
      assertEquals(List.of(dir.resolve("new/sub/log.0000000000000005")), log.segments());
    }
  }

  @Test
  void readIncludesAppendedButUnflushedTransactions() throws IOException {
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      log.append(simple(1));
      log.append(simple(2));
      assertEquals(List.of(simple(1), simple(2)), readAll(log, 0));
      assertEquals(2, log.flush());
      assertEquals(0, log.flush());
    }
  }

  @Test
  void closeFlushesWhatWasAppended() throws IOException {
    TxnLog log = TxnLog.open(dir, ONE_SEGMENT);
    log.append(simple(1));
    log.close();
    log.close();
    assertThrows(IllegalStateException.class, () -> log.append(simple(2)));
    try (TxnLog again = TxnLog.open(dir, ONE_SEGMENT)) {
      assertEquals(List.of(simple(1)), readAll(again, 0));
    }
  }

  @Test
  void manySegmentsReadBackInOrderFromArbitraryZxids() throws IOException {
    List<Transaction> txns = history(2, 600, Transaction.zxid(3, 1));
    try (TxnLog log = write(SMALL, txns)) {
      assertTrue(log.segments().size() > 10, "expected many segments: " + log.segments());
      assertEquals(txns, readAll(log, 0));
    }
    try (TxnLog log = TxnLog.open(dir, SMALL)) {
      List<Path> segs = log.segments();
      for (int k = 0; k < segs.size(); k++) {
        long base = LogFormat.baseZxidOf(segs.get(k)).getAsLong();
        assertTrue(k == 0 || base > LogFormat.baseZxidOf(segs.get(k - 1)).getAsLong());
        // every segment but the newest was cut back to its data when the next one started
        if (k < segs.size() - 1) {
          assertTrue(Files.size(segs.get(k)) <= SMALL.segmentBytes(), segs.get(k).toString());
        }
      }
      Random rnd = new Random(3);
      List<Long> froms = new ArrayList<>(List.of(0L, txns.get(0).zxid() - 1, txns.get(0).zxid(),
          txns.get(299).zxid(), txns.get(300).zxid() - 1, txns.get(599).zxid(),
          txns.get(599).zxid() + 100));
      for (int k = 0; k < 50; k++) {
        Transaction t = txns.get(rnd.nextInt(txns.size()));
        froms.add(t.zxid() + rnd.nextInt(3) - 1); // on, just before and just after a zxid
      }
      for (long from : froms) {
        assertEquals(after(txns, from), readAll(log, from), "reading after 0x"
            + Long.toHexString(from));
      }
    }
  }

  @Test
  void withoutFsyncTheLogStillWritesAndRecovers() throws IOException {
    TxnLogOptions unsafe = SMALL.withForceSync(false);
    List<Transaction> txns = history(22, 100, 1);
    try (TxnLog log = write(unsafe, txns)) {
      assertEquals(txns, readAll(log, 0));
    }
    try (TxnLog log = TxnLog.open(dir, unsafe)) {
      assertEquals(txns, readAll(log, 0));
    }
  }

  @Test
  void optionsRejectTinySizesWithAHint() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TxnLogOptions.defaults().withSegmentBytes(10));
    assertTrue(e.getMessage().contains("segment size 10") && e.getMessage().contains("1024"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TxnLogOptions(0, 4096, true));
    assertEquals(64L * 1024 * 1024, TxnLogOptions.defaults().preallocBytes());
    assertTrue(TxnLogOptions.defaults().forceSync());
  }

  @Test
  void nonIncreasingZxidIsRejectedNamingBothZxids() throws IOException {
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      log.append(simple(0x20));
      IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
          () -> log.append(simple(0x20)));
      assertTrue(same.getMessage().contains("0x20"), same.getMessage());
      IllegalArgumentException lower = assertThrows(IllegalArgumentException.class,
          () -> log.append(simple(0x1f)));
      assertTrue(lower.getMessage().contains("0x1f") && lower.getMessage().contains("0x20"),
          lower.getMessage());
      log.append(simple(0x21));
    }
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      assertThrows(IllegalArgumentException.class, () -> log.append(simple(0x21)));
      assertEquals(List.of(simple(0x20), simple(0x21)), readAll(log, 0));
    }
  }

  // ---- preallocation -------------------------------------------------------------------------

  @Test
  void segmentsArePreallocatedAndDoNotGrowPerAppend() throws IOException {
    TxnLogOptions options = new TxnLogOptions(64 * 1024, 1 << 20, true);
    try (TxnLog log = TxnLog.open(dir, options)) {
      log.append(simple(1));
      log.flush();
      Path seg = log.segments().get(0);
      assertEquals(64 * 1024, Files.size(seg));
      for (long z = 2; z <= 200; z++) {
        log.append(simple(z));
        log.flush();
        assertEquals(64 * 1024, Files.size(seg), "size after appending zxid " + z);
      }
      // The unused preallocated space is zeros.
      long end = offsets(readAll(log, 0))[200];
      byte[] content = Files.readAllBytes(seg);
      for (int k = (int) end; k < content.length; k++) {
        assertEquals(0, content[k], "byte " + k + " after the data");
      }
      assertEquals('R', content[0]);
      assertEquals(1, ByteBuffer.wrap(content, 4, 4).getInt(), "format version");
      assertEquals(1, ByteBuffer.wrap(content, 8, 8).getLong(), "base zxid");
    }
  }

  @Test
  void aFullSegmentGrowsInPreallocationSteps() throws IOException {
    TxnLogOptions options = new TxnLogOptions(1024, 1 << 20, true);
    try (TxnLog log = TxnLog.open(dir, options)) {
      for (long z = 1; z <= 100; z++) {
        log.append(simple(z));
        log.flush();
        long size = Files.size(log.segments().get(0));
        assertEquals(0, size % 1024, "size " + size + " is not a whole number of steps");
      }
      assertTrue(Files.size(log.segments().get(0)) > 1024);
    }
    try (TxnLog log = TxnLog.open(dir, options)) {
      assertEquals(100, readAll(log, 0).size());
    }
  }

  // ---- recovery ------------------------------------------------------------------------------

  @Test
  void tornTailFromATruncatedFileIsCutAndAppendingContinues() throws IOException {
    List<Transaction> txns = history(4, 30, 1);
    write(ONE_SEGMENT, txns).close();
    Path seg = dir.resolve(LogFormat.fileName(1));
    long[] at = offsets(txns);
    long lastRecord = at[29];
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(lastRecord + 10); // the crash cut the last record mid-way
    }
    Transaction next = simple(txns.get(28).zxid() + 1);
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      assertEquals(txns.subList(0, 29), readAll(log, 0));
      assertEquals(txns.get(28).zxid(), log.lastZxid());
      String report = log.recoveryReport();
      assertTrue(report.contains("truncated") && report.contains("offset " + lastRecord),
          report);
      log.append(next);
      log.flush();
    }
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      List<Transaction> expected = new ArrayList<>(txns.subList(0, 29));
      expected.add(next);
      assertEquals(expected, readAll(log, 0));
      assertTrue(log.recoveryReport().contains("no repair needed"), log.recoveryReport());
    }
  }

  @Test
  void tornTailInsidePreallocatedSpaceIsCut() throws IOException {
    List<Transaction> txns = history(5, 30, 1);
    write(ONE_SEGMENT, txns).close();
    Path seg = dir.resolve(LogFormat.fileName(1));
    long[] at = offsets(txns);
    zero(seg, at[29] + 20, at[30]); // the last write reached the disk only in part
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      assertEquals(txns.subList(0, 29), readAll(log, 0));
      assertEquals(64 * 1024, Files.size(seg), "the preallocated size is kept");
      assertTrue(log.recoveryReport().contains("offset " + at[29]), log.recoveryReport());
    }
    byte[] content = Files.readAllBytes(seg);
    for (long k = at[29]; k < content.length; k++) {
      assertEquals(0, content[(int) k], "the torn record is zeroed at byte " + k);
    }
  }

  @Test
  void flippedByteInTheLastRecordTruncatesAtThatRecord() throws IOException {
    List<Transaction> txns = history(6, 30, 1);
    write(ONE_SEGMENT, txns).close();
    Path seg = dir.resolve(LogFormat.fileName(1));
    long[] at = offsets(txns);
    flip(seg, at[29] + 20); // inside the payload of the last record
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      assertEquals(txns.subList(0, 29), readAll(log, 0));
      assertTrue(log.recoveryReport().contains("CRC mismatch"), log.recoveryReport());
      assertTrue(log.recoveryReport().contains("offset " + at[29]), log.recoveryReport());
    }
  }

  @Test
  void flippedLengthOfTheLastRecordIsATornTail() throws IOException {
    List<Transaction> txns = history(7, 10, 1);
    write(ONE_SEGMENT, txns).close();
    Path seg = dir.resolve(LogFormat.fileName(1));
    long[] at = offsets(txns);
    flip(seg, at[9]); // the high byte of the length: an impossible length
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      assertEquals(txns.subList(0, 9), readAll(log, 0));
    }
  }

  @Test
  void flippedByteInAMiddleRecordStopsStartUp() throws IOException {
    List<Transaction> txns = history(8, 30, 1);
    write(ONE_SEGMENT, txns).close();
    Path seg = dir.resolve(LogFormat.fileName(1));
    long[] at = offsets(txns);
    flip(seg, at[12] + 20);
    LogCorruptedException e = assertThrows(LogCorruptedException.class,
        () -> TxnLog.open(dir, ONE_SEGMENT));
    assertEquals(seg, e.file());
    assertEquals(at[12], e.offset());
    assertTrue(e.getMessage().contains(seg.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("offset " + at[12]), e.getMessage());
    assertTrue(e.getMessage().contains("before its tail"), e.getMessage());
    assertTrue(e.getMessage().contains("start-up stops"), e.getMessage());
    // Nothing was repaired: the damaged record and its successors are still on disk.
    flip(seg, at[12] + 20);
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      assertEquals(txns, readAll(log, 0));
    }
  }

  @Test
  void zeroedLengthInAMiddleRecordStopsStartUp() throws IOException {
    List<Transaction> txns = history(9, 30, 1);
    write(ONE_SEGMENT, txns).close();
    Path seg = dir.resolve(LogFormat.fileName(1));
    long[] at = offsets(txns);
    zero(seg, at[5], at[5] + 4); // looks like the end of the data, but records follow
    LogCorruptedException e = assertThrows(LogCorruptedException.class,
        () -> TxnLog.open(dir, ONE_SEGMENT));
    assertEquals(at[5], e.offset());
  }

  @Test
  void strayBytesAfterTheEndOfTheDataAreCleared() throws IOException {
    List<Transaction> txns = history(10, 10, 1);
    write(ONE_SEGMENT, txns).close();
    Path seg = dir.resolve(LogFormat.fileName(1));
    long end = offsets(txns)[10];
    put(seg, end + 100, "garbage".getBytes(StandardCharsets.US_ASCII));
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      assertEquals(txns, readAll(log, 0));
      assertTrue(log.recoveryReport().contains("offset " + end), log.recoveryReport());
      log.append(simple(txns.get(9).zxid() + 1));
    }
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      assertEquals(11, readAll(log, 0).size());
      assertTrue(log.recoveryReport().contains("no repair needed"), log.recoveryReport());
    }
  }

  @Test
  void damageInAnOlderSegmentStopsStartUp() throws IOException {
    List<Transaction> txns = history(11, 300, 1);
    write(SMALL, txns).close();
    List<Path> segs = LogRecovery.listSegments(dir);
    assertTrue(segs.size() > 3);
    Path victim = segs.get(1);
    List<Long> offsets = scannedOffsets(victim);
    long lastInVictim = offsets.get(offsets.size() - 1); // its last record: no sound one follows
    flip(victim, lastInVictim + 18);
    LogCorruptedException e = assertThrows(LogCorruptedException.class,
        () -> TxnLog.open(dir, SMALL));
    assertEquals(victim, e.file());
    assertEquals(lastInVictim, e.offset());
    assertTrue(e.getMessage().contains(victim.toString()), e.getMessage());
  }

  @Test
  void truncatedOlderSegmentStopsStartUp() throws IOException {
    write(SMALL, history(12, 300, 1)).close();
    List<Path> segs = LogRecovery.listSegments(dir);
    Path victim = segs.get(0);
    List<Long> offsets = scannedOffsets(victim);
    long cut = offsets.get(offsets.size() - 1) + 5;
    try (FileChannel ch = FileChannel.open(victim, StandardOpenOption.WRITE)) {
      ch.truncate(cut);
    }
    LogCorruptedException e = assertThrows(LogCorruptedException.class,
        () -> TxnLog.open(dir, SMALL));
    assertEquals(victim, e.file());
    assertEquals(offsets.get(offsets.size() - 1).longValue(), e.offset());
  }

  @Test
  void anEmptyNewestSegmentAndLeftoverTempFilesAreRemoved() throws IOException {
    List<Transaction> txns = history(13, 20, 1);
    write(ONE_SEGMENT, txns).close();
    long next = txns.get(19).zxid() + 1;
    // A crash right after the next segment was created, before its first record reached disk.
    try (SegmentFile s = SegmentFile.create(dir, next, 4096, true)) {
      assertTrue(s.isEmpty());
    }
    Files.write(dir.resolve(LogFormat.fileName(next + 5) + LogFormat.TEMP_SUFFIX), new byte[10]);
    Files.write(dir.resolve("snapshot.0000000000000001"), new byte[] {1, 2, 3}); // not ours
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      assertEquals(1, log.segments().size(), log.segments().toString());
      assertEquals(txns, readAll(log, 0));
      assertTrue(log.recoveryReport().contains("removed"), log.recoveryReport());
      log.append(simple(next));
    }
    assertTrue(Files.exists(dir.resolve("snapshot.0000000000000001")));
    assertFalse(Files.exists(dir.resolve(LogFormat.fileName(next + 5) + LogFormat.TEMP_SUFFIX)));
    try (TxnLog log = TxnLog.open(dir, ONE_SEGMENT)) {
      assertEquals(21, readAll(log, 0).size());
    }
  }

  @Test
  void headerThatDisagreesWithTheFileNameStopsStartUp() throws IOException {
    write(ONE_SEGMENT, history(14, 5, 1)).close();
    Path seg = dir.resolve(LogFormat.fileName(1));
    flip(seg, 15); // low byte of the base zxid in the header
    LogCorruptedException e = assertThrows(LogCorruptedException.class,
        () -> TxnLog.open(dir, ONE_SEGMENT));
    assertEquals(8, e.offset());
  }

  // ---- truncation and purging ----------------------------------------------------------------

  @Test
  void truncateAfterRemovesTheTailAndNewHistoryFollows() throws IOException {
    List<Transaction> txns = history(15, 400, 1);
    long keep = txns.get(249).zxid();
    List<Transaction> fresh = new ArrayList<>();
    for (int k = 1; k <= 50; k++) {
      fresh.add(new Transaction(9, k, Transaction.zxid(40, k), 5, new TxnOp.Delete("/f" + k)));
    }
    try (TxnLog log = write(SMALL, txns)) {
      int before = log.segments().size();
      log.truncateAfter(keep);
      assertEquals(keep, log.lastZxid());
      assertTrue(log.segments().size() < before);
      for (Path seg : log.segments()) {
        assertTrue(LogFormat.baseZxidOf(seg).getAsLong() <= keep, seg.toString());
      }
      assertEquals(txns.subList(0, 250), readAll(log, 0));
      assertThrows(IllegalArgumentException.class, () -> log.append(simple(keep)));
      for (Transaction t : fresh) {
        log.append(t);
      }
      log.flush();
    }
    List<Transaction> expected = new ArrayList<>(txns.subList(0, 250));
    expected.addAll(fresh);
    try (TxnLog log = TxnLog.open(dir, SMALL)) {
      assertTrue(log.recoveryReport().contains("no repair needed"), log.recoveryReport());
      assertEquals(expected, readAll(log, 0));
      assertEquals(after(expected, keep), readAll(log, keep));
    }
  }

  @Test
  void truncateAfterAtASegmentBoundaryAndBeforeEverything() throws IOException {
    List<Transaction> txns = history(16, 300, 1);
    try (TxnLog log = write(SMALL, txns)) {
      long secondBase = LogFormat.baseZxidOf(log.segments().get(2)).getAsLong();
      int idx = 0;
      while (txns.get(idx + 1).zxid() < secondBase) {
        idx++;
      }
      log.truncateAfter(txns.get(idx).zxid()); // the last record of the second segment
      assertEquals(2, log.segments().size());
      assertEquals(txns.subList(0, idx + 1), readAll(log, 0));
      log.truncateAfter(txns.get(idx).zxid() + 1000); // beyond the end: nothing changes
      assertEquals(txns.subList(0, idx + 1), readAll(log, 0));
      log.truncateAfter(0);
      assertEquals(0, log.lastZxid());
      assertTrue(log.segments().isEmpty());
      log.append(simple(1));
    }
    try (TxnLog log = TxnLog.open(dir, SMALL)) {
      assertEquals(List.of(simple(1)), readAll(log, 0));
    }
  }

  @Test
  void truncateAfterInsideOneSegmentKeepsItsPreallocation() throws IOException {
    List<Transaction> txns = history(17, 40, 1);
    try (TxnLog log = write(ONE_SEGMENT, txns)) {
      log.truncateAfter(txns.get(9).zxid());
      Path seg = log.segments().get(0);
      assertEquals(64 * 1024, Files.size(seg));
      byte[] content = Files.readAllBytes(seg);
      for (long k = offsets(txns)[10]; k < content.length; k++) {
        assertEquals(0, content[(int) k], "byte " + k + " after the cut");
      }
    }
  }

  @Test
  void purgeBeforeKeepsEverythingAfterTheZxid() throws IOException {
    List<Transaction> txns = history(18, 500, 1);
    try (TxnLog log = write(SMALL, txns)) {
      int total = log.segments().size();
      assertEquals(List.of(), log.purgeBefore(0));
      long snapZxid = txns.get(220).zxid();
      List<Path> removed = log.purgeBefore(snapZxid);
      assertFalse(removed.isEmpty());
      for (Path p : removed) {
        assertFalse(Files.exists(p));
      }
      assertEquals(total - removed.size(), log.segments().size());
      assertTrue(log.firstZxid() <= snapZxid + 1, "first zxid 0x"
          + Long.toHexString(log.firstZxid()));
      assertEquals(after(txns, snapZxid), readAll(log, snapZxid));
      // The segment holding snapZxid + 1 must stay, so nothing may go beyond what was needed:
      // the oldest segment left starts at or before the next record after the snapshot.
      assertTrue(LogFormat.baseZxidOf(log.segments().get(0)).getAsLong()
          <= txns.get(221).zxid());
      // Purging everything keeps the newest segment, which the log appends to.
      log.purgeBefore(Long.MAX_VALUE - 1);
      assertEquals(1, log.segments().size());
      long last = txns.get(499).zxid();
      log.append(simple(last + 1));
      log.flush();
    }
    try (TxnLog log = TxnLog.open(dir, SMALL)) {
      List<Transaction> all = readAll(log, 0);
      assertEquals(simple(txns.get(499).zxid() + 1), all.get(all.size() - 1));
    }
  }

  @Test
  void purgeBeforeAtEverySegmentBoundary() throws IOException {
    List<Transaction> txns = history(19, 300, 1);
    for (int k = 0; k < txns.size(); k += 7) {
      Path sub = dir.resolve("p" + k);
      try (TxnLog log = TxnLog.open(sub, SMALL)) {
        for (Transaction t : txns) {
          log.append(t);
        }
        long z = txns.get(k).zxid();
        log.purgeBefore(z);
        assertEquals(after(txns, z), readAll(log, z), "purge before 0x" + Long.toHexString(z));
        // and exactly the segments before the one holding z + 1 are gone
        List<Path> segs = log.segments();
        if (segs.size() > 1) {
          assertTrue(LogFormat.baseZxidOf(segs.get(1)).getAsLong() > z + 1);
        }
      }
    }
  }

  // ---- dump ----------------------------------------------------------------------------------

  @Test
  void dumpPrintsOneLinePerRecord() throws IOException {
    List<Transaction> txns = history(20, 25, Transaction.zxid(2, 1));
    write(ONE_SEGMENT, txns).close();
    Path seg = dir.resolve(LogFormat.fileName(txns.get(0).zxid()));
    String out = dump(seg);
    List<String> recordLines = out.lines().filter(l -> l.startsWith("offset ")).toList();
    assertEquals(25, recordLines.size(), out);
    long[] at = offsets(txns);
    for (int k = 0; k < 25; k++) {
      String line = recordLines.get(k);
      Transaction t = txns.get(k);
      assertTrue(line.startsWith("offset " + at[k] + ": zxid 0x" + Long.toHexString(t.zxid())),
          line);
      assertTrue(line.contains("session 0x" + Long.toHexString(t.sessionId())), line);
      assertTrue(line.contains("cxid " + t.cxid()), line);
      String opName = t.op().getClass().getSimpleName();
      assertTrue(line.contains(opName), line + " should name " + opName);
    }
    assertTrue(recordLines.get(0).contains("(epoch 2, counter 1)"), recordLines.get(0));
    assertTrue(recordLines.get(0).contains("time 2023-11-14T22:13:20Z"), recordLines.get(0));
    assertTrue(out.contains("header: Roost transaction log segment, format 1"), out);
    assertTrue(out.contains("end of data at offset " + at[25] + ": 25 records"), out);
    assertFalse(out.contains("DAMAGE") || out.contains("TORN"), out);
  }

  @Test
  void dumpReportsTornTailsAndDamageInsteadOfThrowing() throws IOException {
    List<Transaction> txns = history(21, 20, 1);
    write(ONE_SEGMENT, txns).close();
    Path seg = dir.resolve(LogFormat.fileName(1));
    long[] at = offsets(txns);
    flip(seg, at[19] + 20);
    String torn = dump(seg);
    assertTrue(torn.contains("TORN TAIL at offset " + at[19]), torn);
    assertEquals(19, torn.lines().filter(l -> l.startsWith("offset ")).count());
    flip(seg, at[19] + 20);
    flip(seg, at[3] + 20);
    String damaged = dump(seg);
    assertTrue(damaged.contains("DAMAGE at offset " + at[3]), damaged);
    assertTrue(damaged.contains("a sound record follows at offset " + at[4]), damaged);
    Path junk = dir.resolve("junk");
    Files.write(junk, "not a log".getBytes(StandardCharsets.US_ASCII));
    assertTrue(dump(junk).contains("DAMAGED HEADER"));
  }
}

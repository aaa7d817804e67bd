package io.roost.server.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.roost.core.state.StateMachine;
import io.roost.core.storage.SnapshotStore;
import io.roost.core.storage.TxnLog;
import io.roost.core.storage.TxnLogOptions;
import io.roost.core.tree.ChangeSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Crash recovery of a real server process ({@link ServerProcess}): acknowledged writes survive
 * SIGKILL under concurrent load and the recovered tree matches a replay of the files on disk; a
 * torn log tail is cut while everything before it survives; damage before the tail stops
 * start-up with the file and offset; sessions and ephemerals survive a short outage and expire
 * during a long one.
 *
 * <p>The kill test runs {@value #CI_ROUNDS} rounds by default and {@value #EXTENDED_ROUNDS} in
 * the extended profile ({@code -Pextended}) or when the system property
 * {@code roost.crash.rounds} is set (to a number of rounds, or to anything else for
 * {@value #EXTENDED_ROUNDS}). {@code roost.crash.seed} fixes the seed of the random kill moments.
 */
class CrashRecoveryTest {
  private static final int CI_ROUNDS = 3;
  private static final int EXTENDED_ROUNDS = 20;
  private static final int WRITERS = 4;
  /** Asynchronous creates each writer keeps outstanding, so group commit has batches to form. */
  private static final int WRITES_IN_FLIGHT = 16;
  private static final int WRITER_SESSION_MS = 4_000;
  /** The transaction log's record header: length, CRC32C, zxid (see docs/architecture.md). */
  private static final int RECORD_HEADER = 16;
  /** The segment header before the first record: magic, version, base zxid. */
  private static final int SEGMENT_HEADER = 16;
  private static final String CRASH_ROOT = "/crash";

  @TempDir Path work;

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private int replays;

  @AfterEach
  void closeEverything() {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        // Best effort: the process or client may be gone already.
      }
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.push(resource);
    return resource;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------------------
  // Test 1: SIGKILL under load.
  // ---------------------------------------------------------------------------------------------

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void acknowledgedWritesSurviveSigkill() throws Exception {
    String property = System.getProperty("roost.crash.rounds");
    int rounds = CI_ROUNDS;
    if (property != null) {
      rounds = EXTENDED_ROUNDS;
      try {
        rounds = Math.max(1, Integer.parseInt(property.strip()));
      } catch (NumberFormatException e) {
        // Set to something that is not a number: the extended count.
      }
    }
    crashRounds(rounds);
  }

  /** The extended profile's entry point: {@value #EXTENDED_ROUNDS} kills. */
  @Test
  @Tag("extended")
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void acknowledgedWritesSurviveTwentySigkills() throws Exception {
    crashRounds(EXTENDED_ROUNDS);
  }

  /**
   * Settings of the k-th server run (0 = the first start): every other run snapshots every 200
   * transactions, so snapshots are written while the writers go on and recovery goes snapshot plus
   * log; every third run uses small segments, so kills also land around segment rolls.
   */
  private static void configureRun(ServerProcess server, int run) {
    server.set("snapCount", run % 2 == 0 ? 200 : 100_000);
    server.set("preAllocSize", run % 3 == 1 ? 16 : 1024);
  }

  /**
   * The kill test. Each round: writers load the server, SIGKILL at a random moment; while it is
   * down, a replay of (a copy of) its files must reach every acknowledged zxid and match every
   * digest the server reported earlier at the same zxid; then a restart must serve every
   * acknowledged write and nothing no client wrote. The state the restarted server reports is
   * checked by the next replay, and the last one after a final graceful stop.
   */
  private void crashRounds(int rounds) throws Exception {
    long seed = Long.getLong("roost.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    ServerProcess server = track(new ServerProcess(work.resolve("crash")));
    server.set("minSessionTimeout", 1_000).set("maxSessionTimeout", 10_000);
    String what = "seed " + seed + " (rerun with -Droost.crash.seed=" + seed + ")";
    System.out.printf(Locale.ROOT, "crash test: %d rounds, %s, data in %s%n", rounds, what,
        server.dataDir());

    Set<String> attempted = ConcurrentHashMap.newKeySet();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicLong maxAckedZxid = new AtomicLong();
    // zxid -> what the server reported at that zxid, checked against every later replay.
    Map<Long, ServerProcess.Mntr> reported = new TreeMap<>();

    configureRun(server, 0);
    server.start().awaitReady();
    try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
      zk.create(CRASH_ROOT, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
    for (int round = 0; round < rounds; round++) {
      long roundStart = System.nanoTime();
      String context = "round " + round + " of " + rounds + ", " + what;
      RoundStats stats = writeUntilKilled(server, round, random, attempted, acked, maxAckedZxid,
          context);

      // The server is dead: the files must hold every acknowledged write, and the state an
      // earlier run reported must be what the log replays to at the same zxid.
      Replay replay = replayCopy(server, reported.keySet(), context);
      assertTrue(replay.lastZxid() >= maxAckedZxid.get(), context + ": the log ends at 0x"
          + Long.toHexString(replay.lastZxid()) + " but a client saw zxid 0x"
          + Long.toHexString(maxAckedZxid.get()) + " acknowledged" + server.outputTail());
      assertReplayMatches(replay, reported, server, context);

      configureRun(server, round + 1);
      long restartStart = System.nanoTime();
      server.start().awaitReady();
      long restartMs = (System.nanoTime() - restartStart) / 1_000_000;
      ServerProcess.Mntr now = server.mntr();
      reported.put(now.lastZxid(), now);
      assertTrue(now.lastZxid() >= maxAckedZxid.get(), context + ": the restarted server is at "
          + now + " but a client saw zxid 0x" + Long.toHexString(maxAckedZxid.get())
          + " acknowledged" + server.outputTail());
      try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
        assertAllPresent(zk, acked, context + " (" + stats + ")", server);
        assertNoPhantoms(zk, attempted, context, server);
      }
      System.out.printf(Locale.ROOT,
          "round %d: %s; replayed 0x%x (snapshot %s); restart %d ms; round %d ms%n", round,
          stats, replay.lastZxid(), replay.snapshot(), restartMs,
          (System.nanoTime() - roundStart) / 1_000_000);
    }

    // Last, a graceful stop, then the files must replay to what the server reported.
    ServerProcess.Mntr last = server.mntr();
    reported.put(last.lastZxid(), last);
    server.stop();
    Replay replay = replayCopy(server, reported.keySet(), "after the final stop, " + what);
    assertReplayMatches(replay, reported, server, "after the final stop, " + what);
    assertTrue(replay.lastZxid() >= last.lastZxid(), "the log ends before the zxid the server"
        + " reported last (" + last + ")" + server.outputTail());
    System.out.printf(Locale.ROOT, "crash test done: %d acknowledged writes, %d snapshots,"
        + " %d log segments, last %s%n", acked.size(), countFiles(server.snapshotDir(),
            "snapshot."), countFiles(server.txnLogDir(), "log."), last);
  }

  /** What one round did. */
  private record RoundStats(int acked, int attempted, long killAfterMs, int target) {
    @Override
    public String toString() {
      return acked + " of " + attempted + " writes acknowledged, kill after " + killAfterMs
          + " ms (target " + target + " acks)";
    }
  }

  /**
   * Starts {@value #WRITERS} writers on their own clients, kills the server with SIGKILL at a
   * random moment while they write, then stops them and closes their clients. Returns with the
   * server dead and no client left that could reach the next run.
   */
  private RoundStats writeUntilKilled(ServerProcess server, int round, Random random,
      Set<String> attempted, Set<String> acked, AtomicLong maxAckedZxid, String context)
      throws Exception {
    List<ZooKeeper> clients = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      clients.add(track(ZkClients.connect(server.connectString(), WRITER_SESSION_MS, null)));
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger ackedThisRound = new AtomicInteger();
    AtomicInteger attemptedThisRound = new AtomicInteger();
    // One parent per writer and round keeps every getChildren answer small.
    List<String> parents = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      String parent = String.format(Locale.ROOT, "%s/r%02d-w%d", CRASH_ROOT, round, w);
      attempted.add(parent);
      clients.get(w).create(parent, bytes(parent), ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
      acked.add(parent);
      parents.add(parent);
    }
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        ZooKeeper zk = clients.get(w);
        String prefix = parents.get(w) + "/";
        writers.add(pool.submit(() -> {
          write(zk, prefix, stop, attempted, acked, ackedThisRound, attemptedThisRound,
              maxAckedZxid);
          return null;
        }));
      }
      long delayMs = 100 + random.nextInt(501);
      int target = 1 + random.nextInt(100);
      long started = System.nanoTime();
      try {
        await().atMost(Duration.ofSeconds(30))
            .pollDelay(Duration.ofMillis(delayMs))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> (System.nanoTime() - started) / 1_000_000 >= delayMs
                && ackedThisRound.get() >= target);
      } catch (ConditionTimeoutException e) {
        fail(context + ": only " + ackedThisRound.get() + " of " + attemptedThisRound.get()
            + " writes were acknowledged within 30 s (wanted " + target + ")"
            + server.outputTail(), e);
      }
      long killAfterMs = (System.nanoTime() - started) / 1_000_000;
      server.kill9();
      stop.set(true);
      for (Future<?> f : writers) {
        f.get(30, TimeUnit.SECONDS);
      }
      // Close in parallel: each close waits for its client to find the server gone.
      List<Future<?>> closes = new ArrayList<>();
      for (ZooKeeper zk : clients) {
        closes.add(pool.submit(() -> {
          zk.close(5_000);
          return null;
        }));
      }
      for (Future<?> f : closes) {
        f.get(60, TimeUnit.SECONDS);
      }
      return new RoundStats(ackedThisRound.get(), attemptedThisRound.get(), killAfterMs, target);
    } finally {
      stop.set(true);
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "writer threads did not stop");
    }
  }

  /**
   * One writer: creates {@code prefix<seq>} with the path as data, keeping up to
   * {@value #WRITES_IN_FLIGHT} creates outstanding, until {@code stop}. A create counts as
   * acknowledged when its callback reports success.
   */
  private static void write(ZooKeeper zk, String prefix, AtomicBoolean stop, Set<String> attempted,
      Set<String> acked, AtomicInteger ackedCount, AtomicInteger attemptedCount,
      AtomicLong maxAckedZxid) throws InterruptedException {
    Semaphore inFlight = new Semaphore(WRITES_IN_FLIGHT);
    int seq = 0;
    while (!stop.get()) {
      if (!inFlight.tryAcquire(20, TimeUnit.MILLISECONDS)) {
        continue;
      }
      String path = String.format(Locale.ROOT, "%s%06d", prefix, seq++);
      attempted.add(path);
      attemptedCount.incrementAndGet();
      zk.create(path, bytes(path), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
          (rc, p, ctx, name, stat) -> {
            inFlight.release();
            if (rc == KeeperException.Code.OK.intValue()) {
              acked.add(p);
              ackedCount.incrementAndGet();
              maxAckedZxid.accumulateAndGet(stat.getCzxid(), Math::max);
            }
          }, null);
    }
  }

  /** Every path in {@code paths} exists and holds its own path as data. */
  private static void assertAllPresent(ZooKeeper zk, Collection<String> paths, String context,
      ServerProcess server) throws InterruptedException {
    List<String> expected = new ArrayList<>(paths);
    Semaphore window = new Semaphore(256);
    CountDownLatch done = new CountDownLatch(expected.size());
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    for (String path : expected) {
      if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
        fail(context + ": reads of acknowledged writes stopped answering" + server.outputTail());
      }
      zk.getData(path, false, (rc, p, ctx, data, stat) -> {
        try {
          if (rc != KeeperException.Code.OK.intValue()) {
            problems.add(p + ": " + KeeperException.Code.get(rc));
          } else if (!Arrays.equals(bytes(p), data)) {
            problems.add(p + ": data is '"
                + (data == null ? "null" : new String(data, StandardCharsets.UTF_8)) + "'");
          }
        } finally {
          window.release();
          done.countDown();
        }
      }, null);
    }
    assertTrue(done.await(60, TimeUnit.SECONDS), context + ": reads did not complete");
    if (!problems.isEmpty()) {
      List<String> sample = problems.stream().sorted().limit(20).toList();
      fail(context + ": " + problems.size() + " of " + expected.size()
          + " acknowledged writes are missing or wrong after the restart, e.g. " + sample
          + server.outputTail());
    }
  }

  /** Nothing exists under the crash root (two levels) that no writer ever tried to create. */
  private static void assertNoPhantoms(ZooKeeper zk, Set<String> attempted, String context,
      ServerProcess server) throws KeeperException, InterruptedException {
    List<String> phantoms = new ArrayList<>();
    for (String child : zk.getChildren(CRASH_ROOT, false)) {
      String parent = CRASH_ROOT + "/" + child;
      if (!attempted.contains(parent)) {
        phantoms.add(parent);
        continue;
      }
      for (String grandChild : zk.getChildren(parent, false)) {
        if (!attempted.contains(parent + "/" + grandChild)) {
          phantoms.add(parent + "/" + grandChild);
        }
      }
    }
    assertTrue(phantoms.isEmpty(), context + ": " + phantoms.size()
        + " nodes exist that no client tried to create, e.g. "
        + phantoms.stream().limit(20).toList() + server.outputTail());
  }

  // ---------------------------------------------------------------------------------------------
  // Replaying the files with the core classes.
  // ---------------------------------------------------------------------------------------------

  /**
   * The result of replaying a copy of the data dir.
   *
   * @param lastZxid the last zxid of the whole log
   * @param digest the digest after the whole log
   * @param atZxid what the full replay saw right after each zxid of interest: {digest, nodes}
   * @param snapshot the newest valid snapshot used for the second replay, or "none"
   */
  private record Replay(long lastZxid, long digest, Map<Long, long[]> atZxid, String snapshot) {}

  /**
   * Replays a copy of the server's log from its first record, noting the digest at each zxid in
   * {@code zxids}; then recovers the copy as the server does (newest valid snapshot, then the log
   * after it) and checks both end in the same state. Works on a copy, so repairs of a torn tail
   * are left for the server to make. Call only while the server is down.
   */
  private Replay replayCopy(ServerProcess server, Set<Long> zxids, String context)
      throws IOException {
    Path copy = work.resolve("replay-" + replays++);
    copyFiles(server.txnLogDir(), copy.resolve("txnlog"));
    copyFiles(server.snapshotDir(), copy.resolve("snapshots"));
    TxnLogOptions options = TxnLogOptions.defaults()
        .withPreallocBytes(1024 * 1024).withSegmentBytes(1024 * 1024);

    StateMachine full = new StateMachine();
    Map<Long, long[]> atZxid = new HashMap<>();
    try (TxnLog log = TxnLog.open(copy.resolve("txnlog"), options)) {
      log.read(0, txn -> {
        full.apply(txn, ChangeSink.NONE);
        if (zxids.contains(txn.zxid())) {
          atZxid.put(txn.zxid(), new long[] {full.digest(), full.tree().nodeCount()});
        }
      });
    }

    Optional<SnapshotStore.LoadedSnapshot> snap =
        SnapshotStore.open(copy.resolve("snapshots")).loadNewestValid();
    StateMachine recovered = snap.map(s -> StateMachine.fromImage(s.image()))
        .orElseGet(StateMachine::new);
    try (TxnLog log = TxnLog.open(copy.resolve("txnlog"), options)) {
      log.read(recovered.lastZxid(), txn -> recovered.apply(txn, ChangeSink.NONE));
    }
    String snapName = snap.map(s -> s.file().getFileName().toString()).orElse("none");
    assertEquals(full.lastZxid(), recovered.lastZxid(), context + ": snapshot " + snapName
        + " plus the log after it ends at another zxid than the whole log");
    assertEquals(full.digest(), recovered.digest(), context + ": snapshot " + snapName
        + " plus the log after it gives digest 0x" + Long.toHexString(recovered.digest())
        + " but the whole log gives 0x" + Long.toHexString(full.digest()) + " at zxid 0x"
        + Long.toHexString(full.lastZxid()));
    return new Replay(full.lastZxid(), full.digest(), atZxid, snapName);
  }

  /** Each state the server reported is the state the replay reached at the same zxid. */
  private static void assertReplayMatches(Replay replay, Map<Long, ServerProcess.Mntr> reported,
      ServerProcess server, String context) {
    for (ServerProcess.Mntr m : reported.values()) {
      long[] seen = replay.atZxid().get(m.lastZxid());
      assertNotNull(seen, context + ": the server reported " + m + " but the log (ending at 0x"
          + Long.toHexString(replay.lastZxid()) + ") has no record with that zxid"
          + server.outputTail());
      assertEquals(m.digest(), seen[0], context + ": the server reported " + m
          + " but replaying the log to that zxid gives digest 0x" + Long.toHexString(seen[0])
          + server.outputTail());
      assertEquals(m.znodeCount(), seen[1], context + ": the server reported " + m
          + " but replaying the log to that zxid gives " + seen[1] + " znodes");
    }
  }

  private static void copyFiles(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  private static long countFiles(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Tests 2 and 3: damaged log files.
  // ---------------------------------------------------------------------------------------------

  /** One record's place in a segment file. */
  private record LogRecord(long offset, int payloadLength, long zxid) {
    long payloadStart() {
      return offset + RECORD_HEADER;
    }
  }

  /** The newest log segment (names carry the first zxid in fixed-width hex). */
  private static Path newestSegment(Path txnLogDir) throws IOException {
    try (Stream<Path> files = Files.list(txnLogDir)) {
      return files.filter(f -> f.getFileName().toString().matches("log\\.[0-9a-f]{16}"))
          .max(Path::compareTo)
          .orElseThrow(() -> new AssertionError("no log segment in " + txnLogDir));
    }
  }

  /**
   * The records of a segment, read with the layout of docs/architecture.md (header, then
   * length, CRC, zxid, payload, back to back; a zero length ends the data). CRCs are not checked.
   */
  private static List<LogRecord> records(Path segment) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
    List<LogRecord> out = new ArrayList<>();
    int pos = SEGMENT_HEADER;
    while (pos + RECORD_HEADER <= b.limit()) {
      int len = b.getInt(pos);
      if (len <= 0 || pos + RECORD_HEADER + (long) len > b.limit()) {
        break;
      }
      out.add(new LogRecord(pos, len, b.getLong(pos + 8)));
      pos += RECORD_HEADER + len;
    }
    return out;
  }

  /** Inverts every bit of one byte of a file. */
  private static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      assertEquals(1, ch.read(one, offset));
      one.put(0, (byte) ~one.get(0)).rewind();
      assertEquals(1, ch.write(one, offset));
      ch.force(true);
    }
  }

  /** Creates {@code count} persistent nodes {@code prefix<i>} (data: the path), one at a time. */
  private static List<Long> createNodes(ZooKeeper zk, String prefix, int count)
      throws KeeperException, InterruptedException {
    List<Long> czxids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String path = prefix + i;
      Stat stat = new Stat();
      zk.create(path, bytes(path), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stat);
      czxids.add(stat.getCzxid());
    }
    return czxids;
  }

  /** How the last record of the log is damaged. */
  enum TailDamage {
    /** The file ends in the middle of the last record's payload. */
    CUT_MID_RECORD,
    /** One byte of the last record's payload is wrong, so its CRC fails. */
    FLIP_BYTE_IN_LAST_RECORD
  }

  @ParameterizedTest
  @EnumSource(TailDamage.class)
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void tornTailIsTruncatedAndEarlierWritesSurvive(TailDamage damage) throws Exception {
    ServerProcess server = track(new ServerProcess(work.resolve("torn")));
    server.start().awaitReady();
    int count = 20;
    ZooKeeper writer = track(ZkClients.connect(server.connectString()));
    List<Long> czxids = createNodes(writer, "/torn-", count);
    // Killed with the client still connected, so the last record is the last create.
    server.kill9();
    writer.close(5_000);

    Path segment = newestSegment(server.txnLogDir());
    List<LogRecord> recs = records(segment);
    LogRecord last = recs.get(recs.size() - 1);
    assertEquals(czxids.get(count - 1), last.zxid(), "the last record of " + segment
        + " should be the last create");
    switch (damage) {
      case CUT_MID_RECORD -> {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
          ch.truncate(last.payloadStart() + last.payloadLength() / 2);
        }
      }
      case FLIP_BYTE_IN_LAST_RECORD ->
          flipByte(segment, last.payloadStart() + last.payloadLength() / 2);
      default -> throw new AssertionError(damage);
    }

    server.start().awaitReady();
    String output = server.outputOfLatestRun();
    assertTrue(output.toLowerCase(Locale.ROOT).contains("truncat")
        && output.contains(segment.getFileName().toString()),
        "the server should report that it truncated the torn tail of " + segment.getFileName()
            + server.outputTail());
    ZooKeeper reader = track(ZkClients.connect(server.connectString()));
    for (int i = 0; i < count - 1; i++) {
      assertArrayEquals(bytes("/torn-" + i), reader.getData("/torn-" + i, false, null),
          "write " + i + " was before the damaged record and must survive");
    }
    assertNull(reader.exists("/torn-" + (count - 1), false),
        "the damaged last record cannot have been applied");

    // The repaired log takes new records after the cut, and they survive too.
    Stat after = new Stat();
    reader.create("/torn-after", bytes("/torn-after"), ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT, after);
    assertTrue(after.getCzxid() > czxids.get(count - 2));
    reader.close();
    ServerProcess.Mntr reported = server.mntr();
    server.stop();
    Replay replay = replayCopy(server, Set.of(reported.lastZxid()), "after the torn tail");
    assertReplayMatches(replay, Map.of(reported.lastZxid(), reported), server,
        "after the torn tail");

    server.start().awaitReady();
    assertFalse(server.outputOfLatestRun().toLowerCase(Locale.ROOT).contains("truncat"),
        "nothing to repair after a graceful stop" + server.outputTail());
    try (ZooKeeper again = ZkClients.connect(server.connectString())) {
      assertArrayEquals(bytes("/torn-after"), again.getData("/torn-after", false, null));
      assertArrayEquals(bytes("/torn-0"), again.getData("/torn-0", false, null));
      assertArrayEquals(bytes("/torn-" + (count - 2)),
          again.getData("/torn-" + (count - 2), false, null));
    }
    server.stop();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void damageBeforeTheTailStopsStartUp() throws Exception {
    ServerProcess server = track(new ServerProcess(work.resolve("damaged")));
    server.start().awaitReady();
    ZooKeeper writer = track(ZkClients.connect(server.connectString()));
    createNodes(writer, "/kept-", 40);
    server.stop();
    writer.close(5_000);

    Path segment = newestSegment(server.txnLogDir());
    List<LogRecord> recs = records(segment);
    assertTrue(recs.size() >= 40, "expected the 40 creates in " + segment + ", found "
        + recs.size() + " records");
    LogRecord victim = recs.get(recs.size() / 2);
    flipByte(segment, victim.payloadStart() + victim.payloadLength() / 2);
    byte[] damaged = Files.readAllBytes(segment);

    server.start();
    int status = server.awaitExit(ServerProcess.EXIT_TIMEOUT);
    String output = server.outputOfLatestRun();
    assertNotEquals(0, status, "start-up must fail on damage before the tail"
        + server.outputTail());
    assertTrue(output.contains(segment.getFileName().toString()),
        "the message should name the damaged file " + segment.getFileName()
            + server.outputTail());
    assertTrue(output.contains("offset " + victim.offset()),
        "the message should name the offset of the damaged record, " + victim.offset()
            + server.outputTail());
    assertArrayEquals(damaged, Files.readAllBytes(segment),
        "the server must not change a log it refuses to recover from");
  }

  // ---------------------------------------------------------------------------------------------
  // Test 4: sessions and ephemerals across restarts.
  // ---------------------------------------------------------------------------------------------

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void sessionsAndEphemeralsAcrossRestarts() throws Exception {
    ServerProcess server = track(new ServerProcess(work.resolve("sessions")))
        .set("tickTime", 200)
        .set("minSessionTimeout", 1_000)
        .set("maxSessionTimeout", 10_000);
    server.start().awaitReady();

    // A short outage (kill -9, restart at once): A's session and ephemeral survive.
    BlockingQueue<WatchedEvent> eventsA = ZkClients.events();
    ZooKeeper a = track(ZkClients.connect(server.connectString(), 10_000, eventsA));
    assertEquals(10_000, a.getSessionTimeout());
    long sessionA = a.getSessionId();
    a.create("/eph-a", bytes("a"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    int mark = eventsA.size();
    server.kill9();
    awaitState(eventsA, mark, KeeperState.Disconnected, "A notices the crash", server);
    server.start().awaitReady();
    awaitState(eventsA, mark, KeeperState.SyncConnected, "A reconnects after the crash", server);
    assertNoState(eventsA, KeeperState.Expired, "A's session must survive a short outage");
    assertEquals(sessionA, a.getSessionId());
    Stat ephA = a.exists("/eph-a", false);
    assertNotNull(ephA, "A's ephemeral survives a restart shorter than its timeout"
        + server.outputTail());
    assertEquals(sessionA, ephA.getEphemeralOwner());

    // A longer outage than B's timeout (but not A's): B's session and ephemeral are gone.
    BlockingQueue<WatchedEvent> eventsB = ZkClients.events();
    ZooKeeper b = track(ZkClients.connect(server.connectString(), 1_000, eventsB));
    assertEquals(1_000, b.getSessionTimeout());
    b.create("/eph-b", bytes("b"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    mark = eventsA.size();
    server.stop();
    long stoppedAt = System.nanoTime();
    await().pollDelay(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(50))
        .atMost(Duration.ofSeconds(10))
        .until(() -> System.nanoTime() - stoppedAt > TimeUnit.MILLISECONDS.toNanos(2_500));
    server.start().awaitReady();

    ZooKeeper observer = track(ZkClients.connect(server.connectString(), 10_000, null));
    try {
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
          .until(() -> observer.exists("/eph-b", false) == null);
    } catch (ConditionTimeoutException e) {
      fail("B's ephemeral should go once the restarted server expires B's session, which timed"
          + " out while the server was down" + server.outputTail(), e);
    }
    awaitState(eventsB, 0, KeeperState.Expired, "B learns its session expired", server);
    awaitState(eventsA, mark, KeeperState.SyncConnected, "A reconnects after the stop", server);
    assertNoState(eventsA, KeeperState.Expired, "A's session outlives a 2.5 s outage");
    Stat stillA = observer.exists("/eph-a", false);
    assertNotNull(stillA, "A's ephemeral survives an outage shorter than A's timeout"
        + server.outputTail());
    assertEquals(sessionA, stillA.getEphemeralOwner());
    assertNotNull(a.exists("/eph-a", false));
  }

  private static void awaitState(BlockingQueue<WatchedEvent> events, int from, KeeperState state,
      String what, ServerProcess server) {
    try {
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
          .until(() -> events.stream().skip(from).anyMatch(e -> e.getState() == state));
    } catch (ConditionTimeoutException e) {
      fail(what + ": no " + state + " event; events were " + states(events)
          + server.outputTail(), e);
    }
  }

  private static void assertNoState(BlockingQueue<WatchedEvent> events, KeeperState state,
      String what) {
    assertTrue(events.stream().noneMatch(e -> e.getState() == state),
        what + "; events were " + states(events));
  }

  private static List<KeeperState> states(BlockingQueue<WatchedEvent> events) {
    return events.stream().map(WatchedEvent::getState).toList();
  }
}

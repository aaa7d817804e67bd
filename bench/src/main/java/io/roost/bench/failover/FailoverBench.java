package io.roost.bench.failover;

import io.roost.bench.stats.JvmStats;
import io.roost.bench.stats.Report;
import io.roost.bench.stats.Steps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.zookeeper.Version;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * The failover benchmark: a 3-server ensemble of separate JVMs on 127.0.0.1 ({@link
 * EnsembleUnderTest}; Roost's is {@link RoostEnsemble}), one official ZooKeeper client writing
 * without pause ({@link ContinuousWriter}), and K times: find the leader, kill it with SIGKILL,
 * measure until a survivor reports {@code Mode: leader} and until the first write sent after the
 * kill is acknowledged, then restart the killed server and wait until it is back in sync. The
 * figures are printed as tables and written as JSON; see {@link FailoverOptions#USAGE} and
 * docs/performance.md.
 *
 * <p>Every wait is bounded. The servers are killed when the benchmark ends, however it ends (a
 * shutdown hook covers Ctrl-C). On a failure the servers' logs are kept and their last lines
 * printed.
 */
public final class FailoverBench {
  private static final int SERVERS = 3;
  private static final List<String> SERVER_JVM_OPTIONS = List.of("-Xmx512m");
  /** The session timeout the writer asks for: long enough to ride out every failover. */
  private static final int SESSION_TIMEOUT_MS = 30_000;
  private static final int DATA_BYTES = 100;
  private static final String PATH = "/failover-bench";
  /** Room for every acknowledged write of a long run (16 bytes each). */
  private static final int WRITE_CAPACITY = 4_000_000;
  private static final Duration START_WAIT = Duration.ofSeconds(60);
  private static final Duration FAILOVER_WAIT = Duration.ofSeconds(60);
  private static final Duration REJOIN_WAIT = Duration.ofSeconds(120);
  private static final Duration FINAL_AGREEMENT_WAIT = Duration.ofSeconds(30);
  /** Writes go on for this long before the first kill and after each rejoin. */
  private static final Duration STEADY = Duration.ofSeconds(2);
  /** How often the survivors are asked for srvr while a new leader is awaited. */
  private static final Duration LEADER_POLL = Duration.ofMillis(20);
  /** How often the writer's record is checked. */
  private static final Duration WRITE_POLL = Duration.ofMillis(2);
  private static final Duration SYNC_POLL = Duration.ofMillis(20);
  private static final int LOG_TAIL_LINES = 40;

  private final FailoverOptions options;
  private final Steps steps = new Steps("failover", System.out);
  private final Report report = new Report();
  private final List<KillResult> results = new ArrayList<>();

  private FailoverBench(FailoverOptions options) {
    this.options = options;
  }

  /**
   * Runs the benchmark; exits 0 on success, 1 when the ensemble misbehaves (no leader, writes
   * that never resume, a server that never rejoins) or anything else fails, 2 on bad options.
   *
   * @param args see {@link FailoverOptions#USAGE}
   */
  public static void main(String[] args) {
    FailoverOptions options;
    try {
      options = FailoverOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("roost bench failover: " + e.getMessage());
      System.err.print(FailoverOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(FailoverOptions.USAGE);
      return;
    }
    FailoverBench bench = new FailoverBench(options);
    int status = 0;
    try {
      bench.run();
    } catch (Exception | Error e) {
      System.err.println("roost bench failover: FAILED: " + e.getMessage());
      e.printStackTrace();
      if (!bench.results.isEmpty()) {
        System.err.println("\nKills so far:\n" + KillResult.table(bench.results));
      }
      status = 1;
    }
    System.exit(status);
  }

  private void run() throws Exception {
    LocalDateTime started = LocalDateTime.now();
    Path dir = Files.createTempDirectory("roost-bench-failover-");
    RoostEnsemble ensemble = new RoostEnsemble(dir, SERVERS, options.tickTimeMs(),
        SERVER_JVM_OPTIONS);
    Thread killAll = new Thread(ensemble::close, "failover-kill-servers");
    Runtime.getRuntime().addShutdownHook(killAll);
    boolean passed = false;
    try {
      measure(ensemble, started, dir);
      passed = true;
    } catch (Exception | Error e) {
      System.err.println(logTails(ensemble));
      throw e;
    } finally {
      ensemble.close();
      Runtime.getRuntime().removeShutdownHook(killAll);
      if (passed && !options.keep()) {
        deleteTree(dir);
      } else {
        System.err.println("roost bench failover: the servers' files and logs are kept in " + dir
            + " (serverK/server.log)");
      }
    }
  }

  private void measure(EnsembleUnderTest ensemble, LocalDateTime started, Path dir)
      throws Exception {
    describeRun(ensemble, started, dir);
    steps.run("start " + ensemble.size() + " servers (" + ensemble.name() + ")", () -> {
      for (int id = 1; id <= ensemble.size(); id++) {
        ensemble.start(id);
      }
    });
    int leader = steps.run("wait for one leader and every other server following",
        () -> awaitOneLeader(ensemble, deadline(START_WAIT)));
    steps.note("server " + leader + " leads");
    for (int id = 1; id <= ensemble.size(); id++) {
      int follower = id;
      if (follower != leader) {
        steps.run("wait until server " + follower + " serves and is in sync",
            () -> awaitInSync(ensemble, follower, deadline(START_WAIT)));
      }
    }

    byte[] data = new byte[DATA_BYTES];
    java.util.Arrays.fill(data, (byte) 'f');
    ContinuousWriter writer = new ContinuousWriter(ensemble.connectString(), SESSION_TIMEOUT_MS,
        PATH, data, WRITE_CAPACITY);
    try {
      steps.run("start the writer on " + ensemble.connectString(),
          () -> writer.start(START_WAIT));
      steps.run("steady writes for " + STEADY.toSeconds() + " s", () -> awaitSteady(writer,
          System.nanoTime()));
      for (int k = 1; k <= options.kills(); k++) {
        int kill = k;
        KillResult r = steps.run("kill " + k + " of " + options.kills(),
            () -> killLeaderOnce(ensemble, writer, kill));
        steps.note(String.format(Locale.ROOT, "killed %d (writer on %s): server %d reported leader"
                + " after %.0f ms, first write acked after %.0f ms (outage %.0f ms, %d failed),"
                + " rejoined %.0f ms after its restart",
            r.killedLeader(), r.writerServer() == 0 ? "none" : "server " + r.writerServer(),
            r.newLeader(), r.leaderMs(), r.firstWriteMs(), r.outageMs(), r.failedWrites(),
            r.rejoinMs()));
        results.add(r);
      }
      writer.checkAlive();
      writer.close();
      report.add("writes", "acknowledged", "writes acknowledged (whole run)",
              writer.acknowledged(), "")
          .add("writes", "failed", "writes failed (whole run)",
              writer.failuresByKind().values().stream().mapToLong(Long::longValue).sum(), "")
          .add("writes", "failed_by_code", "failures by code", writer.failuresByKind().toString())
          .add("writes", "sessions", "writer sessions (1 = never expired)", writer.sessions(), "");
    } finally {
      writer.close();
    }
    long zxid = steps.run("check that every server ends with the same zxid",
        () -> awaitAgreement(ensemble, deadline(FINAL_AGREEMENT_WAIT)));
    report.add("writes", "final_zxid", "last zxid, the same on every server",
        "0x" + Long.toHexString(zxid));

    addResults();
    report.add("run", "load_average_at_end", "machine load average (1 min) at end",
        JvmStats.systemLoadAverage(), "");
    System.out.println();
    System.out.print(KillResult.table(results));
    System.out.println();
    System.out.print(report.table());
    Path file = writeJson(started);
    System.out.println("\nwritten to " + file);
  }

  private void describeRun(EnsembleUnderTest ensemble, LocalDateTime started, Path dir) {
    Runtime rt = Runtime.getRuntime();
    report.add("run", "started", "started", started.toString())
        .add("run", "java", "java", System.getProperty("java.vm.name") + " "
            + System.getProperty("java.runtime.version"))
        .add("run", "os", "os", System.getProperty("os.name") + " "
            + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
        .add("run", "cores", "cores", rt.availableProcessors(), "")
        .add("run", "load_average_at_start", "machine load average (1 min) at start",
            JvmStats.systemLoadAverage(), "")
        .add("run", "system", "system under test", ensemble.name())
        .add("run", "servers", "servers (separate JVMs on 127.0.0.1)", ensemble.size(), "");
    for (Map.Entry<String, String> s : ensemble.settings().entrySet()) {
      report.add("run", key(s.getKey()), s.getKey(), s.getValue());
    }
    report.add("run", "client", "client", "official ZooKeeper " + Version.getVersion())
        .add("run", "writer", "writer", "1 client, 3-host connect string, synchronous setData of "
            + DATA_BYTES + " bytes, one at a time")
        .add("run", "session_timeout_ms", "session timeout asked for", SESSION_TIMEOUT_MS, "ms")
        .add("run", "leader_poll_ms", "srvr poll of the survivors every",
            LEADER_POLL.toMillis(), "ms")
        .add("run", "kills", "leader kills (SIGKILL)", options.kills(), "")
        .add("run", "data_dir", options.keep() ? "data dir (temp, kept)" : "data dir (temp, deleted)",
            dir.toString());
  }

  private static String key(String label) {
    return label.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_+$", "")
        .toLowerCase(Locale.ROOT);
  }

  /** One kill: the leader dies, a new one is awaited, then the old one rejoins. */
  private KillResult killLeaderOnce(EnsembleUnderTest ensemble, ContinuousWriter writer, int k)
      throws Exception {
    int leader = awaitOneLeader(ensemble, deadline(START_WAIT));
    int writerPort = writer.connectedPort();
    int writerServer = 0;
    for (int id = 1; id <= ensemble.size(); id++) {
      if (ensemble.clientPort(id) == writerPort) {
        writerServer = id;
      }
    }
    long killAt = System.nanoTime();
    ensemble.kill(leader);

    long leaderAt = 0;
    int newLeader = 0;
    long writeAt = 0;
    long nextLeaderPoll = 0;
    long deadline = deadline(FAILOVER_WAIT);
    while (leaderAt == 0 || writeAt == 0) {
      writer.checkAlive();
      long now = System.nanoTime();
      if (now - deadline > 0) {
        throw new IllegalStateException(String.format(Locale.ROOT,
            "kill %d: %s within %d s of killing leader %d (modes now: %s)", k,
            leaderAt == 0 ? "no survivor reported Mode: leader" : "no write was acknowledged",
            FAILOVER_WAIT.toSeconds(), leader, modes(ensemble)));
      }
      if (writeAt == 0) {
        OptionalLong ack = writer.firstAckOfWriteSentFrom(killAt);
        if (ack.isPresent()) {
          writeAt = ack.getAsLong();
        }
      }
      if (leaderAt == 0 && now - nextLeaderPoll >= 0) {
        nextLeaderPoll = now + LEADER_POLL.toNanos();
        for (int id = 1; id <= ensemble.size() && leaderAt == 0; id++) {
          if (id != leader) {
            Optional<ServerProbe.Srvr> srvr = ServerProbe.srvr(ensemble.clientPort(id));
            if (srvr.isPresent() && srvr.get().leading()) {
              leaderAt = System.nanoTime();
              newLeader = id;
            }
          }
        }
      }
      LockSupport.parkNanos(WRITE_POLL.toNanos());
    }
    long lastBefore = writer.lastAckBefore(killAt).orElse(killAt);
    int failed = writer.failedBetween(killAt, writeAt);

    long restartAt = System.nanoTime();
    ensemble.start(leader);
    long syncedAt = awaitInSync(ensemble, leader, deadline(REJOIN_WAIT));
    awaitSteady(writer, syncedAt);
    return new KillResult(k, leader, writerServer, newLeader, ms(leaderAt - killAt),
        ms(writeAt - killAt), ms(writeAt - lastBefore), failed, ms(syncedAt - restartAt));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static long deadline(Duration wait) {
    return System.nanoTime() + wait.toNanos();
  }

  private static boolean past(long deadline) {
    return System.nanoTime() - deadline > 0;
  }

  /**
   * Waits until exactly one running server reports {@code Mode: leader} and every other running
   * one follows; returns the leader's id.
   */
  private static int awaitOneLeader(EnsembleUnderTest ensemble, long deadline) {
    while (true) {
      int leader = 0;
      int leaders = 0;
      boolean settled = true;
      for (int id = 1; id <= ensemble.size(); id++) {
        if (!ensemble.isRunning(id)) {
          continue;
        }
        Optional<ServerProbe.Srvr> srvr = ServerProbe.srvr(ensemble.clientPort(id));
        if (srvr.isPresent() && srvr.get().leading()) {
          leader = id;
          leaders++;
        } else if (srvr.isEmpty() || !srvr.get().following()) {
          settled = false;
        }
      }
      if (settled && leaders == 1) {
        return leader;
      }
      if (past(deadline)) {
        throw new IllegalStateException("no single leader with every other server following"
            + " in time; modes: " + modes(ensemble));
      }
      LockSupport.parkNanos(SYNC_POLL.toNanos());
    }
  }

  /**
   * Waits until server {@code id} is back in sync and returns when it was: it reports
   * {@code Mode: follower}, its zxid has reached the leader's of that moment, and a session on
   * it alone works. The last check is there because a server may report its mode before it
   * serves clients.
   */
  private static long awaitInSync(EnsembleUnderTest ensemble, int id, long deadline)
      throws Exception {
    int port = ensemble.clientPort(id);
    while (true) {
      checkRunning(ensemble, id);
      Optional<ServerProbe.Srvr> srvr = ServerProbe.srvr(port);
      if (srvr.isPresent() && srvr.get().following()) {
        break;
      }
      if (past(deadline)) {
        throw new IllegalStateException("server " + id + " did not report Mode: follower in time;"
            + " modes: " + modes(ensemble));
      }
      LockSupport.parkNanos(SYNC_POLL.toNanos());
    }
    long target = leaderZxid(ensemble, id);
    while (true) {
      checkRunning(ensemble, id);
      Optional<ServerProbe.Srvr> srvr = ServerProbe.srvr(port);
      if (srvr.isPresent() && Long.compareUnsigned(srvr.get().zxid(), target) >= 0) {
        break;
      }
      if (past(deadline)) {
        throw new IllegalStateException("server " + id + " did not reach the leader's zxid 0x"
            + Long.toHexString(target) + " in time; it reports " + srvr.map(Object::toString)
            .orElse("nothing"));
      }
      LockSupport.parkNanos(SYNC_POLL.toNanos());
    }
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0 || !sessionWorks("127.0.0.1:" + port, left)) {
      throw new IllegalStateException("server " + id + " follows and is in sync but accepts no"
          + " session; modes: " + modes(ensemble));
    }
    return System.nanoTime();
  }

  private static void checkRunning(EnsembleUnderTest ensemble, int id) {
    if (!ensemble.isRunning(id)) {
      throw new IllegalStateException("server " + id + " exited; the end of its output:\n"
          + ensemble.logTail(id, LOG_TAIL_LINES));
    }
  }

  /** The zxid of the server that leads now (not {@code except}), or -1 if none answers. */
  private static long leaderZxid(EnsembleUnderTest ensemble, int except) {
    for (int id = 1; id <= ensemble.size(); id++) {
      if (id != except) {
        Optional<ServerProbe.Srvr> srvr = ServerProbe.srvr(ensemble.clientPort(id));
        if (srvr.isPresent() && srvr.get().leading()) {
          return srvr.get().zxid();
        }
      }
    }
    throw new IllegalStateException("no server leads while server " + except + " rejoins; modes: "
        + modes(ensemble));
  }

  /** Opens a session on {@code connectString} and checks the root exists, within {@code ms}. */
  private static boolean sessionWorks(String connectString, long ms) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(connectString, SESSION_TIMEOUT_MS, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    try {
      return connected.await(ms, TimeUnit.MILLISECONDS) && zk.exists("/", false) != null;
    } finally {
      zk.close(5_000);
    }
  }

  /** Waits until the writer has had {@link #STEADY} of acknowledged writes after {@code from}. */
  private static void awaitSteady(ContinuousWriter writer, long from) {
    long until = from + STEADY.toNanos();
    long deadline = deadline(STEADY.plus(FAILOVER_WAIT));
    while (writer.lastAckBefore(Long.MAX_VALUE).orElse(0) - until < 0) {
      writer.checkAlive();
      if (past(deadline)) {
        throw new IllegalStateException("the writer had no acknowledged write for "
            + FAILOVER_WAIT.toSeconds() + " s with every server up");
      }
      LockSupport.parkNanos(WRITE_POLL.toNanos() * 10);
    }
  }

  /** Waits until every server reports the same zxid (the writer has stopped) and returns it. */
  private static long awaitAgreement(EnsembleUnderTest ensemble, long deadline) {
    while (true) {
      long first = Long.MIN_VALUE;
      boolean same = true;
      for (int id = 1; id <= ensemble.size(); id++) {
        long zxid = ServerProbe.srvr(ensemble.clientPort(id)).map(ServerProbe.Srvr::zxid)
            .orElse(-1L);
        if (id == 1) {
          first = zxid;
        }
        same &= zxid == first && zxid >= 0;
      }
      if (same) {
        return first;
      }
      if (past(deadline)) {
        throw new IllegalStateException("the servers do not agree on the last zxid after the"
            + " writes stopped: " + modes(ensemble));
      }
      LockSupport.parkNanos(SYNC_POLL.toNanos());
    }
  }

  /** Every server's srvr mode and zxid, for messages. */
  private static String modes(EnsembleUnderTest ensemble) {
    StringBuilder b = new StringBuilder();
    for (int id = 1; id <= ensemble.size(); id++) {
      b.append(id == 1 ? "" : ", ").append(id).append('=');
      if (!ensemble.isRunning(id)) {
        b.append("down");
        continue;
      }
      Optional<ServerProbe.Srvr> srvr = ServerProbe.srvr(ensemble.clientPort(id));
      b.append(srvr.map(s -> s.mode() + " 0x" + Long.toHexString(s.zxid()))
          .orElse("no answer"));
    }
    return b.toString();
  }

  private static String logTails(EnsembleUnderTest ensemble) {
    StringBuilder b = new StringBuilder();
    for (int id = 1; id <= ensemble.size(); id++) {
      b.append("\n---- last ").append(LOG_TAIL_LINES).append(" lines of server ").append(id)
          .append(" ----\n").append(ensemble.logTail(id, LOG_TAIL_LINES)).append('\n');
    }
    return b.append("---- end of server output ----").toString();
  }

  private void addResults() {
    for (KillResult r : results) {
      String s = String.format(Locale.ROOT, "kill_%02d", r.kill());
      report.add(s, "killed_leader", "killed leader", r.killedLeader(), "")
          .add(s, "writer_server", "writer connected to (0 = none)", r.writerServer(), "")
          .add(s, "new_leader", "new leader", r.newLeader(), "");
      for (KillResult.Column c : KillResult.COLUMNS) {
        double v = c.value().applyAsDouble(r);
        if (c.isCount()) {
          report.add(s, c.key(), c.title(), Math.round(v), "");
        } else {
          report.add(s, c.key(), c.title(), v, "ms");
        }
      }
    }
    long onLeader = results.stream().filter(r -> r.writerServer() == r.killedLeader()).count();
    report.add("summary", "kills", "kills", results.size(), "")
        .add("summary", "writer_on_killed_leader", "kills with the writer on the killed leader",
            onLeader, "");
    for (KillResult.Column c : KillResult.COLUMNS) {
      KillResult.Spread spread = KillResult.spread(results, c);
      if (c.isCount()) {
        report.add("summary", c.key() + "_min", c.title() + ": min", Math.round(spread.min()), "")
            .add("summary", c.key() + "_p50", c.title() + ": p50", Math.round(spread.p50()), "")
            .add("summary", c.key() + "_max", c.title() + ": max", Math.round(spread.max()), "");
      } else {
        report.add("summary", c.key() + "_min", c.title() + ": min", spread.min(), "ms")
            .add("summary", c.key() + "_p50", c.title() + ": p50", spread.p50(), "ms")
            .add("summary", c.key() + "_max", c.title() + ": max", spread.max(), "ms");
      }
    }
  }

  private Path writeJson(LocalDateTime started) throws IOException {
    Files.createDirectories(options.out());
    Path file = options.out().resolve("failover-"
        + started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)) + ".json");
    Files.writeString(file, report.json());
    return file;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("roost bench failover: could not delete " + dir + ": " + e
          + "; delete it by hand");
    }
  }
}

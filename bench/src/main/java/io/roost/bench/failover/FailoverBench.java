package io.roost.bench.failover;

import io.roost.bench.stats.BenchMain;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.zookeeper.Version;

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
public final class FailoverBench implements BenchMain.Run {
  private static final int SERVERS = 3;
  private static final List<String> SERVER_JVM_OPTIONS = List.of("-Xmx512m");
  private static final int SESSION_TIMEOUT_MS = LeaderFailover.SESSION_TIMEOUT_MS;
  private static final int DATA_BYTES = 100;
  private static final String PATH = "/failover-bench";
  /** Room for every acknowledged write of a long run (16 bytes each). */
  private static final int WRITE_CAPACITY = 4_000_000;
  private static final Duration START_WAIT = LeaderFailover.START_WAIT;
  private static final Duration FINAL_AGREEMENT_WAIT = Duration.ofSeconds(30);

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
    BenchMain.main("failover", args, FailoverOptions::parse, FailoverOptions::help,
        FailoverOptions.USAGE, FailoverBench::new);
  }

  @Override
  public String soFar() {
    return results.isEmpty() ? null : "Kills so far:\n" + KillResult.table(results);
  }

  @Override
  public void run() throws Exception {
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
      System.err.println(LeaderFailover.logTails(ensemble));
      throw e;
    } finally {
      ensemble.close();
      Runtime.getRuntime().removeShutdownHook(killAll);
      if (passed && !options.keep()) {
        BenchMain.deleteTree("failover", dir);
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
        () -> LeaderFailover.awaitOneLeader(ensemble,
            LeaderFailover.deadline(START_WAIT)));
    steps.note("server " + leader + " leads");
    for (int id = 1; id <= ensemble.size(); id++) {
      int follower = id;
      if (follower != leader) {
        steps.run("wait until server " + follower + " serves and is in sync",
            () -> LeaderFailover.awaitInSync(ensemble, follower,
                LeaderFailover.deadline(START_WAIT)));
      }
    }

    byte[] data = new byte[DATA_BYTES];
    java.util.Arrays.fill(data, (byte) 'f');
    ContinuousWriter writer = new ContinuousWriter(ensemble.connectString(), SESSION_TIMEOUT_MS,
        PATH, data, WRITE_CAPACITY);
    try {
      steps.run("start the writer on " + ensemble.connectString(),
          () -> writer.start(START_WAIT));
      steps.run("steady writes for " + LeaderFailover.STEADY.toSeconds() + " s",
          () -> LeaderFailover.awaitSteady(writer, System.nanoTime()));
      for (int k = 1; k <= options.kills(); k++) {
        int kill = k;
        KillResult r = steps.run("kill " + k + " of " + options.kills(),
            () -> LeaderFailover.killLeaderOnce(ensemble, writer, kill));
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
        () -> LeaderFailover.awaitAgreement(ensemble,
            LeaderFailover.deadline(FINAL_AGREEMENT_WAIT)));
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
            LeaderFailover.LEADER_POLL.toMillis(), "ms")
        .add("run", "kills", "leader kills (SIGKILL)", options.kills(), "")
        .add("run", "data_dir", options.keep() ? "data dir (temp, kept)" : "data dir (temp, deleted)",
            dir.toString());
  }

  private static String key(String label) {
    return label.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_+$", "")
        .toLowerCase(Locale.ROOT);
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

}

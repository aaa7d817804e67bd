package io.roost.bench.compare;

import io.roost.bench.stats.BenchMain;
import io.roost.bench.failover.ContinuousWriter;
import io.roost.bench.failover.JvmEnsemble;
import io.roost.bench.failover.KillResult;
import io.roost.bench.failover.LeaderFailover;
import io.roost.bench.failover.RoostEnsemble;
import io.roost.bench.failover.ZooKeeperEnsemble;
import io.roost.bench.stats.JvmStats;
import io.roost.bench.stats.Report;
import io.roost.bench.stats.Steps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.zookeeper.Version;
import org.apache.zookeeper.ZooKeeper;

/**
 * The side-by-side benchmark of issue 6: the same workloads, with the official ZooKeeper client
 * (and Curator's or Roost's lock recipe), against a 3-server Apache ZooKeeper ensemble and a
 * 3-server Roost ensemble of separate JVMs on 127.0.0.1 with the same settings, one system at a
 * time, alternating over rounds. Each start is followed by a warm-up; the table gives every row's
 * figures for both systems and their Roost/ZooKeeper ratio; the targets of the issue are
 * reported as met or not met. See {@link CompareOptions#USAGE} and docs/performance.md.
 *
 * <p>Every wait is bounded; the server JVMs are killed however the run ends (a shutdown hook
 * covers Ctrl-C); on a failure their files and logs are kept.
 */
public final class CompareBench implements BenchMain.Run {
  private static final int SERVERS = 3;
  private static final long SEED = 6;
  /** Room for every acknowledged write of the failover writer (16 bytes each). */
  private static final int WRITE_CAPACITY = 1_000_000;

  /** The two systems under test, in the order each round runs them. */
  enum Side {
    ZOOKEEPER, ROOST
  }

  /** Row keys in table order, with their titles and headline columns. */
  private static final Map<String, String> TITLES = new LinkedHashMap<>();
  private static final Map<String, Sample.Column> HEADLINES = new LinkedHashMap<>();

  static {
    row(Workloads.SET_DATA, "setData, 16 clients x 64 in flight", Sample.Column.OPS);
    row(Workloads.CREATE_SEQUENTIAL, "sequential create, 16 x 64", Sample.Column.OPS);
    row(Workloads.GET_DATA, "getData, 16 x 64", Sample.Column.OPS);
    row(Workloads.MIX, "90% getData / 10% setData, 16 x 64", Sample.Column.OPS);
    row(Workloads.SINGLE_WRITE, "setData, 1 client, 1 in flight", Sample.Column.P50);
    row(Workloads.SINGLE_READ, "getData, 1 client, 1 in flight", Sample.Column.P50);
    row(Workloads.LOCK, "lock hand-offs, 8 contenders", Sample.Column.OPS);
    row(Workloads.QUEUE, "queue put+take, 4 + 4 clients", Sample.Column.OPS);
    row(Workloads.FAILOVER_LEADER, "leader kill -> new leader", Sample.Column.P50);
    row(Workloads.FAILOVER_WRITE, "leader kill -> first write", Sample.Column.P50);
  }

  private static void row(String key, String title, Sample.Column headline) {
    TITLES.put(key, title);
    HEADLINES.put(key, headline);
  }

  private final CompareOptions options;
  private final Steps steps = new Steps("compare", System.out);
  private final Report report = new Report();
  /** Per system, per row key: one measurement per round. */
  private final Map<Side, Map<String, List<Measurement>>> measured = new LinkedHashMap<>();
  /** Per system, per failover row key: one time per kill, in ms. */
  private final Map<Side, Map<String, List<Double>>> times = new LinkedHashMap<>();

  private CompareBench(CompareOptions options) {
    this.options = options;
    for (Side s : Side.values()) {
      measured.put(s, new LinkedHashMap<>());
      times.put(s, new LinkedHashMap<>());
    }
  }

  /**
   * Runs the comparison; exits 0 on success, 1 on a failure, 2 on bad options.
   *
   * @param args see {@link CompareOptions#USAGE}
   */
  public static void main(String[] args) {
    BenchMain.main("compare", args, CompareOptions::parse, CompareOptions::help,
        CompareOptions.USAGE, CompareBench::new);
  }

  @Override
  public void run() throws Exception {
    LocalDateTime started = LocalDateTime.now();
    Path dir = Files.createTempDirectory("roost-bench-compare-");
    describeRun(started, dir);
    boolean passed = false;
    try {
      for (int round = 1; round <= options.rounds(); round++) {
        for (Side system : Side.values()) {
          runSystem(system, round, dir.resolve("round" + round + "-"
              + system.name().toLowerCase(Locale.ROOT)));
        }
      }
      passed = true;
    } finally {
      if (passed && !options.keep()) {
        BenchMain.deleteTree("compare", dir);
      } else {
        System.err.println("roost bench compare: the servers' files and logs are kept in "
            + dir + " (roundR-system/serverK/server.log)");
      }
    }
    List<Row> rows = rows();
    List<Target.Outcome> outcomes = Target.ISSUE_6.stream().map(t -> t.check(rows)).toList();
    addResults(rows, outcomes);
    report.add("run", "load_average_at_end", "machine load average (1 min) at end",
        JvmStats.systemLoadAverage(), "");

    System.out.println();
    System.out.print(ComparisonTable.text(rows));
    System.out.println("\nTargets (issue 6):");
    System.out.print(ComparisonTable.targets(outcomes));
    String stamp = started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
    Files.createDirectories(options.out());
    Path json = options.out().resolve("compare-" + stamp + ".json");
    Files.writeString(json, report.json());
    Path svg = options.out().resolve("compare-" + stamp + ".svg");
    Files.writeString(svg, RatioChart.svg(chartTitle(started), rows,
        Target.ISSUE_6));
    Path md = options.out().resolve("compare-" + stamp + ".md");
    Files.writeString(md, ComparisonTable.markdown(rows) + "\nTargets:\n\n"
        + outcomes.stream().map(o -> "- " + o.target().title() + ": " + o.text())
            .collect(Collectors.joining("\n")) + "\n");
    System.out.println("\nwritten to " + json + ", " + svg + " and " + md);
  }

  private String chartTitle(LocalDateTime started) {
    return String.format(Locale.ROOT, "%s; 3 servers each, fsync on, -Xmx%s, tickTime %d ms;"
        + " %d round(s) of %d s per workload; %d cores", started.withNano(0), options.serverHeap(),
        options.tickTimeMs(), options.rounds(), options.measure().toSeconds(),
        Runtime.getRuntime().availableProcessors());
  }

  private void describeRun(LocalDateTime started, Path dir) {
    report.add("run", "started", "started", started.toString())
        .add("run", "java", "java", System.getProperty("java.vm.name") + " "
            + System.getProperty("java.runtime.version"))
        .add("run", "os", "os", System.getProperty("os.name") + " "
            + System.getProperty("os.version"))
        .add("run", "cores", "cores", Runtime.getRuntime().availableProcessors(), "")
        .add("run", "load_average_at_start", "machine load average (1 min) at start",
            JvmStats.systemLoadAverage(), "")
        .add("run", "client", "client", "official ZooKeeper " + Version.getVersion())
        .add("run", "servers", "servers per system (separate JVMs on 127.0.0.1)", SERVERS, "")
        .add("run", "server_heap", "server -Xmx", options.serverHeap())
        .add("run", "tick_time_ms", "tickTime", options.tickTimeMs(), "ms")
        .add("run", "rounds", "rounds (ZooKeeper, then Roost, each)", options.rounds(), "")
        .add("run", "measure_s", "seconds per workload", options.measure().toSeconds(), "s")
        .add("run", "warmup_s", "warm-up after each start", options.warmup().toSeconds(), "s")
        .add("run", "kills", "leader kills per system and round", options.kills(), "")
        .add("run", "only", "workload groups", String.join(", ", CompareOptions.GROUPS.stream()
            .filter(options::runs).toList()))
        .add("run", "server_jvm_options", "extra server JVM options",
            String.join(" ", options.serverJvmOptions()))
        .add("run", "data_dir", "data dir (temp)", dir.toString());
  }

  private void runSystem(Side system, int round, Path dir) throws Exception {
    List<String> jvm = new ArrayList<>();
    jvm.add("-Xmx" + options.serverHeap());
    jvm.addAll(options.serverJvmOptions());
    JvmEnsemble ensemble = system == Side.ZOOKEEPER
        ? new ZooKeeperEnsemble(dir, SERVERS, options.tickTimeMs(), jvm)
        : new RoostEnsemble(dir, SERVERS, options.tickTimeMs(), jvm);
    if (round == 1) {
      report.add("run", system.name().toLowerCase(Locale.ROOT), "system", ensemble.name());
    }
    Thread killAll = new Thread(ensemble::close, "compare-kill-servers");
    Runtime.getRuntime().addShutdownHook(killAll);
    String label = "round " + round + " of " + options.rounds() + ", " + ensemble.name();
    try {
      steps.run(label + ": start " + SERVERS + " servers", () -> {
        for (int id = 1; id <= SERVERS; id++) {
          ensemble.start(id);
        }
      });
      int leader = steps.run(label + ": wait for a leader and every server in sync",
          () -> LeaderFailover.awaitReady(ensemble));
      measureClients(system, ensemble, leader, label);
      if (options.runs("lock")) {
        measureLock(system, ensemble, label);
      }
      if (options.kills() > 0 && options.runs("failover")) {
        measureFailover(system, ensemble, label);
      }
    } catch (Exception | Error e) {
      System.err.println(LeaderFailover.logTails(ensemble));
      throw e;
    } finally {
      ensemble.close();
      Runtime.getRuntime().removeShutdownHook(killAll);
    }
  }

  private void measureClients(Side system, JvmEnsemble ensemble, int leader, String label)
      throws Exception {
    List<String> servers = new ArrayList<>();
    for (int id = 1; id <= ensemble.size(); id++) {
      servers.add("127.0.0.1:" + ensemble.clientPort(id));
    }
    ZooKeeper admin = Workloads.connect(ensemble.connectString());
    try {
      steps.run(label + ": create " + Workloads.NODES + " nodes of " + Workloads.DATA_BYTES
          + " bytes", () -> Workloads.prepare(admin));
    } finally {
      admin.close(5_000);
    }
    List<ZooKeeper> clients = Workloads.connect(servers, Workloads.CLIENTS, 0);
    try {
      Duration window = options.measure();
      if (!options.warmup().isZero()) {
        steps.run(label + ": warm-up, " + options.warmup().toSeconds() + " s of the 90/10 mix",
            () -> ClosedLoop.run(clients, Workloads.IN_FLIGHT, options.warmup(), Workloads.MIXED,
                SEED));
      }
      if (options.runs("setData")) {
        measure(system, label, Workloads.SET_DATA, clients, Workloads.IN_FLIGHT, window,
            Workloads.SET);
      }
      if (options.runs("create")) {
        measure(system, label, Workloads.CREATE_SEQUENTIAL, clients, Workloads.IN_FLIGHT,
            window, Workloads.CREATE);
      }
      if (options.runs("getData")) {
        measure(system, label, Workloads.GET_DATA, clients, Workloads.IN_FLIGHT, window,
            Workloads.GET);
      }
      if (options.runs("mix")) {
        measure(system, label, Workloads.MIX, clients, Workloads.IN_FLIGHT, window,
            Workloads.MIXED);
      }
    } finally {
      Workloads.close(clients);
    }
    if (options.runs("single")) {
      measureSingle(system, ensemble, leader, label);
    }
    if (options.runs("queue")) {
      measureQueue(system, servers, label);
    }
  }

  private void measureSingle(Side system, JvmEnsemble ensemble, int leader, String label)
      throws Exception {
    // The single client sits on a follower, where most of an ensemble's clients are, on both
    // systems; the note shows each server's srvr mode as the client connects.
    int follower = leader == 1 ? 2 : 1;
    steps.note("single client on server " + follower + "; modes: "
        + LeaderFailover.modes(ensemble));
    ZooKeeper single = Workloads.connect("127.0.0.1:" + ensemble.clientPort(follower));
    try {
      measure(system, label, Workloads.SINGLE_WRITE, List.of(single), 1, options.measure(),
          Workloads.SET);
      measure(system, label, Workloads.SINGLE_READ, List.of(single), 1, options.measure(),
          Workloads.GET);
    } finally {
      single.close(5_000);
    }
  }

  private void measureQueue(Side system, List<String> servers, String label) throws Exception {
    List<ZooKeeper> producers = Workloads.connect(servers, QueueLoad.PRODUCERS, 0);
    List<ZooKeeper> consumers = new ArrayList<>();
    try {
      consumers.addAll(Workloads.connect(servers, QueueLoad.CONSUMERS, 1));
      Measurement m = steps.run(label + ": " + TITLES.get(Workloads.QUEUE) + " for "
          + options.measure().toSeconds() + " s", () -> QueueLoad.run(producers, consumers,
          options.measure()));
      note(m);
      measured.get(system).computeIfAbsent(Workloads.QUEUE, k -> new ArrayList<>()).add(m);
    } finally {
      Workloads.close(producers);
      Workloads.close(consumers);
    }
  }

  private void measure(Side system, String label, String key, List<ZooKeeper> clients,
      int inFlight, Duration window, ClosedLoop.Request request) throws Exception {
    Measurement m = steps.run(label + ": " + TITLES.get(key) + " for " + window.toSeconds()
        + " s", () -> ClosedLoop.run(clients, inFlight, window, request, SEED));
    note(m);
    measured.get(system).computeIfAbsent(key, k -> new ArrayList<>()).add(m);
  }

  private void note(Measurement m) {
    steps.note(String.format(Locale.ROOT, "%,.0f ops/s, p50 %s ms, p99 %s ms, p99.9 %s ms%s",
        m.opsPerSecond(), ComparisonTable.millis(m.latencies().percentile(50) / 1e6),
        ComparisonTable.millis(m.latencies().percentile(99) / 1e6),
        ComparisonTable.millis(m.latencies().percentile(99.9) / 1e6),
        m.errors() > 0 ? ", " + m.errors() + " errors" : ""));
  }

  private void measureLock(Side system, JvmEnsemble ensemble, String label) throws Exception {
    int n = options.lockContenders();
    Measurement m = steps.run(label + ": lock hand-offs, " + n + " contenders ("
        + (system == Side.ROOST ? "Roost Mutex" : "Curator InterProcessMutex") + ") for "
        + options.measure().toSeconds() + " s", () -> system == Side.ROOST
        ? LockHandoffs.roost(ensemble.connectString(), n, options.measure())
        : LockHandoffs.curator(ensemble.connectString(), n, options.measure()));
    note(m);
    measured.get(system).computeIfAbsent(Workloads.LOCK, k -> new ArrayList<>()).add(m);
  }

  private void measureFailover(Side system, JvmEnsemble ensemble, String label)
      throws Exception {
    ContinuousWriter writer = new ContinuousWriter(ensemble.connectString(),
        LeaderFailover.SESSION_TIMEOUT_MS, Workloads.ROOT + "/failover", Workloads.payload(),
        WRITE_CAPACITY);
    try {
      steps.run(label + ": start the failover writer",
          () -> writer.start(LeaderFailover.START_WAIT));
      steps.run(label + ": steady writes", () -> LeaderFailover.awaitSteady(writer,
          System.nanoTime()));
      for (int k = 1; k <= options.kills(); k++) {
        int kill = k;
        KillResult r = steps.run(label + ": kill -9 the leader (" + k + " of " + options.kills()
            + ")", () -> LeaderFailover.killLeaderOnce(ensemble, writer, kill));
        steps.note(String.format(Locale.ROOT, "server %d killed: server %d leads after %.0f ms,"
            + " first write after %.0f ms, the killed one in sync %.0f ms after its restart",
            r.killedLeader(), r.newLeader(), r.leaderMs(), r.firstWriteMs(), r.rejoinMs()));
        times.get(system).computeIfAbsent(Workloads.FAILOVER_LEADER, x -> new ArrayList<>())
            .add(r.leaderMs());
        times.get(system).computeIfAbsent(Workloads.FAILOVER_WRITE, x -> new ArrayList<>())
            .add(r.firstWriteMs());
      }
      writer.checkAlive();
    } finally {
      writer.close();
    }
  }

  /** The rows measured on both systems, in table order. */
  private List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (String key : TITLES.keySet()) {
      Sample zk = sample(Side.ZOOKEEPER, key);
      Sample roost = sample(Side.ROOST, key);
      if (zk != null && roost != null) {
        rows.add(new Row(key, TITLES.get(key), HEADLINES.get(key), zk, roost));
      }
    }
    return rows;
  }

  private Sample sample(Side system, String key) {
    List<Measurement> m = measured.get(system).get(key);
    if (m != null) {
      return Sample.of(m);
    }
    List<Double> t = times.get(system).get(key);
    return t == null ? null : Sample.ofTimes(t.stream().mapToDouble(Double::doubleValue)
        .toArray());
  }

  private void addResults(List<Row> rows, List<Target.Outcome> outcomes) {
    for (Row r : rows) {
      report.add(r.key(), "title", "workload", r.title());
      for (Sample.Column c : Sample.Column.values()) {
        String unit = c == Sample.Column.OPS ? "ops/s" : "ms";
        String col = c.name().toLowerCase(Locale.ROOT);
        double z = c.of(r.zookeeper());
        double o = c.of(r.roost());
        if (Double.isNaN(z) && Double.isNaN(o)) {
          continue;
        }
        report.add(r.key(), "zookeeper_" + col, "ZooKeeper " + c.title(), z, unit)
            .add(r.key(), "roost_" + col, "Roost " + c.title(), o, unit)
            .add(r.key(), "ratio_" + col, "Roost/ZooKeeper " + c.title(), r.ratio(c), "");
      }
      for (Side s : Side.values()) {
        String name = s.name().toLowerCase(Locale.ROOT);
        List<Measurement> m = measured.get(s).get(r.key());
        if (m != null) {
          report.add(r.key(), name + "_ops_per_round", name + " ops/s per round",
              m.stream().map(x -> String.format(Locale.ROOT, "%.0f", x.opsPerSecond()))
                  .collect(Collectors.joining(", ")));
          report.add(r.key(), name + "_errors", name + " errors", m.stream()
              .mapToLong(Measurement::errors).sum(), "");
        }
        List<Double> t = times.get(s).get(r.key());
        if (t != null) {
          report.add(r.key(), name + "_ms_per_kill", name + " ms per kill", t.stream()
              .map(x -> String.format(Locale.ROOT, "%.0f", x)).collect(Collectors.joining(", ")));
        }
      }
    }
    for (Target.Outcome o : outcomes) {
      report.add("targets", o.target().rowKey() + "_" + o.target().column().name()
          .toLowerCase(Locale.ROOT), o.target().title(), o.text());
    }
  }

}

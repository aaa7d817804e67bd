package io.roost.bench.storage;

import io.roost.bench.stats.BenchMain;
import io.roost.bench.stats.CompletionLog;
import io.roost.bench.stats.JvmStats;
import io.roost.bench.stats.LatencyHistogram;
import io.roost.bench.stats.PhaseStats;
import io.roost.bench.stats.Report;
import io.roost.bench.stats.Steps;
import io.roost.server.RoostServer;
import io.roost.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * The storage benchmark: one in-process durable Roost server (fsync on) on a fresh data
 * directory, driven over loopback by official ZooKeeper clients. It loads N nodes, measures a
 * snapshot taken under a steady write load, then restarts the server on the same data and checks
 * that every node is back. The figures are printed as a table and written as JSON; see
 * {@link StorageOptions#USAGE} and docs/performance.md.
 */
public final class StorageBench implements BenchMain.Run {
  private static final int PARENTS = 1000;
  private static final int LOAD_CLIENTS = 4;
  private static final int LOAD_IN_FLIGHT = 256;
  private static final int WRITE_CLIENTS = 4;
  private static final int WRITE_IN_FLIGHT = 32;
  private static final Duration WARMUP = Duration.ofSeconds(1);
  private static final Duration PHASE = Duration.ofSeconds(3);
  private static final Duration CONNECT_WAIT = Duration.ofSeconds(30);
  /** The longest wait for any single reply before the run is given up. */
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
  /** Room for the write load's replies (16 bytes each): far more than ~10 s of writes need. */
  private static final int COMPLETION_CAPACITY = 4_000_000;
  private static final String HOST = "127.0.0.1";
  private static final double MIB = 1024.0 * 1024.0;

  private static final String FSYNCS = "roost_log_fsyncs";
  private static final String TXNS_PER_FSYNC = "roost_log_transactions_per_fsync";
  private static final String FLUSH_MS = "roost_log_flush_ms";
  private static final String SNAPSHOT_STALL_MS = "roost_snapshot_stall_ms";
  private static final String SNAPSHOT_WRITE_MS = "roost_snapshot_write_ms";

  private final StorageOptions options;
  private final Steps steps = new Steps("storage", System.out);
  private final Report report = new Report();
  private final NodeNames names = new NodeNames(PARENTS);
  private final byte[] data;
  private final List<ZooKeeper> clients = new ArrayList<>();
  private RoostServer server;
  private long expectedNodes;
  private String lastPath;

  private StorageBench(StorageOptions options) {
    this.options = options;
    this.data = new byte[options.dataBytes()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) ('a' + i % 26);
    }
  }

  /**
   * Runs the benchmark; exits 0 on success, 1 when a step fails (a lost node, a failed write, a
   * timeout), 2 on bad options.
   *
   * @param args see {@link StorageOptions#USAGE}
   */
  public static void main(String[] args) {
    BenchMain.main("storage", args, StorageOptions::parse, StorageOptions::help,
        StorageOptions.USAGE, StorageBench::new);
  }

  @Override
  public String soFar() {
    return report.figures().isEmpty() ? null : "Figures so far:\n" + report.table();
  }

  @Override
  public void run() throws Exception {
    LocalDateTime started = LocalDateTime.now();
    Path dataDir = Files.createTempDirectory("roost-bench-storage-");
    try {
      describeRun(started, dataDir);
      long heapBefore = JvmStats.usedHeapAfterGc();
      ServerConfig config = config(dataDir);
      server = steps.run("start a durable server on " + dataDir, () -> RoostServer.start(config));
      load(heapBefore);
      snapshotUnderLoad(dataDir);
      restart(config, heapBefore);
    } finally {
      closeClients();
      closeServerQuietly();
      BenchMain.deleteTree("storage", dataDir);
    }
    report.add("run", "load_average_at_end", "machine load average (1 min) at end",
        JvmStats.systemLoadAverage(), "");
    System.out.println();
    System.out.print(report.table());
    Path file = writeJson(started);
    System.out.println("\nwritten to " + file);
  }

  /** Durable, fsync on, loopback, ephemeral ports, and no automatic snapshot. */
  private static ServerConfig config(Path dataDir) {
    return ServerConfig.builder()
        .clientPortAddress(HOST)
        .clientPort(0)
        .adminServerAddress(HOST)
        .adminServerPort(0)
        .dataDir(dataDir)
        .forceSync(true)
        // The benchmark takes its one snapshot by hand; none may fire during the load.
        .snapCount(Integer.MAX_VALUE)
        .build();
  }

  private void describeRun(LocalDateTime started, Path dataDir) {
    Runtime rt = Runtime.getRuntime();
    report.add("run", "started", "started", started.toString())
        .add("run", "java", "java", System.getProperty("java.vm.name") + " "
            + System.getProperty("java.runtime.version"))
        .add("run", "os", "os", System.getProperty("os.name") + " "
            + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
        .add("run", "cores", "cores", rt.availableProcessors(), "")
        .add("run", "max_heap_mib", "max heap", JvmStats.maxHeap() / MIB, "MiB")
        .add("run", "load_average_at_start", "machine load average (1 min) at start",
            JvmStats.systemLoadAverage(), "")
        .add("run", "data_dir", "data dir (temp, deleted)", dataDir.toString())
        .add("run", "nodes", "nodes", options.nodes(), "")
        .add("run", "data_bytes", "data per node", options.dataBytes(), "bytes")
        .add("run", "parents", "parent nodes", PARENTS, "")
        .add("run", "load_clients", "load: clients x in flight",
            LOAD_CLIENTS + " x " + LOAD_IN_FLIGHT)
        .add("run", "write_clients", "steady writes: clients x in flight",
            WRITE_CLIENTS + " x " + WRITE_IN_FLIGHT);
  }

  private void load(long heapBefore) throws Exception {
    steps.run("connect " + LOAD_CLIENTS + " clients", () -> {
      for (int c = 0; c < LOAD_CLIENTS; c++) {
        clients.add(BenchClients.connect(server.connectString(HOST), CONNECT_WAIT));
      }
    });
    ZooKeeper zk = clients.get(0);
    int systemNodes = zk.getAllChildrenNumber("/");
    expectedNodes = systemNodes + 1L + PARENTS + options.nodes();
    zk.create(NodeNames.ROOT, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    CreateLoad loader = new CreateLoad(clients, LOAD_IN_FLIGHT, STALL_TIMEOUT);
    steps.run("create " + PARENTS + " parents", () -> loader.run(PARENTS, names::parent, new byte[0]));

    AdminMetrics metrics = new AdminMetrics(server.adminPort());
    Map<String, Double> before = metrics.scrape();
    JvmStats.Gc gcBefore = JvmStats.gc();
    CreateLoad.Result result = steps.run(String.format(Locale.ROOT, "load %,d nodes of %d bytes",
        options.nodes(), options.dataBytes()), () -> loader.run(options.nodes(), names::node, data));
    JvmStats.Gc gc = JvmStats.gc().minus(gcBefore);
    Map<String, Double> after = metrics.scrape();
    lastPath = result.lastPath();

    double seconds = result.nanos() / 1e9;
    double fsyncs = delta(before, after, FSYNCS);
    double txns = total(after, TXNS_PER_FSYNC) - total(before, TXNS_PER_FSYNC);
    double flushMs = (total(after, FLUSH_MS) - total(before, FLUSH_MS)) / fsyncs;
    report.add("load", "nodes_created", "nodes created", result.created(), "")
        .add("load", "seconds", "load time", seconds, "s")
        .add("load", "creates_per_s", "load rate", result.perSecond(), "creates/s")
        .add("load", "fsyncs", "log fsyncs", Math.round(fsyncs), "")
        .add("load", "fsyncs_per_s", "fsyncs per second", fsyncs / seconds, "fsyncs/s")
        .add("load", "txns_logged", "transactions logged", Math.round(txns), "")
        .add("load", "txns_per_fsync", "transactions per fsync", txns / fsyncs, "txns")
        .add("load", "mean_flush_ms", "mean batch append+fsync", flushMs, "ms")
        .add("load", "gc_collections", "GCs during load", gc.collections(), "")
        .add("load", "gc_ms", "GC time during load", gc.millis(), "ms")
        .add("load", "last_created", "node created last", lastPath);

    long countStarted = System.nanoTime();
    int counted = zk.getAllChildrenNumber("/");
    report.add("load", "count_all_ms", "getAllChildrenNumber(\"/\") round trip",
        (System.nanoTime() - countStarted) / 1e6, "ms");
    if (counted != expectedNodes) {
      throw new IllegalStateException("after the load the tree holds " + counted
          + " nodes below /, expected " + expectedNodes);
    }
    long heap = JvmStats.usedHeapAfterGc();
    report.add("load", "heap_before_mib", "heap used before the server (after GC, approx.)",
            heapBefore / MIB, "MiB")
        .add("load", "heap_after_load_mib", "heap used after load: server+clients (approx.)",
            heap / MIB, "MiB");
  }

  private void snapshotUnderLoad(Path dataDir) throws Exception {
    CompletionLog completions = new CompletionLog(COMPLETION_CAPACITY);
    WriteLoad writes = new WriteLoad(clients.subList(0, WRITE_CLIENTS), WRITE_IN_FLIGHT,
        options.nodes(), names, data, completions);
    long[] marks = new long[4];
    JvmStats.Gc[] gcs = new JvmStats.Gc[4];
    long[] snapshotNanos = new long[1];
    steps.run("steady writes: " + WARMUP.toSeconds() + " s warm-up, " + PHASE.toSeconds()
        + " s baseline, snapshot, " + PHASE.toSeconds() + " s after", () -> {
          writes.start();
          try {
            Thread.sleep(WARMUP.toMillis());
            gcs[0] = JvmStats.gc();
            marks[0] = System.nanoTime();
            Thread.sleep(PHASE.toMillis());
            gcs[1] = JvmStats.gc();
            marks[1] = System.nanoTime();
            server.takeSnapshot();
            marks[2] = System.nanoTime();
            gcs[2] = JvmStats.gc();
            snapshotNanos[0] = marks[2] - marks[1];
            steps.note(String.format(Locale.ROOT, "takeSnapshot() returned after %.0f ms",
                snapshotNanos[0] / 1e6));
            Thread.sleep(PHASE.toMillis());
            gcs[3] = JvmStats.gc();
            marks[3] = System.nanoTime();
          } finally {
            writes.stop(STALL_TIMEOUT);
          }
        });

    Map<String, Double> scrape = new AdminMetrics(server.adminPort()).scrape();
    Path file = newestSnapshot(dataDir);
    long size = Files.size(file);
    report.add("snapshot", "take_snapshot_ms", "takeSnapshot() until durable", snapshotNanos[0] / 1e6,
            "ms")
        .add("snapshot", "event_loop_stall_ms", "event-loop pause (state image, server)",
            AdminMetrics.value(scrape, SNAPSHOT_STALL_MS), "ms")
        .add("snapshot", "write_ms", "file write+fsync on worker (server)",
            AdminMetrics.value(scrape, SNAPSHOT_WRITE_MS), "ms")
        .add("snapshot", "file_bytes", "snapshot file size", size, "bytes")
        .add("snapshot", "file_mib", "snapshot file size", size / MIB, "MiB")
        .add("snapshot", "file", "snapshot file", file.getFileName().toString());

    report.add("snapshot", "write_errors", "failed writes (all phases)", writes.errors(), "");
    // Latencies before the snapshot: writes that completed then. During: every write in flight
    // at some moment of the snapshot, so those it held up count here even though they complete
    // after it. After: writes sent once takeSnapshot() had returned.
    String[] phaseNames = {"writes_before", "writes_during_snapshot", "writes_after"};
    CompletionLog.Basis[] bases = {CompletionLog.Basis.COMPLETED, CompletionLog.Basis.IN_FLIGHT,
        CompletionLog.Basis.SENT};
    for (int p = 0; p < 3; p++) {
      PhaseStats stats = completions.phase(phaseNames[p], marks[p], marks[p + 1], bases[p]);
      addPhase(stats, gcs[p + 1].minus(gcs[p]));
    }
    if (completions.dropped() > 0) {
      steps.note(completions.dropped() + " completions did not fit the log and were not counted");
    }
    if (writes.errors() > 0) {
      throw new IllegalStateException(writes.errors() + " writes failed, the first: "
          + writes.firstError());
    }
  }

  private void addPhase(PhaseStats stats, JvmStats.Gc gc) {
    String s = stats.name();
    LatencyHistogram h = stats.latencies();
    report.add(s, "seconds", "phase length", stats.durationNanos() / 1e9, "s")
        .add(s, "writes", "writes completed in the phase", stats.completions(), "")
        .add(s, "writes_per_s", "write rate", stats.throughput(), "writes/s")
        .add(s, "latency_of", "latencies below are of writes", switch (stats.basis()) {
          case COMPLETED -> "completed in the phase";
          case IN_FLIGHT -> "in flight at any time in the phase";
          case SENT -> "sent in the phase";
        })
        .add(s, "measured", "writes measured", h.count(), "")
        .add(s, "p50_ms", "latency p50", h.percentile(50) / 1e6, "ms")
        .add(s, "p99_ms", "latency p99", h.percentile(99) / 1e6, "ms")
        .add(s, "p99_9_ms", "latency p99.9", h.percentile(99.9) / 1e6, "ms")
        .add(s, "max_ms", "latency max", h.max() / 1e6, "ms")
        .add(s, "longest_gap_ms", "longest gap between completions",
            stats.longestGapNanos() / 1e6, "ms")
        .add(s, "gc_collections", "GCs", gc.collections(), "")
        .add(s, "gc_ms", "GC time", gc.millis(), "ms");
  }

  private void restart(ServerConfig config, long heapBefore) throws Exception {
    Stat before = new Stat();
    byte[] lastData = clients.get(0).getData(lastPath, false, before);
    closeClients();
    long stopStarted = System.nanoTime();
    steps.run("stop the server", () -> {
      server.close();
      server = null;
    });
    double stopMs = (System.nanoTime() - stopStarted) / 1e6;
    // Collect the old server's tree now, so the restart does not pay for it.
    JvmStats.usedHeapAfterGc();

    long[] marks = new long[3];
    steps.run("restart on the same data and read " + lastPath, () -> {
      marks[0] = System.nanoTime();
      server = RoostServer.start(config);
      marks[1] = System.nanoTime();
      ZooKeeper zk = BenchClients.connect(server.connectString(HOST), CONNECT_WAIT);
      clients.add(zk);
      Stat after = new Stat();
      byte[] readBack = zk.getData(lastPath, false, after);
      marks[2] = System.nanoTime();
      if (!Arrays.equals(lastData, readBack) || !before.equals(after)) {
        throw new IllegalStateException(lastPath + " changed across the restart: " + before
            + " became " + after);
      }
    });
    long countStarted = System.nanoTime();
    int counted = clients.get(0).getAllChildrenNumber("/");
    double countMs = (System.nanoTime() - countStarted) / 1e6;
    report.add("restart", "stop_ms", "server stop (close)", stopMs, "ms")
        .add("restart", "start_ms", "RoostServer.start(): recovery + ports", (marks[1] - marks[0]) / 1e6,
            "ms")
        .add("restart", "first_read_ms", "start() call to first read served",
            (marks[2] - marks[0]) / 1e6, "ms")
        .add("restart", "nodes_expected", "nodes below / expected", expectedNodes, "")
        .add("restart", "nodes_counted", "nodes below / after restart", counted, "")
        .add("restart", "count_all_ms", "getAllChildrenNumber(\"/\") round trip", countMs, "ms");
    if (counted != expectedNodes) {
      throw new IllegalStateException("the restarted server holds " + counted
          + " nodes below /, expected " + expectedNodes + ": nodes were lost or invented");
    }
    long heap = JvmStats.usedHeapAfterGc();
    report.add("restart", "heap_after_restart_mib",
            "heap used after restart: server+1 client (approx.)", heap / MIB, "MiB")
        .add("restart", "heap_server_mib", "  minus heap before the server (approx.)",
            (heap - heapBefore) / MIB, "MiB");
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
    return AdminMetrics.value(after, name) - AdminMetrics.value(before, name);
  }

  /** A per-fsync mean times the fsync count: the total it averages. */
  private static double total(Map<String, Double> scrape, String meanPerFsync) {
    return AdminMetrics.value(scrape, meanPerFsync) * AdminMetrics.value(scrape, FSYNCS);
  }

  private static Path newestSnapshot(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("snapshots"))) {
      Optional<Path> newest = files
          .filter(f -> f.getFileName().toString().matches("snapshot\\.[0-9a-f]+"))
          .max(Comparator.comparing(f -> f.getFileName().toString()));
      return newest.orElseThrow(() -> new IllegalStateException(
          "no snapshot file in " + dataDir.resolve("snapshots")));
    }
  }

  private Path writeJson(LocalDateTime started) throws IOException {
    Files.createDirectories(options.out());
    Path file = options.out().resolve("storage-"
        + started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)) + ".json");
    Files.writeString(file, report.json());
    return file;
  }

  private void closeClients() {
    for (ZooKeeper zk : clients) {
      BenchClients.close(zk);
    }
    clients.clear();
  }

  private void closeServerQuietly() {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (RuntimeException e) {
      System.err.println("roost bench storage: stopping the server failed: " + e.getMessage());
    }
    server = null;
  }

}

package io.roost.bench.scale;

import io.roost.bench.stats.BenchMain;
import io.roost.bench.failover.JvmEnsemble;
import io.roost.bench.failover.ZooKeeperEnsemble;
import io.roost.bench.stats.Report;
import io.roost.bench.stats.Steps;
import io.roost.bench.storage.AdminMetrics;
import io.roost.bench.storage.BenchClients;
import io.roost.bench.storage.CreateLoad;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The scale rows of issue 6 on one Apache ZooKeeper server and one Roost server (separate JVMs,
 * same heap, G1, fsync on, snapCount 100000), one after the other, measured the same way: heap
 * per node after loading N nodes, restart time with them, the time of the last snapshot the load
 * triggered, and memory per watch with one data watch per node. A single server per system keeps
 * two 1M-node JVMs (and the client's) within a small machine. See {@link ScaleOptions#USAGE}.
 */
public final class ScaleBench implements BenchMain.Run {
  private static final String ROOT = "/scale";
  private static final int TICK_TIME_MS = 2_000;
  private static final int IN_FLIGHT_PER_CLIENT = 1_000;
  private static final int LOAD_CLIENTS = 4;
  private static final Duration CONNECT_WAIT = Duration.ofSeconds(60);
  private static final Duration STALL = Duration.ofSeconds(120);
  private static final Duration RESTART_LIMIT = Duration.ofMinutes(10);
  /** One restart probe's connection wait: the restart time's resolution. */
  private static final Duration PROBE_WAIT = Duration.ofMillis(200);
  /** Both systems' default snapCount: transactions between snapshots. */
  private static final int SNAP_COUNT = 100_000;
  private static final int SNAPSHOT_SLACK = 10_000;
  private static final Duration SNAPSHOT_LIMIT = Duration.ofMinutes(5);
  private static final long SNAPSHOT_POLL_MS = 100;
  /** ZooKeeper's snapshot timing line is INFO; the bench's logger config shows WARN and up. */
  static final String ZK_SNAPSHOT_LOG_LEVEL =
      "-Dorg.slf4j.simpleLogger.log.org.apache.zookeeper.server.ZooKeeperServer=info";
  private static final Pattern ZK_SNAPSHOT = Pattern.compile("Snapshot taken in (\\d+) ms");

  /** What one system gave. */
  private record Figures(double heapPerNode, double restartMs, double snapshotMs,
      double bytesPerWatch, double loadPerSecond) {}

  private final ScaleOptions options;
  private final Steps steps = new Steps("scale", System.out);

  private ScaleBench(ScaleOptions options) {
    this.options = options;
  }

  /**
   * Runs the benchmark; exits 0 on success, 1 on a failure, 2 on bad options.
   *
   * @param args see {@link ScaleOptions#USAGE}
   */
  public static void main(String[] args) {
    BenchMain.main("scale", args, ScaleOptions::parse, ScaleOptions::help,
        ScaleOptions.USAGE, ScaleBench::new);
  }

  @Override
  public void run() throws Exception {
    LocalDateTime started = LocalDateTime.now();
    Path dir = Files.createTempDirectory("roost-bench-scale-");
    List<String> jvm = List.of("-Xmx" + options.serverHeap(), "-XX:+UseG1GC");
    say("%,d nodes of %d bytes, server %s; files in %s", options.nodes(),
        options.dataBytes(), String.join(" ", jvm), dir);
    boolean passed = false;
    Figures zk;
    Figures roost;
    String zkName;
    String roostName;
    try {
      List<String> zkJvm = new ArrayList<>(jvm);
      zkJvm.add(ZK_SNAPSHOT_LOG_LEVEL);
      try (ZooKeeperEnsemble server = new ZooKeeperEnsemble(dir.resolve("zookeeper"), 1,
          TICK_TIME_MS, zkJvm)) {
        zkName = server.name();
        zk = measure(server, new SnapshotProbe() {
          @Override
          public long count() throws IOException {
            return zooKeeperSnapshots(server.log(1)).size();
          }

          @Override
          public double lastMillis(int nodes) throws IOException {
            List<Double> all = zooKeeperSnapshots(server.log(1));
            return all.get(all.size() - 1);
          }
        });
      }
      try (RoostScaleServer server = new RoostScaleServer(dir.resolve("roost"), TICK_TIME_MS,
          jvm)) {
        roostName = server.name();
        AdminMetrics metrics = new AdminMetrics(server.adminPort());
        roost = measure(server, new SnapshotProbe() {
          @Override
          public long count() throws IOException, InterruptedException {
            return (long) AdminMetrics.value(metrics.scrape(), "roost_snapshots");
          }

          @Override
          public double lastMillis(int nodes) throws IOException, InterruptedException {
            Map<String, Double> scrape = metrics.scrape();
            double inSnapshot = AdminMetrics.value(scrape, "roost_snapshot_nodes");
            if (inSnapshot < nodes) {
              throw new IllegalStateException("Roost's last snapshot holds " + inSnapshot
                  + " nodes, not the " + nodes + " loaded");
            }
            return AdminMetrics.value(scrape, "roost_snapshot_write_ms")
                + AdminMetrics.value(scrape, "roost_snapshot_stall_ms");
          }
        });
      }
      passed = true;
    } finally {
      if (passed && !options.keep()) {
        BenchMain.deleteTree("scale", dir);
      } else {
        System.err.println("roost bench scale: the servers' files and logs are kept in " + dir);
      }
    }
    List<ScaleRow> rows = List.of(
        new ScaleRow(ScaleRow.HEAP_PER_NODE, "heap per node (" + options.dataBytes()
            + "-byte data)", "bytes", zk.heapPerNode(), roost.heapPerNode()),
        new ScaleRow("restart", "restart to first read", "ms", zk.restartMs(),
            roost.restartMs()),
        new ScaleRow("snapshot", "snapshot of the loaded tree", "ms", zk.snapshotMs(),
            roost.snapshotMs()),
        new ScaleRow("memory_per_watch", "heap per data watch", "bytes", zk.bytesPerWatch(),
            roost.bytesPerWatch()));
    write(started, zkName, roostName, zk, roost, rows);
  }

  /** What a system tells of its snapshots. */
  private interface SnapshotProbe {
    /** Snapshots taken so far. */
    long count() throws IOException, InterruptedException;

    /** How long the last one took, in ms; it must hold at least {@code nodes} nodes. */
    double lastMillis(int nodes) throws IOException, InterruptedException;
  }

  private Figures measure(JvmEnsemble server, SnapshotProbe snapshot) throws Exception {
    String name = server.name();
    say("%s: starting", name);
    // Ctrl-C or an exit elsewhere must not leave a 4 GiB server JVM behind.
    Thread killServer = new Thread(server::close, "scale-kill-server");
    Runtime.getRuntime().addShutdownHook(killServer);
    server.start(1);
    byte[] data = new byte[options.dataBytes()];
    Arrays.fill(data, (byte) 'x');
    List<ZooKeeper> clients = new ArrayList<>();
    try {
      for (int c = 0; c < LOAD_CLIENTS; c++) {
        clients.add(BenchClients.connect(server.connectString(), CONNECT_WAIT));
      }
      long empty = HeapUsage.liveBytes(server.pid(1));
      say("%s: live heap empty %,d bytes; loading %,d nodes", name, empty, options.nodes());
      clients.get(0).create(ROOT, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
      CreateLoad.Result load = new CreateLoad(clients, IN_FLIGHT_PER_CLIENT, STALL)
          .run(options.nodes(), ScaleBench::path, data);
      long loaded = HeapUsage.liveBytes(server.pid(1));
      double perNode = (double) (loaded - empty) / options.nodes();
      say("%s: %,.0f creates/s; live heap %,d bytes: %,.1f bytes per node", name,
          load.perSecond(), loaded, perNode);
      double snapshotMs = snapshotOfLoadedTree(clients, snapshot, data);
      say("%s: snapshot of the loaded tree took %,.0f ms", name, snapshotMs);
      closeAll(clients);

      server.kill(1);
      long t0 = System.nanoTime();
      server.start(1);
      double restartMs = firstRead(server.connectString(), path(options.nodes() - 1), t0);
      say("%s: restart to first read %,.0f ms", name, restartMs);

      for (int c = 0; c < options.watchSessions(); c++) {
        clients.add(BenchClients.connect(server.connectString(), CONNECT_WAIT));
      }
      long beforeWatches = HeapUsage.liveBytes(server.pid(1));
      watchAll(clients);
      long watched = HeapUsage.liveBytes(server.pid(1));
      double perWatch = (double) (watched - beforeWatches) / options.nodes();
      say("%s: %,d data watches over %d sessions: %,.1f bytes per watch", name,
          options.nodes(), clients.size(), perWatch);
      return new Figures(perNode, restartMs, snapshotMs, perWatch, load.perSecond());
    } finally {
      closeAll(clients);
      server.close();
      Runtime.getRuntime().removeShutdownHook(killServer);
    }
  }

  private void say(String format, Object... args) {
    steps.note(String.format(Locale.ROOT, format, args));
  }

  private static String path(int i) {
    return ROOT + "/n" + i;
  }

  /**
   * Milliseconds from {@code t0} until a fresh client connects and reads {@code path}; each
   * attempt is a new client, so no reconnection back-off of the client's blurs the time.
   */
  private static double firstRead(String connectString, String path, long t0)
      throws InterruptedException, IOException {
    long deadline = t0 + RESTART_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      ZooKeeper zk = null;
      try {
        zk = BenchClients.connect(connectString, PROBE_WAIT);
        CountDownLatch read = new CountDownLatch(1);
        AtomicReference<Integer> rc = new AtomicReference<>();
        zk.getData(path, false, (code, p, ctx, d, stat) -> {
          rc.set(code);
          read.countDown();
        }, null);
        if (read.await(STALL.toMillis(), TimeUnit.MILLISECONDS)
            && rc.get() == KeeperException.Code.OK.intValue()) {
          return (System.nanoTime() - t0) / 1e6;
        }
      } catch (IllegalStateException notYet) {
        // Not serving yet: try again with a new client.
      } finally {
        BenchClients.close(zk);
      }
    }
    throw new IllegalStateException("no read of " + path + " within " + RESTART_LIMIT
        + " of the restart");
  }

  /** One data watch per node, spread round-robin over {@code clients}, asynchronously. */
  private void watchAll(List<ZooKeeper> clients) throws InterruptedException {
    int k = clients.size();
    Semaphore[] permits = new Semaphore[k];
    for (int c = 0; c < k; c++) {
      permits[c] = new Semaphore(IN_FLIGHT_PER_CLIENT);
    }
    AtomicReference<String> failure = new AtomicReference<>();
    for (int i = 0; i < options.nodes() && failure.get() == null; i++) {
      int c = i % k;
      acquire(permits[c], 1);
      clients.get(c).getData(path(i), true, (rc, p, ctx, d, stat) -> {
        if (rc != KeeperException.Code.OK.intValue()) {
          failure.compareAndSet(null, p + ": " + KeeperException.Code.get(rc));
        }
        permits[c].release();
      }, null);
    }
    for (int c = 0; c < k; c++) {
      acquire(permits[c], IN_FLIGHT_PER_CLIENT);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("setting watches stopped: " + failure.get());
    }
  }

  private static void acquire(Semaphore permits, int n) throws InterruptedException {
    if (!permits.tryAcquire(n, STALL.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("no reply within " + STALL + "; is the server stuck?");
    }
  }

  /**
   * Triggers a snapshot of the loaded tree the way both systems take them in service: setData
   * writes (on the loaded nodes, round-robin) until {@code snapCount} (100,000 on both) more
   * transactions have been logged, then waits for the snapshot to finish.
   *
   * @return the snapshot's time as the system reports it
   */
  private double snapshotOfLoadedTree(List<ZooKeeper> clients, SnapshotProbe snapshot,
      byte[] data) throws IOException, InterruptedException {
    long before = snapshot.count();
    int k = clients.size();
    Semaphore[] permits = new Semaphore[k];
    for (int c = 0; c < k; c++) {
      permits[c] = new Semaphore(IN_FLIGHT_PER_CLIENT);
    }
    AtomicReference<String> failure = new AtomicReference<>();
    long deadline = System.nanoTime() + SNAPSHOT_LIMIT.toNanos();
    for (int i = 0; i < SNAP_COUNT + SNAPSHOT_SLACK && failure.get() == null; i++) {
      if (i % 1_000 == 0 && snapshot.count() > before) {
        break;
      }
      int c = i % k;
      acquire(permits[c], 1);
      clients.get(c).setData(path(i % options.nodes()), data, -1, (rc, p, ctx, stat) -> {
        if (rc != KeeperException.Code.OK.intValue()) {
          failure.compareAndSet(null, p + ": " + KeeperException.Code.get(rc));
        }
        permits[c].release();
      }, null);
    }
    for (int c = 0; c < k; c++) {
      acquire(permits[c], IN_FLIGHT_PER_CLIENT);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("writing towards a snapshot stopped: " + failure.get());
    }
    while (snapshot.count() <= before) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no snapshot within " + SNAPSHOT_LIMIT + " and "
            + (SNAP_COUNT + SNAPSHOT_SLACK) + " writes after the load");
      }
      Thread.sleep(SNAPSHOT_POLL_MS);
    }
    return snapshot.lastMillis(options.nodes());
  }

  /** Every {@code Snapshot taken in N ms} ZooKeeper logged, oldest first, in ms. */
  static List<Double> zooKeeperSnapshots(Path log) throws IOException {
    List<Double> all = new ArrayList<>();
    Matcher m = ZK_SNAPSHOT.matcher(Files.readString(log, StandardCharsets.UTF_8));
    while (m.find()) {
      all.add(Double.parseDouble(m.group(1)));
    }
    return all;
  }

  private void write(LocalDateTime started, String zkName, String roostName, Figures zk,
      Figures roost, List<ScaleRow> rows) throws IOException {
    Report report = new Report();
    report.add("run", "nodes", "nodes", options.nodes(), "")
        .add("run", "data_bytes", "data per node", options.dataBytes(), "bytes")
        .add("run", "server_heap", "server heap", options.serverHeap())
        .add("run", "servers", "servers per system", "1 (standalone), separate JVM, G1, fsync on")
        .add("run", "zookeeper", "ZooKeeper", zkName)
        .add("run", "roost", "Roost", roostName)
        .add("load", "zookeeper_creates_per_s", "ZooKeeper creates/s", zk.loadPerSecond(), "/s")
        .add("load", "roost_creates_per_s", "Roost creates/s", roost.loadPerSecond(), "/s");
    for (ScaleRow r : rows) {
      report.add(r.key(), "zookeeper", "Apache ZooKeeper", r.zookeeper(), r.unit())
          .add(r.key(), "roost", "Roost", r.roost(), r.unit())
          .add(r.key(), "ratio", "Roost/ZooKeeper", r.ratio(), "x");
    }
    report.add("targets", "heap_per_node", "heap per node <= 0.5x ZooKeeper's",
        ScaleRow.heapTarget(rows));
    System.out.println();
    System.out.print(report.table());
    System.out.println();
    String md = ScaleRow.markdown(rows) + "\nheap per node <= 0.5x ZooKeeper's: "
        + ScaleRow.heapTarget(rows) + "\n";
    System.out.print(md);
    Files.createDirectories(options.out());
    String stamp = started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path json = options.out().resolve("scale-" + stamp + ".json");
    Files.writeString(json, report.json(), StandardCharsets.UTF_8);
    Files.writeString(options.out().resolve("scale-" + stamp + ".md"), md,
        StandardCharsets.UTF_8);
    System.out.println("written: " + json + " and scale-" + stamp + ".md");
  }

  private static void closeAll(List<ZooKeeper> clients) {
    for (ZooKeeper zk : clients) {
      BenchClients.close(zk);
    }
    clients.clear();
  }

}

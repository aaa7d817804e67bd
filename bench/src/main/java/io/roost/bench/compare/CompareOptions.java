package io.roost.bench.compare;

import static io.roost.bench.stats.OptionValues.intValue;
import static io.roost.bench.stats.OptionValues.value;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The comparison benchmark's options. Later options override earlier ones, so a launcher can put
 * defaults first; {@code --quick} sets short rounds and one round, and options after it override
 * those.
 *
 * @param rounds how many rounds; each round runs every workload on ZooKeeper, then on Roost
 * @param measure how long each throughput or latency workload is measured
 * @param warmup how long a freshly started ensemble is loaded before anything is measured
 * @param lockContenders how many clients contend for the lock
 * @param kills leader kills per system and round (0: no failover rows)
 * @param tickTimeMs both ensembles' tickTime
 * @param serverHeap both ensembles' server heap, as for {@code -Xmx} (e.g. {@code 1g})
 * @param out where the JSON and the SVG chart go
 * @param keep whether the servers' directories and logs are kept after a successful run
 * @param only the workload groups to run (see {@link #GROUPS}); all of them by default
 * @param serverJvmOptions extra options for every server JVM of both systems, after the heap
 *     (e.g. {@code -XX:StartFlightRecording=...}); each server runs in its own directory
 * @param help whether only the usage was asked for
 */
public record CompareOptions(int rounds, Duration measure, Duration warmup, int lockContenders,
    int kills, int tickTimeMs, String serverHeap, Path out, boolean keep, Set<String> only,
    List<String> serverJvmOptions, boolean help) {
  /** Workload groups {@code --only} accepts, in the order a round runs them. */
  public static final List<String> GROUPS = List.of("setData", "create", "getData", "mix",
      "single", "queue", "lock", "failover");
  /** Rounds by default. */
  public static final int DEFAULT_ROUNDS = 3;
  /** Seconds each workload is measured by default. */
  public static final int DEFAULT_MEASURE_S = 10;
  /** Seconds of warm-up after each ensemble start by default. */
  public static final int DEFAULT_WARMUP_S = 5;
  /** Seconds each workload is measured with {@code --quick}. */
  public static final int QUICK_MEASURE_S = 3;
  /** Seconds of warm-up with {@code --quick}. */
  public static final int QUICK_WARMUP_S = 2;
  /** Lock contenders, as the issue asks. */
  public static final int DEFAULT_CONTENDERS = 8;
  /** Leader kills per system and round by default. */
  public static final int DEFAULT_KILLS = 1;
  /** tickTime by default: ZooKeeper's sample configuration, as the failover benchmark. */
  public static final int DEFAULT_TICK_TIME_MS = 2_000;
  /** Server heap by default: bin/roost ensemble's. */
  public static final String DEFAULT_SERVER_HEAP = "1g";
  private static final int MAX_ROUNDS = 100;
  private static final int MAX_SECONDS = 3_600;

  /** What {@code --help} prints. */
  public static final String USAGE = String.join("\n",
      "Usage: bin/roost bench compare [OPTIONS]",
      "",
      "Runs the same workloads with the official ZooKeeper client against a 3-server Apache",
      "ZooKeeper ensemble and a 3-server Roost ensemble (separate JVMs on 127.0.0.1, fsync on,",
      "same heap and tickTime), one system at a time: each round starts ZooKeeper, warms it up,",
      "measures, stops it, then does the same with Roost. Prints a table with the Roost/ZooKeeper",
      "ratio per row and writes compare-<time>.json and compare-<time>.svg.",
      "",
      "Options:",
      "  --rounds R          rounds (default " + DEFAULT_ROUNDS + ")",
      "  --seconds S         seconds per measured workload (default " + DEFAULT_MEASURE_S + ")",
      "  --warmup S          seconds of warm-up after each start (default " + DEFAULT_WARMUP_S + ")",
      "  --quick             1 round, " + QUICK_MEASURE_S + " s per workload, " + QUICK_WARMUP_S
          + " s warm-up",
      "  --contenders N      lock contenders (default " + DEFAULT_CONTENDERS + ")",
      "  --kills K           leader kills per system and round, 0 for none (default "
          + DEFAULT_KILLS + ")",
      "  --tick-time MS      both ensembles' tickTime (default " + DEFAULT_TICK_TIME_MS + ")",
      "  --server-heap SIZE  both ensembles' -Xmx (default " + DEFAULT_SERVER_HEAP + ")",
      "  --out DIR           where the JSON and SVG go (default bench/results)",
      "  --keep              keep the servers' directories and logs (kept anyway on failure)",
      "  --only G,G,...      run only these workload groups: " + String.join(", ", GROUPS),
      "  --server-jvm-opts S extra options (space-separated) for every server JVM, e.g.",
      "                      '-XX:StartFlightRecording=delay=20s,duration=10s,filename=s.jfr'",
      "                      (each server runs in its own directory; see --keep)",
      "  --help              print this help",
      "");

  /** Checks the values. */
  public CompareOptions {
    if (rounds < 1 || rounds > MAX_ROUNDS) {
      throw new IllegalArgumentException("--rounds " + rounds + " is out of range (1 to "
          + MAX_ROUNDS + ")");
    }
    if (measure.isNegative() || measure.isZero() || measure.toSeconds() > MAX_SECONDS) {
      throw new IllegalArgumentException("--seconds " + measure.toSeconds()
          + " is out of range (1 to " + MAX_SECONDS + ")");
    }
    if (warmup.isNegative() || warmup.toSeconds() > MAX_SECONDS) {
      throw new IllegalArgumentException("--warmup " + warmup.toSeconds()
          + " is out of range (0 to " + MAX_SECONDS + ")");
    }
    if (lockContenders < 1 || lockContenders > 256) {
      throw new IllegalArgumentException("--contenders " + lockContenders
          + " is out of range (1 to 256)");
    }
    if (kills < 0 || kills > 100) {
      throw new IllegalArgumentException("--kills " + kills + " is out of range (0 to 100)");
    }
    if (tickTimeMs < 1) {
      throw new IllegalArgumentException("--tick-time " + tickTimeMs + " is not a positive"
          + " number of milliseconds");
    }
    if (serverHeap == null || !serverHeap.matches("[1-9][0-9]*[kKmMgG]?")) {
      throw new IllegalArgumentException("--server-heap " + serverHeap + " is not a heap size"
          + " such as 512m or 1g");
    }
    if (out == null) {
      throw new IllegalArgumentException("--out needs a directory");
    }
    if (only == null || only.isEmpty()) {
      throw new IllegalArgumentException("--only needs at least one of " + GROUPS);
    }
    for (String g : only) {
      if (!GROUPS.contains(g)) {
        throw new IllegalArgumentException("--only " + g + " is not a workload group (one of "
            + String.join(", ", GROUPS) + ")");
      }
    }
    only = Set.copyOf(only);
    serverJvmOptions = List.copyOf(serverJvmOptions);
  }

  /**
   * Whether a workload group runs.
   *
   * @param group one of {@link #GROUPS}
   * @return whether {@code --only} left it in (always, without {@code --only})
   */
  public boolean runs(String group) {
    return only.contains(group);
  }

  /**
   * Reads the command line.
   *
   * @param args the arguments after {@code bench compare}
   * @return the options, the defaults filled in
   * @throws IllegalArgumentException naming the option that is unknown, lacks a value or has a
   *     bad one
   */
  public static CompareOptions parse(String... args) {
    int rounds = DEFAULT_ROUNDS;
    int measure = DEFAULT_MEASURE_S;
    int warmup = DEFAULT_WARMUP_S;
    int contenders = DEFAULT_CONTENDERS;
    int kills = DEFAULT_KILLS;
    int tickTime = DEFAULT_TICK_TIME_MS;
    String heap = DEFAULT_SERVER_HEAP;
    Path out = Path.of("bench", "results");
    boolean keep = false;
    Set<String> only = new LinkedHashSet<>(GROUPS);
    List<String> jvmOptions = new ArrayList<>();
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--rounds" -> rounds = intValue(arg, value(args, ++i, arg));
        case "--seconds" -> measure = intValue(arg, value(args, ++i, arg));
        case "--warmup" -> warmup = intValue(arg, value(args, ++i, arg));
        case "--quick" -> {
          rounds = 1;
          measure = QUICK_MEASURE_S;
          warmup = QUICK_WARMUP_S;
        }
        case "--contenders" -> contenders = intValue(arg, value(args, ++i, arg));
        case "--kills" -> kills = intValue(arg, value(args, ++i, arg));
        case "--tick-time" -> tickTime = intValue(arg, value(args, ++i, arg));
        case "--server-heap" -> heap = value(args, ++i, arg);
        case "--out" -> out = Path.of(value(args, ++i, arg));
        case "--keep" -> keep = true;
        case "--only" -> only = new LinkedHashSet<>(Arrays.stream(value(args, ++i, arg)
            .split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList());
        case "--server-jvm-opts" -> jvmOptions = Arrays.stream(value(args, ++i, arg).trim()
            .split("\\s+")).filter(o -> !o.isEmpty()).toList();
        case "--help", "-h" -> help = true;
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    return new CompareOptions(rounds, Duration.ofSeconds(measure), Duration.ofSeconds(warmup),
        contenders, kills, tickTime, heap, out, keep, only, jvmOptions, help);
  }
}

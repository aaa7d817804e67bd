package io.roost.bench.scale;

import static io.roost.bench.stats.OptionValues.intValue;
import static io.roost.bench.stats.OptionValues.value;

import java.nio.file.Path;

/**
 * The scale benchmark's options. Later options override earlier ones, so a launcher can put
 * defaults first.
 *
 * @param nodes how many nodes of {@code dataBytes} each are loaded (and watched)
 * @param dataBytes each node's data size
 * @param serverHeap each server's heap, as for {@code -Xmx} (e.g. {@code 4g})
 * @param watchSessions how many sessions share the watches (one data watch per node in all)
 * @param out where the JSON and Markdown go
 * @param keep whether the servers' directories and logs are kept after a successful run
 * @param help whether only the usage was asked for
 */
public record ScaleOptions(int nodes, int dataBytes, String serverHeap, int watchSessions,
    Path out, boolean keep, boolean help) {
  /** Nodes by default, as issue 6 asks. */
  public static final int DEFAULT_NODES = 1_000_000;
  /** Bytes of data per node by default, as issue 6 asks. */
  public static final int DEFAULT_DATA_BYTES = 100;
  /** Server heap by default: room for 1M nodes and 1M watches on either system. */
  public static final String DEFAULT_SERVER_HEAP = "4g";
  /** Sessions holding the watches by default. */
  public static final int DEFAULT_WATCH_SESSIONS = 4;
  /** Nodes with {@code --quick}. */
  public static final int QUICK_NODES = 100_000;
  private static final int MAX_NODES = 10_000_000;
  private static final int MAX_DATA_BYTES = 1 << 20;
  private static final int MAX_SESSIONS = 1_000;

  /** What {@code --help} prints. */
  public static final String USAGE = String.join("\n",
      "Usage: bin/roost bench scale [OPTIONS]",
      "",
      "Starts one Apache ZooKeeper server, then one Roost server (separate JVMs on 127.0.0.1,",
      "fsync on, same heap, G1), and on each: loads N nodes with async creates from the official",
      "client, forces a full GC in the server JVM (jcmd GC.run) and reads its live heap",
      "(jcmd GC.heap_info); kills it and times the restart until a client reads a node; sets one",
      "data watch per node from several sessions and reads the live heap again. Prints heap per",
      "node, restart time and memory per watch for both systems with the Roost/ZooKeeper ratio",
      "and writes scale-<time>.json and scale-<time>.md.",
      "",
      "Options:",
      "  --nodes N           nodes to load and watch (default " + DEFAULT_NODES + ")",
      "  --data-bytes B      bytes of data per node (default " + DEFAULT_DATA_BYTES + ")",
      "  --server-heap SIZE  each server's -Xmx (default " + DEFAULT_SERVER_HEAP + ")",
      "  --watch-sessions K  sessions sharing the watches (default " + DEFAULT_WATCH_SESSIONS + ")",
      "  --quick             " + QUICK_NODES + " nodes",
      "  --out DIR           where results go (default bench/results)",
      "  --keep              keep the servers' files and logs",
      "  --help              print this and exit",
      "");

  /**
   * Parses the command line.
   *
   * @throws IllegalArgumentException naming the option that is wrong
   */
  public static ScaleOptions parse(String[] args) {
    int nodes = DEFAULT_NODES;
    int dataBytes = DEFAULT_DATA_BYTES;
    String heap = DEFAULT_SERVER_HEAP;
    int sessions = DEFAULT_WATCH_SESSIONS;
    Path out = Path.of("bench", "results");
    boolean keep = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--nodes" -> nodes = bounded(a, value(args, ++i, a), 1, MAX_NODES);
        case "--data-bytes" -> dataBytes = bounded(a, value(args, ++i, a), 0, MAX_DATA_BYTES);
        case "--server-heap" -> heap = heapSize(value(args, ++i, a));
        case "--watch-sessions" -> sessions = bounded(a, value(args, ++i, a), 1, MAX_SESSIONS);
        case "--quick" -> nodes = QUICK_NODES;
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--keep" -> keep = true;
        case "--help", "-h" -> help = true;
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new ScaleOptions(nodes, dataBytes, heap, sessions, out, keep, help);
  }

  private static int bounded(String option, String text, int min, int max) {
    int v = intValue(option, text);
    if (v < min || v > max) {
      throw new IllegalArgumentException(option + " " + text + " is out of range (" + min + "-"
          + max + ")");
    }
    return v;
  }

  private static String heapSize(String text) {
    if (!text.matches("\\d+[kKmMgG]")) {
      throw new IllegalArgumentException("--server-heap " + text
          + " is not a heap size such as 512m or 4g");
    }
    return text;
  }
}

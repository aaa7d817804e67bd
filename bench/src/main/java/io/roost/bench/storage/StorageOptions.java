package io.roost.bench.storage;

import static io.roost.bench.stats.OptionValues.intValue;
import static io.roost.bench.stats.OptionValues.value;

import java.nio.file.Path;

/**
 * The storage benchmark's options. Later options override earlier ones, so a launcher can put
 * defaults first; {@code --quick} is short for {@code --nodes 100000}.
 *
 * @param nodes how many nodes to load
 * @param dataBytes bytes of data in each node
 * @param out where the JSON result goes
 * @param help whether only the usage was asked for
 */
public record StorageOptions(int nodes, int dataBytes, Path out, boolean help) {
  /** Nodes loaded by default. */
  public static final int DEFAULT_NODES = 1_000_000;
  /** Nodes loaded with {@code --quick}. */
  public static final int QUICK_NODES = 100_000;
  /** Data per node by default. */
  public static final int DEFAULT_DATA_BYTES = 100;
  /** Largest data per node: a request must fit ZooKeeper's default jute.maxbuffer (1 MiB - 1). */
  public static final int MAX_DATA_BYTES = 1_000_000;

  /** What {@code --help} prints. */
  public static final String USAGE = String.join("\n",
      "Usage: bin/roost bench storage [OPTIONS]",
      "",
      "Loads nodes into an in-process durable Roost server (fsync on), then measures a snapshot",
      "under a steady write load and a restart on the same data.",
      "",
      "Options:",
      "  --nodes N         nodes to load (default " + DEFAULT_NODES + ")",
      "  --data-bytes B    bytes of data per node (default " + DEFAULT_DATA_BYTES + ")",
      "  --quick           same as --nodes " + QUICK_NODES,
      "  --out DIR         where storage-<time>.json goes (default bench/results)",
      "  --help            print this help",
      "");

  /** Checks the values. */
  public StorageOptions {
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes " + nodes + " is not a positive count");
    }
    if (dataBytes < 0 || dataBytes > MAX_DATA_BYTES) {
      throw new IllegalArgumentException("--data-bytes " + dataBytes + " is out of range (0 to "
          + MAX_DATA_BYTES + ")");
    }
    if (out == null) {
      throw new IllegalArgumentException("--out needs a directory");
    }
  }

  /**
   * Reads the command line.
   *
   * @param args the arguments after {@code bench storage}
   * @return the options, the defaults filled in
   * @throws IllegalArgumentException naming the option that is unknown, lacks a value or has a
   *     bad one
   */
  public static StorageOptions parse(String... args) {
    int nodes = DEFAULT_NODES;
    int dataBytes = DEFAULT_DATA_BYTES;
    Path out = Path.of("bench", "results");
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--nodes" -> nodes = intValue(arg, value(args, ++i, arg));
        case "--data-bytes" -> dataBytes = intValue(arg, value(args, ++i, arg));
        case "--quick" -> nodes = QUICK_NODES;
        case "--out" -> out = Path.of(value(args, ++i, arg));
        case "--help", "-h" -> help = true;
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    return new StorageOptions(nodes, dataBytes, out, help);
  }


}

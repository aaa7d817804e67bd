package io.roost.bench.failover;

import static io.roost.bench.stats.OptionValues.intValue;
import static io.roost.bench.stats.OptionValues.value;

import java.nio.file.Path;

/**
 * The failover benchmark's options. Later options override earlier ones, so a launcher can put
 * defaults first; {@code --quick} is short for {@code --kills 3}.
 *
 * @param kills how many times the leader is killed
 * @param tickTimeMs the servers' tickTime
 * @param out where the JSON result goes
 * @param keep whether the servers' directories and logs are kept after a successful run (they
 *     always are after a failed one)
 * @param help whether only the usage was asked for
 */
public record FailoverOptions(int kills, int tickTimeMs, Path out, boolean keep, boolean help) {
  /** Leader kills by default. */
  public static final int DEFAULT_KILLS = 10;
  /** Leader kills with {@code --quick}. */
  public static final int QUICK_KILLS = 3;
  /** The servers' tickTime by default: ZooKeeper's sample configuration. */
  public static final int DEFAULT_TICK_TIME_MS = 2_000;
  /** Most kills in one run (each takes seconds to tens of seconds). */
  public static final int MAX_KILLS = 1_000;

  /** What {@code --help} prints. */
  public static final String USAGE = String.join("\n",
      "Usage: bin/roost bench failover [OPTIONS]",
      "",
      "Starts a 3-server ensemble of separate JVMs on 127.0.0.1 (fsync on) and one official",
      "ZooKeeper client that writes without pause. Then, K times: kill -9 the leader, measure",
      "until a new leader reports Mode: leader and until the first write sent after the kill",
      "is acknowledged, restart the killed server and wait until it is back in sync.",
      "",
      "Options:",
      "  --kills K         leader kills (default " + DEFAULT_KILLS + ")",
      "  --quick           same as --kills " + QUICK_KILLS,
      "  --tick-time MS    the servers' tickTime (default " + DEFAULT_TICK_TIME_MS + ")",
      "  --out DIR         where failover-<time>.json goes (default bench/results)",
      "  --keep            keep the servers' directories and logs (kept anyway on failure)",
      "  --help            print this help",
      "");

  /** Checks the values. */
  public FailoverOptions {
    if (kills < 1 || kills > MAX_KILLS) {
      throw new IllegalArgumentException("--kills " + kills + " is out of range (1 to "
          + MAX_KILLS + ")");
    }
    if (tickTimeMs < 1) {
      throw new IllegalArgumentException("--tick-time " + tickTimeMs + " is not a positive"
          + " number of milliseconds");
    }
    if (out == null) {
      throw new IllegalArgumentException("--out needs a directory");
    }
  }

  /**
   * Reads the command line.
   *
   * @param args the arguments after {@code bench failover}
   * @return the options, the defaults filled in
   * @throws IllegalArgumentException naming the option that is unknown, lacks a value or has a
   *     bad one
   */
  public static FailoverOptions parse(String... args) {
    int kills = DEFAULT_KILLS;
    int tickTime = DEFAULT_TICK_TIME_MS;
    Path out = Path.of("bench", "results");
    boolean keep = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--kills" -> kills = intValue(arg, value(args, ++i, arg));
        case "--quick" -> kills = QUICK_KILLS;
        case "--tick-time" -> tickTime = intValue(arg, value(args, ++i, arg));
        case "--out" -> out = Path.of(value(args, ++i, arg));
        case "--keep" -> keep = true;
        case "--help", "-h" -> help = true;
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    return new FailoverOptions(kills, tickTime, out, keep, help);
  }


}

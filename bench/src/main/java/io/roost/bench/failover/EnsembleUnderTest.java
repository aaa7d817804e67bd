package io.roost.bench.failover;

import java.io.IOException;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The system a failover benchmark runs against: servers on 127.0.0.1 numbered from 1, each in its
 * own process, each of which can be killed with SIGKILL and started again on its own data.
 * {@link RoostEnsemble} runs Roost; an Apache ZooKeeper ensemble can implement the same interface
 * for a side-by-side run. The benchmark finds leaders and checks sync through the four-letter
 * word {@code srvr} on the client ports ({@link ServerProbe}), which both systems answer, so an
 * implementation only starts, kills and describes its servers.
 *
 * <p>Implementations are used from the benchmark's main thread, except {@link #close()}, which a
 * shutdown hook may call at any time and which must therefore be safe from any thread.
 */
public interface EnsembleUnderTest extends AutoCloseable {
  /** What runs, for the report, e.g. {@code Roost 0.1.0}. */
  String name();

  /**
   * The settings that shape failover (tick time, limits, fsync, JVM options), in the order the
   * report lists them.
   */
  Map<String, String> settings();

  /** How many servers there are; their ids are 1 to {@code size()}. */
  int size();

  /** The client port of server {@code id} on 127.0.0.1. */
  int clientPort(int id);

  /** The connect string naming every server, for the official client. */
  default String connectString() {
    StringJoiner all = new StringJoiner(",");
    for (int id = 1; id <= size(); id++) {
      all.add("127.0.0.1:" + clientPort(id));
    }
    return all.toString();
  }

  /**
   * Starts server {@code id} on whatever data it has (none the first time) and returns without
   * waiting for it to serve.
   *
   * @throws IllegalStateException if it is already running
   * @throws IOException if its files cannot be written or its process cannot be started
   */
  void start(int id) throws IOException;

  /**
   * Kills server {@code id} with SIGKILL (no shutdown code runs) and waits until its process is
   * gone.
   *
   * @throws IllegalStateException if it is not running, or survives the signal for 30 s
   */
  void kill(int id) throws InterruptedException;

  /** Whether server {@code id}'s process is running. */
  boolean isRunning(int id);

  /** The last {@code lines} lines of everything server {@code id} printed, for failure reports. */
  String logTail(int id, int lines);

  /** Kills every server still running and waits (bounded) for them to go. Idempotent. */
  @Override
  void close();
}

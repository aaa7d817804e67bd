package io.roost.server.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Roost server running {@code RoostMain server FILE} in its own JVM, for tests that must crash
 * it for real (SIGKILL) or watch it refuse to start. The configuration file, the data directory
 * and the server's combined stdout/stderr live in one directory; the client port is picked once
 * and kept across restarts, so clients of an earlier run reconnect to the next one by themselves.
 *
 * <p>Settings can be changed between runs with {@link #set}; they take effect at the next
 * {@link #start()}. {@link #close()} kills whatever is still running.
 */
final class ServerProcess implements AutoCloseable {
  /** How long a start may take until the server answers {@code ruok}. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  /** How long a process may take to exit after a signal, or to fail on its own. */
  static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
  /** How many lines of the server's output go into failure messages. */
  private static final int TAIL_LINES = 60;

  private final Path home;
  private final Path dataDir;
  private final Path configFile;
  private final Path logFile;
  private final int clientPort;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private Process process;
  private long runOutputStart;
  private int runs;
  /** The JVM's maximum heap, as {@code -Xmx} takes it. */
  private String maxHeap = "256m";

  /**
   * Prepares (but does not start) a server whose files live in {@code home}: {@code roost.cfg},
   * {@code data/} and {@code server.log}. Picks a free loopback port for clients; the admin HTTP
   * server is off and every four-letter word is allowed.
   */
  ServerProcess(Path home) throws IOException {
    this.home = Files.createDirectories(home);
    this.dataDir = Files.createDirectories(home.resolve("data"));
    this.configFile = home.resolve("roost.cfg");
    this.logFile = home.resolve("server.log");
    this.clientPort = freePort();
    settings.put("tickTime", "500");
    settings.put("dataDir", dataDir.toAbsolutePath().toString());
    settings.put("clientPortAddress", "127.0.0.1");
    settings.put("clientPort", Integer.toString(clientPort));
    settings.put("admin.enableServer", "false");
    settings.put("4lw.commands.whitelist", "*");
    settings.put("forceSync", "yes");
    settings.put("preAllocSize", "1024");
  }

  /** Sets the maximum heap of the next start ({@code -Xmx} syntax; 256m unless set). */
  ServerProcess maxHeap(String size) {
    this.maxHeap = size;
    return this;
  }

  /** A port nothing listens on right now: bind an ephemeral loopback port and release it. */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  /** Sets a zoo.cfg key for the next start (for example {@code snapCount} or {@code tickTime}). */
  ServerProcess set(String key, Object value) {
    settings.put(key, String.valueOf(value));
    return this;
  }

  /** The data directory (dataDir, which is also the dataLogDir). */
  Path dataDir() {
    return dataDir;
  }

  /** Where the transaction log segments are. */
  Path txnLogDir() {
    return dataDir.resolve("txnlog");
  }

  /** Where the snapshots are. */
  Path snapshotDir() {
    return dataDir.resolve("snapshots");
  }

  /** The client port, the same for every run. */
  int clientPort() {
    return clientPort;
  }

  /** The connect string for the official client. */
  String connectString() {
    return "127.0.0.1:" + clientPort;
  }

  /** True while a started process has not exited. */
  boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Writes the configuration file and launches the server JVM; returns at once (see
   * {@link #awaitReady()}). Fails if a process of this server is still running.
   */
  ServerProcess start() throws IOException {
    if (isRunning()) {
      throw new IllegalStateException("the server process " + process.pid() + " still runs");
    }
    StringBuilder cfg = new StringBuilder("# written by ServerProcess for a test\n");
    settings.forEach((k, v) -> cfg.append(k).append('=').append(v).append('\n'));
    Files.writeString(configFile, cfg, StandardCharsets.UTF_8);
    runs++;
    Files.writeString(logFile, "==== run " + runs + ": " + settings + "\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    runOutputStart = Files.size(logFile);
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-Xmx" + maxHeap);
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.roost.server.RoostMain");
    command.add("server");
    command.add(configFile.toAbsolutePath().toString());
    process = new ProcessBuilder(command)
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
    return this;
  }

  private static String javaBinary() {
    Path bin = Path.of(System.getProperty("java.home"), "bin", "java");
    if (Files.isExecutable(bin)) {
      return bin.toString();
    }
    return ProcessHandle.current().info().command()
        .orElseThrow(() -> new IllegalStateException("cannot find the java launcher"));
  }

  /**
   * Waits until the server answers {@code ruok} with {@code imok}, failing (with the server's
   * output) if the process exits first or {@link #READY_TIMEOUT} passes.
   */
  ServerProcess awaitReady() {
    Process p = requireStarted();
    try {
      await().atMost(READY_TIMEOUT)
          .pollDelay(Duration.ofMillis(100))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(() -> {
            if (!p.isAlive()) {
              throw new IllegalStateException("the server exited with status " + p.exitValue()
                  + " before it was ready" + outputTail());
            }
            return "imok".equals(fourLetterWord("ruok"));
          });
    } catch (ConditionTimeoutException e) {
      fail("the server did not answer ruok on " + connectString() + " within " + READY_TIMEOUT
          + outputTail(), e);
    }
    return this;
  }

  /** Kills the server with SIGKILL (no shutdown hook runs) and waits until it is gone. */
  void kill9() throws InterruptedException {
    Process p = requireStarted();
    p.destroyForcibly();
    assertTrue(p.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
        "the server survived SIGKILL for " + EXIT_TIMEOUT + outputTail());
  }

  /**
   * Stops the server with SIGTERM (its shutdown hook closes it gracefully) and waits for it to
   * exit.
   */
  void stop() throws InterruptedException {
    Process p = requireStarted();
    p.destroy();
    if (!p.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      fail("the server did not stop within " + EXIT_TIMEOUT + " of SIGTERM" + outputTail());
    }
  }

  /**
   * Waits for the process to exit on its own and returns its exit status; fails if it is still
   * running after {@code within}.
   */
  int awaitExit(Duration within) throws InterruptedException {
    Process p = requireStarted();
    if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("the server process was expected to exit but still runs after " + within
          + outputTail());
    }
    return p.exitValue();
  }

  /** Sends a four-letter word to the running server and returns its answer. */
  String fourLetterWord(String word) throws IOException {
    return RawConnection.fourLetterWord(clientPort, word);
  }

  /** The running server's {@code mntr} answer, parsed. */
  Mntr mntr() throws IOException {
    String text = fourLetterWord("mntr");
    Map<String, String> values = new HashMap<>();
    for (String line : text.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        values.put(line.substring(0, tab), line.substring(tab + 1).trim());
      }
    }
    String zxid = values.get("zk_last_zxid");
    String digest = values.get("zk_tree_digest");
    String count = values.get("zk_znode_count");
    if (zxid == null || digest == null || count == null) {
      throw new AssertionError("mntr lacks zk_last_zxid, zk_tree_digest or zk_znode_count:\n"
          + text);
    }
    return new Mntr(hex(zxid), hex(digest), Long.parseLong(count));
  }

  private static long hex(String value) {
    String v = value.startsWith("0x") ? value.substring(2) : value;
    return Long.parseUnsignedLong(v, 16);
  }

  /** Everything the server processes of this instance printed, all runs, with run markers. */
  String output() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /** What the latest run printed. */
  String outputOfLatestRun() {
    String all = output();
    return runOutputStart <= all.length() ? all.substring((int) runOutputStart) : all;
  }

  /**
   * The last lines of the server's output, formatted to be appended to a failure message.
   */
  String outputTail() {
    String[] lines = output().split("\n", -1);
    int from = Math.max(0, lines.length - TAIL_LINES);
    StringBuilder b = new StringBuilder("\n---- last lines of ").append(logFile).append(" ----\n");
    for (int k = from; k < lines.length; k++) {
      b.append(lines[k]).append('\n');
    }
    return b.append("---- end of server output ----").toString();
  }

  private Process requireStarted() {
    if (process == null) {
      throw new IllegalStateException("the server was never started");
    }
    return process;
  }

  /** Kills the server process and anything it started, if still running. */
  @Override
  public void close() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The values of {@code mntr} the crash tests compare with a replay of the files.
   *
   * @param lastZxid {@code zk_last_zxid}
   * @param digest {@code zk_tree_digest}
   * @param znodeCount {@code zk_znode_count}
   */
  record Mntr(long lastZxid, long digest, long znodeCount) {
    @Override
    public String toString() {
      return "zxid 0x" + Long.toHexString(lastZxid) + ", digest 0x" + Long.toHexString(digest)
          + ", " + znodeCount + " znodes";
    }
  }
}

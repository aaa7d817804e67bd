package io.roost.bench.failover;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An ensemble of separate server JVMs on 127.0.0.1, each started from this JVM's class path with
 * its files in {@code dir/serverK/}: {@code zoo.cfg}, {@code data/} (the dataDir, with
 * {@code myid}) and {@code server.log} (everything the server printed, every run, with a marker
 * line per start). Ports are picked free once and kept, so a restarted server comes back where it
 * was. Subclasses say which main class runs and what its configuration holds.
 */
public abstract class JvmEnsemble implements EnsembleUnderTest {
  private static final long EXIT_WAIT_S = 30;

  private final Path dir;
  private final int size;
  private final int tickTimeMs;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final List<String> jvmOptions;
  private final int[] clientPorts;
  private final int[] peerPorts;
  private final int[] electionPorts;
  /** The process of each server by id (index 0 unused); read by the shutdown hook too. */
  private final AtomicReferenceArray<Process> processes;
  private final int[] runs;

  /**
   * Prepares (does not start) an ensemble and writes every server's configuration.
   *
   * @param dir where the servers' directories go; created if missing
   * @param size how many voting servers
   * @param tickTimeMs the tickTime; initLimit 10 and syncLimit 5 ticks, as ZooKeeper's sample
   * @param jvmOptions options for each server's java command, e.g. {@code -Xmx512m}
   */
  protected JvmEnsemble(Path dir, int size, int tickTimeMs, List<String> jvmOptions)
      throws IOException {
    if (size < 1) {
      throw new IllegalArgumentException("an ensemble needs at least 1 server, not " + size);
    }
    this.dir = Files.createDirectories(dir);
    this.size = size;
    this.tickTimeMs = tickTimeMs;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.processes = new AtomicReferenceArray<>(size + 1);
    this.runs = new int[size + 1];
    int[] ports = freePorts(3 * size);
    clientPorts = new int[size + 1];
    peerPorts = new int[size + 1];
    electionPorts = new int[size + 1];
    for (int id = 1; id <= size; id++) {
      clientPorts[id] = ports[id - 1];
      peerPorts[id] = ports[size + id - 1];
      electionPorts[id] = ports[2 * size + id - 1];
    }
    settings.put("tickTime", tickTimeMs + " ms");
    settings.put("initLimit", "10 ticks");
    settings.put("syncLimit", "5 ticks");
    settings.put("forceSync", "yes (fsync before every ack)");
    settings.put("snapCount", "100000 (default)");
    settings.put("server JVM options", String.join(" ", jvmOptions));
    for (int id = 1; id <= size; id++) {
      Path data = Files.createDirectories(home(id).resolve("data"));
      Files.writeString(data.resolve("myid"), id + "\n", StandardCharsets.US_ASCII);
      Files.writeString(configFile(id), config(id), StandardCharsets.UTF_8);
    }
  }

  /** The main class each server JVM runs. */
  protected abstract String mainClass();

  /** The arguments after the main class for server {@code id}. */
  protected abstract List<String> arguments(int id);

  /** Settings this system adds to (or overrides in) the report's list. */
  protected void setting(String name, String value) {
    settings.put(name, value);
  }

  /**
   * The zoo.cfg of server {@code id}: the keys both systems read the same way. Subclasses may
   * append their own.
   */
  protected String config(int id) {
    StringBuilder cfg = new StringBuilder("# written by the Roost benchmarks\n")
        .append("tickTime=").append(tickTimeMs).append('\n')
        .append("initLimit=10\n")
        .append("syncLimit=5\n")
        .append("dataDir=").append(home(id).resolve("data").toAbsolutePath()).append('\n')
        .append("clientPortAddress=127.0.0.1\n")
        .append("clientPort=").append(clientPorts[id]).append('\n')
        .append("admin.enableServer=false\n")
        .append("4lw.commands.whitelist=*\n")
        .append("forceSync=yes\n");
    for (int k = 1; k <= size; k++) {
      cfg.append("server.").append(k).append("=127.0.0.1:").append(peerPorts[k]).append(':')
          .append(electionPorts[k]).append('\n');
    }
    return cfg.toString();
  }

  /** {@code count} distinct free loopback ports, all held open until every one is picked. */
  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket();
        held.add(s);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  /** Server {@code id}'s directory. */
  protected final Path home(int id) {
    return dir.resolve("server" + id);
  }

  /** Server {@code id}'s zoo.cfg. */
  protected final Path configFile(int id) {
    return home(id).resolve("zoo.cfg");
  }

  private Path logFile(int id) {
    return home(id).resolve("server.log");
  }

  @Override
  public Map<String, String> settings() {
    return Collections.unmodifiableMap(settings);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int clientPort(int id) {
    check(id);
    return clientPorts[id];
  }

  @Override
  public void start(int id) throws IOException {
    check(id);
    if (isRunning(id)) {
      throw new IllegalStateException("server " + id + " still runs (pid " + processes.get(id).pid()
          + ")");
    }
    runs[id]++;
    Files.writeString(logFile(id), "==== " + LocalDateTime.now() + " run " + runs[id] + "\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass());
    command.addAll(arguments(id));
    processes.set(id, new ProcessBuilder(command)
        .directory(home(id).toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id).toFile()))
        .start());
  }

  @Override
  public void kill(int id) throws InterruptedException {
    check(id);
    Process p = processes.get(id);
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException("server " + id + " is not running");
    }
    p.destroyForcibly();
    if (!p.waitFor(EXIT_WAIT_S, TimeUnit.SECONDS)) {
      throw new IllegalStateException("server " + id + " (pid " + p.pid() + ") survived SIGKILL for "
          + EXIT_WAIT_S + " s");
    }
  }

  @Override
  public boolean isRunning(int id) {
    check(id);
    Process p = processes.get(id);
    return p != null && p.isAlive();
  }

  /**
   * The process id of server {@code id}.
   *
   * @throws IllegalStateException if it is not running
   */
  public long pid(int id) {
    check(id);
    Process p = processes.get(id);
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException("server " + id + " is not running");
    }
    return p.pid();
  }

  @Override
  public String logTail(int id, int lines) {
    check(id);
    try {
      List<String> all = Files.readAllLines(logFile(id), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile(id) + ": " + e.getMessage() + ")";
    }
  }

  /** Where server {@code id}'s output goes. */
  public Path log(int id) {
    check(id);
    return logFile(id);
  }

  @Override
  public void close() {
    // Not synchronized: a shutdown hook calls this while the main thread may be anywhere.
    for (int id = 1; id <= size; id++) {
      Process p = processes.get(id);
      if (p != null) {
        p.destroyForcibly();
      }
    }
    for (int id = 1; id <= size; id++) {
      Process p = processes.get(id);
      if (p != null) {
        try {
          p.waitFor(EXIT_WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void check(int id) {
    if (id < 1 || id > size) {
      throw new IllegalArgumentException("no server " + id + ": ids are 1 to " + size);
    }
  }
}

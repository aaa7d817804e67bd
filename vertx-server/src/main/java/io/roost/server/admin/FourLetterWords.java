package io.roost.server.admin;

import io.roost.core.server.CoreConnection;
import io.roost.core.server.ServerCore;
import io.roost.server.RoostVersion;
import io.roost.server.config.ServerConfig;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * ZooKeeper's four-letter admin commands (ruok, srvr, stat, mntr, conf, cons, wchs, isro, envi,
 * dump), answered in ZooKeeper's text formats so existing tools can parse them. Only words in
 * {@code 4lw.commands.whitelist} run; others get ZooKeeper's refusal message. Runs on the core's
 * context.
 */
public final class FourLetterWords {
  private final ServerCore core;
  private final ServerStats stats;
  private final ServerConfig config;
  private final Set<String> allowed;
  private final IntSupplier boundClientPort;

  /**
   * Commands answer from this core, these counters and this configuration; {@code boundClientPort}
   * gives the port actually listened on (the configured one may be 0).
   */
  public FourLetterWords(ServerCore core, ServerStats stats, ServerConfig config,
      IntSupplier boundClientPort) {
    this.core = core;
    this.stats = stats;
    this.config = config;
    this.allowed = config.fourLetterWords();
    this.boundClientPort = boundClientPort;
  }

  /** True when {@code word} is one of the commands (whitelisted or not). */
  public boolean isKnown(String word) {
    return ServerConfig.ALL_FOUR_LETTER_WORDS.contains(word);
  }

  /** The command's full answer, or the refusal when it is not whitelisted. */
  public String run(String word) {
    if (!allowed.contains(word)) {
      return word + " is not executed because it is not in the whitelist.\n";
    }
    return switch (word) {
      case "ruok" -> "imok";
      case "srvr" -> serving() ? srvr(false) : NOT_SERVING;
      case "stat" -> serving() ? srvr(true) : NOT_SERVING;
      case "mntr" -> mntr();
      case "conf" -> conf();
      case "cons" -> cons();
      case "wchs" -> wchs();
      case "isro" -> "rw";
      case "envi" -> envi();
      case "dump" -> dump();
      default -> throw new IllegalArgumentException("unknown four-letter word " + word);
    };
  }

  private java.util.function.Supplier<String> modeSource;

  /** Where an ensemble member's mode comes from (leader, follower, observer, looking). */
  public void setModeSource(java.util.function.Supplier<String> source) {
    this.modeSource = source;
  }

  private java.util.function.Supplier<String> peerStateSource;
  private java.util.function.BooleanSupplier servingSource = () -> true;

  /** ZooKeeper's answer to srvr and stat from a member that serves no clients right now. */
  static final String NOT_SERVING =
      "This ZooKeeper instance is not currently serving requests\n";

  /**
   * Whether the server serves clients now (an ensemble member: an established leader, or a
   * follower or observer synchronized with one); srvr and stat answer as ZooKeeper does when not.
   */
  public void setServingSource(java.util.function.BooleanSupplier source) {
    this.servingSource = source;
  }

  private boolean serving() {
    return servingSource.getAsBoolean();
  }

  /**
   * Where an ensemble member's {@code zk_peer_state} in {@code mntr} comes from (ZooKeeper's
   * "role - phase", e.g. {@code following - broadcast} once it serves); standalone servers have
   * none and omit the line.
   */
  public void setPeerStateSource(java.util.function.Supplier<String> source) {
    this.peerStateSource = source;
  }

  /** The server's mode as srvr reports it. */
  public String mode() {
    if (modeSource != null) {
      return modeSource.get();
    }
    return config.standalone() ? "standalone" : "leader";
  }

  private String srvr(boolean withClients) {
    StringBuilder sb = new StringBuilder();
    sb.append("Zookeeper version: ").append(RoostVersion.describe()).append('\n');
    if (withClients) {
      sb.append("Clients:\n");
      for (CoreConnection c : core.connections()) {
        sb.append(' ').append(connectionLine(c, false)).append('\n');
      }
      sb.append('\n');
    }
    sb.append(String.format(Locale.ROOT, "Latency min/avg/max: %.3f/%.3f/%.3f\n",
        stats.minLatencyMs(), stats.avgLatencyMs(), stats.maxLatencyMs()));
    sb.append("Received: ").append(stats.receivedCount()).append('\n');
    sb.append("Sent: ").append(stats.sentCount()).append('\n');
    sb.append("Connections: ").append(core.connections().size()).append('\n');
    sb.append("Outstanding: ").append(core.outstandingRequests()).append('\n');
    sb.append("Zxid: 0x").append(Long.toHexString(core.state().lastZxid())).append('\n');
    sb.append("Mode: ").append(mode()).append('\n');
    sb.append("Node count: ").append(core.state().tree().nodeCount()).append('\n');
    return sb.toString();
  }

  private String connectionLine(CoreConnection c, boolean detailed) {
    String base = "/" + c.remoteHost() + ":" + c.remotePort() + "[1](queued=" + c.queuedCount() + ",recved="
        + c.receivedCount() + ",sent=" + c.sentCount();
    if (!detailed) {
      return base + ")";
    }
    return base + ",sid=0x" + Long.toHexString(c.sessionId()) + ",lop=" + c.lastOp()
        + ",est=" + c.connectedAtMs() + ",to=" + c.timeoutMs() + ",lzxid=0x"
        + Long.toHexString(c.lastZxid()) + ")";
  }

  private String mntr() {
    Runtime rt = Runtime.getRuntime();
    StringBuilder sb = new StringBuilder();
    line(sb, "zk_version", RoostVersion.describe());
    line(sb, "zk_server_state", mode());
    if (peerStateSource != null) {
      line(sb, "zk_peer_state", peerStateSource.get());
    }
    line(sb, "zk_avg_latency", String.format(Locale.ROOT, "%.3f", stats.avgLatencyMs()));
    line(sb, "zk_max_latency", String.format(Locale.ROOT, "%.3f", stats.maxLatencyMs()));
    line(sb, "zk_min_latency", String.format(Locale.ROOT, "%.3f", stats.minLatencyMs()));
    line(sb, "zk_packets_received", stats.receivedCount());
    line(sb, "zk_packets_sent", stats.sentCount());
    line(sb, "zk_num_alive_connections", core.connections().size());
    line(sb, "zk_outstanding_requests", core.outstandingRequests());
    line(sb, "zk_znode_count", core.state().tree().nodeCount());
    line(sb, "zk_watch_count", core.watches().watchCount());
    line(sb, "zk_ephemerals_count", core.state().tree().ephemeralCount());
    line(sb, "zk_global_sessions", core.sessionCount());
    line(sb, "zk_last_zxid", "0x" + Long.toHexString(core.state().lastZxid()));
    line(sb, "zk_tree_digest", "0x" + Long.toHexString(core.state().digest()));
    line(sb, "zk_jvm_heap_used_bytes", rt.totalMemory() - rt.freeMemory());
    line(sb, "zk_jvm_heap_max_bytes", rt.maxMemory());
    return sb.toString();
  }

  private static void line(StringBuilder sb, String key, Object value) {
    sb.append(key).append('\t').append(value).append('\n');
  }

  private String conf() {
    StringBuilder sb = new StringBuilder();
    sb.append("clientPort=").append(boundClientPort.getAsInt()).append('\n');
    sb.append("clientPortAddress=").append(config.clientPortAddress()).append('\n');
    sb.append("dataDir=").append(config.dataDir()).append('\n');
    sb.append("dataLogDir=").append(config.dataLogDir()).append('\n');
    sb.append("tickTime=").append(config.tickTime()).append('\n');
    sb.append("maxClientCnxns=").append(config.maxClientCnxns()).append('\n');
    sb.append("minSessionTimeout=").append(config.minSessionTimeout()).append('\n');
    sb.append("maxSessionTimeout=").append(config.maxSessionTimeout()).append('\n');
    sb.append("serverId=").append(config.myId()).append('\n');
    sb.append("initLimit=").append(config.initLimit()).append('\n');
    sb.append("syncLimit=").append(config.syncLimit()).append('\n');
    sb.append("jute.maxbuffer=").append(config.juteMaxBuffer()).append('\n');
    sb.append("roost.ttlNodes.enabled=").append(config.ttlNodesEnabled()).append('\n');
    sb.append("roost.linearizableReads=").append(config.linearizableReads()).append('\n');
    return sb.toString();
  }

  private String cons() {
    StringBuilder sb = new StringBuilder();
    for (CoreConnection c : core.connections()) {
      sb.append(' ').append(connectionLine(c, true)).append('\n');
    }
    return sb.append('\n').toString();
  }

  private String wchs() {
    return core.watches().watcherCount() + " connections watching "
        + core.watches().watchedPathCount() + " paths\nTotal watches:"
        + core.watches().watchCount() + "\n";
  }

  private String envi() {
    StringBuilder sb = new StringBuilder("Environment:\n");
    sb.append("zookeeper.version=").append(RoostVersion.describe()).append('\n');
    sb.append("java.version=").append(Runtime.version()).append('\n');
    sb.append("java.vendor=").append(System.getProperty("java.vendor")).append('\n');
    sb.append("os.name=").append(System.getProperty("os.name")).append('\n');
    sb.append("os.arch=").append(System.getProperty("os.arch")).append('\n');
    sb.append("os.version=").append(System.getProperty("os.version")).append('\n');
    sb.append("user.dir=").append(System.getProperty("user.dir")).append('\n');
    sb.append("process.id=").append(ManagementFactory.getRuntimeMXBean().getPid()).append('\n');
    sb.append("os.memory.free=").append(Runtime.getRuntime().freeMemory() / (1024 * 1024))
        .append("MB\n");
    sb.append("os.memory.max=").append(Runtime.getRuntime().maxMemory() / (1024 * 1024))
        .append("MB\n");
    return sb.toString();
  }

  private String dump() {
    StringBuilder sb = new StringBuilder("SessionTracker dump:\n");
    sb.append("Global Sessions(").append(core.sessionCount()).append("):\n");
    for (var s : core.state().sessions().values()) {
      sb.append("0x").append(Long.toHexString(s.id())).append('\t').append(s.timeoutMs())
          .append("ms\n");
    }
    sb.append("ephemeral nodes dump:\nSessions with Ephemerals (")
        .append(core.state().tree().sessionsWithEphemerals().size()).append("):\n");
    for (long id : core.state().tree().sessionsWithEphemerals()) {
      sb.append("0x").append(Long.toHexString(id)).append(":\n");
      for (String path : new java.util.TreeSet<>(core.state().tree().ephemeralsOf(id))) {
        sb.append('\t').append(path).append('\n');
      }
    }
    return sb.toString();
  }
}

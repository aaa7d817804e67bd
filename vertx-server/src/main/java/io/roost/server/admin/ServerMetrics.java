package io.roost.server.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.roost.core.proto.OpCode;
import io.roost.core.server.RequestListener;
import io.roost.core.server.ServerCore;
import io.roost.server.storage.StorageStats;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server's Micrometer meters, in a Prometheus registry: requests and latency by op and
 * outcome, outstanding requests, sessions, connections, watches and znodes. Gauges read the core,
 * so the registry must be scraped on the core's context (the admin HTTP server runs there).
 */
public final class ServerMetrics implements RequestListener {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<Long, Timer> timers = new HashMap<>();

  /** Registers the gauges that read {@code core} and the disk figures. */
  public ServerMetrics(ServerCore core, StorageStats disk) {
    Gauge.builder("roost.log.fsyncs", disk, StorageStats::fsyncs)
        .description("Transaction log flushes (fsyncs)").register(registry);
    Gauge.builder("roost.log.transactions.per.fsync", disk, StorageStats::transactionsPerFsync)
        .description("Mean transactions per log fsync (group commit)").register(registry);
    Gauge.builder("roost.log.flush.ms", disk, StorageStats::meanFlushMs)
        .description("Mean time to make a batch durable").register(registry);
    Gauge.builder("roost.snapshot.stall.ms", disk, StorageStats::lastSnapshotStallMs)
        .description("Event-loop pause of the last snapshot").register(registry);
    Gauge.builder("roost.snapshot.write.ms", disk, StorageStats::lastSnapshotWriteMs)
        .description("Write time of the last snapshot").register(registry);
    Gauge.builder("roost.snapshots", disk, StorageStats::snapshots)
        .description("Snapshots taken since the start").register(registry);
    Gauge.builder("roost.snapshot.nodes", disk, StorageStats::lastSnapshotNodes)
        .description("Nodes in the last snapshot").register(registry);
    Gauge.builder("roost.sessions", core, ServerCore::sessionCount)
        .description("Open client sessions").register(registry);
    Gauge.builder("roost.connections", core, c -> c.connections().size())
        .description("Open client connections").register(registry);
    Gauge.builder("roost.requests.outstanding", core, ServerCore::outstandingRequests)
        .description("Requests queued or in flight").register(registry);
    Gauge.builder("roost.watches", core, c -> c.watches().watchCount())
        .description("Watches of all kinds").register(registry);
    Gauge.builder("roost.znodes", core, c -> c.state().tree().nodeCount())
        .description("Nodes in the tree").register(registry);
    Gauge.builder("roost.ephemerals", core, c -> c.state().tree().ephemeralCount())
        .description("Ephemeral nodes").register(registry);
    Gauge.builder("roost.last.zxid", core, c -> c.state().lastZxid())
        .description("Zxid of the last applied transaction").register(registry);
  }

  @Override
  public void completed(int opCode, int err, long latencyNanos) {
    long key = ((long) opCode << 32) | (err == 0 ? 0 : 1);
    Timer timer = timers.computeIfAbsent(key, k -> Timer.builder("roost.requests")
        .description("Client requests by op and outcome")
        .tag("op", OpCode.name(opCode))
        .tag("outcome", err == 0 ? "ok" : "error")
        .register(registry));
    timer.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  /** The registry's contents in Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** The underlying registry. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }
}

package io.roost.server;

import io.roost.core.server.CoreClock;
import io.roost.core.server.CoreSettings;
import io.roost.core.server.ServerCore;
import io.roost.server.admin.AdminHttpServer;
import io.roost.server.admin.FourLetterWords;
import io.roost.server.admin.ServerMetrics;
import io.roost.server.admin.ServerStats;
import io.roost.server.config.ServerConfig;
import io.roost.server.net.ClientSocketHandler;
import io.roost.server.net.ConnectionLimiter;
import io.roost.server.storage.AliveMarker;
import io.roost.server.storage.DataDirLock;
import io.roost.server.storage.DurableReplicator;
import io.roost.server.storage.ServerDisk;
import io.roost.server.quorum.ConsensusDriver;
import io.roost.server.quorum.EnsembleRecovery;
import io.roost.server.quorum.EnsembleStorage;
import io.roost.server.storage.Recovery;
import io.roost.server.storage.StorageStats;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;

/**
 * One Roost node on one Vert.x context: recovery from disk, the core, the durable log, the client
 * port, the admin HTTP port and the tick timer. Everything but disk work runs on this verticle's
 * event loop, so the core needs no locks; disk work runs on workers and reports back here.
 */
final class NodeVerticle extends VerticleBase {
  private static final Logger LOG = System.getLogger(NodeVerticle.class.getName());

  private final ServerConfig config;
  private ServerCore core;
  private ServerStats stats;
  private FourLetterWords words;
  private ConnectionLimiter limiter;
  private NetServer clientServer;
  private AdminHttpServer admin;
  private long tickTimer = -1;
  /** An alive-marker write is in progress (skip a tick rather than queue writes). */
  private boolean aliveWriting;
  private long purgeTimer = -1;
  private final StorageStats storageStats = new StorageStats();
  private DurableReplicator replicator;
  private ConsensusDriver driver;
  private DataDirLock lock;
  private Recovery.Recovered recovery;
  private volatile boolean healthy = true;
  volatile int clientPort = -1;
  volatile int adminPort = -1;

  NodeVerticle(ServerConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    if (!config.standalone()) {
      return startEnsembleMember();
    }
    return vertx.executeBlocking(() -> {
      DataDirLock dirLock = DataDirLock.acquire(config.dataDir());
      try {
        return new Opened(dirLock, Recovery.run(config, System.currentTimeMillis()));
      } catch (Exception | Error e) {
        dirLock.close();
        throw e;
      }
    }).compose(this::serve);
  }

  private record Opened(DataDirLock lock, Recovery.Recovered recovered) {}

  private record OpenedMember(DataDirLock lock, EnsembleRecovery.Recovered recovered) {}

  /** An ensemble member: recovery without replay, the consensus driver, then the client port. */
  private Future<?> startEnsembleMember() {
    return vertx.executeBlocking(() -> {
      DataDirLock dirLock = DataDirLock.acquire(config.dataDir());
      try {
        return new OpenedMember(dirLock, EnsembleRecovery.run(config));
      } catch (Exception | Error e) {
        dirLock.close();
        throw e;
      }
    }).compose(opened -> {
      lock = opened.lock();
      EnsembleRecovery.Recovered rec = opened.recovered();
      EnsembleStorage storage = new EnsembleStorage(new ServerDisk(vertx, "ensemble", rec.log(),
          rec.snapshots(), storageStats, this::diskFailed), rec.hardFile());
      driver = new ConsensusDriver(vertx, config, rec, storage);
      ServerCore member = new ServerCore(coreSettings(), rec.state(), driver, CoreClock.SYSTEM,
          new SecureRandom());
      driver.attach(member);
      Future<?> clients = serveClients(member);
      words.setModeSource(() -> driver.status().role().mode());
      words.setPeerStateSource(driver::peerState);
      words.setServingSource(() -> driver.status().serving());
      return driver.start().compose(v -> clients);
    });
  }

  private CoreSettings coreSettings() {
    return new CoreSettings(config.myId(), config.tickTime(), config.minSessionTimeout(),
        config.maxSessionTimeout(), config.ttlNodesEnabled(), config.containerCheckIntervalMs(),
        config.linearizableReads());
  }

  private Future<?> serve(Opened opened) {
    lock = opened.lock();
    Recovery.Recovered rec = opened.recovered();
    recovery = rec;
    replicator = new DurableReplicator(new ServerDisk(vertx, "standalone", rec.log(),
        rec.snapshots(), storageStats, this::diskFailed), config.snapCount());
    ServerCore standalone = new ServerCore(coreSettings(), rec.state(), replicator,
        CoreClock.SYSTEM, new SecureRandom());
    replicator.imagesFrom(() -> standalone.state().image());
    standalone.sessionsLastSeenAt(rec.lastAliveMs());
    return serveClients(standalone);
  }

  /** Metrics, four-letter words, the tick, the client port and the admin port, for any mode. */
  private Future<?> serveClients(ServerCore serverCore) {
    core = serverCore;
    ServerMetrics metrics = new ServerMetrics(core, storageStats);
    stats = new ServerStats(metrics);
    core.setRequestListener(stats);
    words = new FourLetterWords(core, stats, config, () -> clientPort);
    limiter = new ConnectionLimiter(config.maxClientCnxns());
    AliveMarker alive = new AliveMarker(config.dataDir());
    tickTimer = vertx.setPeriodic(config.tickTime(), id -> {
      core.tick();
      long now = System.currentTimeMillis();
      if (!aliveWriting) {
        aliveWriting = true;
        // Unordered: ordered tasks share the context's queue and would wait behind other work.
        vertx.executeBlocking(() -> {
          alive.write(now);
          return null;
        }, false).onComplete(ar -> aliveWriting = false);
      }
    });
    if (config.autopurgePurgeInterval() > 0 && replicator != null) {
      purgeTimer = vertx.setPeriodic(config.autopurgePurgeInterval() * 3_600_000L,
          id -> replicator.purge(config.autopurgeSnapRetainCount()));
    }

    clientServer = vertx.createNetServer(new NetServerOptions()
        .setHost(config.clientPortAddress())
        .setPort(config.clientPort())
        .setTcpNoDelay(true));
    clientServer.connectHandler(this::accept);
    Future<?> client = clientServer.listen().map(s -> {
      clientPort = s.actualPort();
      LOG.log(Level.INFO, "serving clients on {0}:{1,number,#}", config.clientPortAddress(),
          clientPort);
      return s;
    });
    if (!config.adminEnableServer()) {
      return client;
    }
    admin = new AdminHttpServer(vertx, metrics, () -> healthy);
    return client.compose(s -> admin.listen(config.adminServerAddress(), config.adminServerPort()))
        .map(port -> {
          adminPort = port;
          LOG.log(Level.INFO, "admin HTTP on {0}:{1,number,#} (/metrics, /health)",
              config.adminServerAddress(), port);
          return port;
        });
  }

  private void diskFailed() {
    healthy = false;
    if (clientServer != null) {
      clientServer.close();
    }
  }

  private void accept(NetSocket socket) {
    String ip = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().host();
    if (!limiter.tryAcquire(ip)) {
      LOG.log(Level.WARNING, "too many connections from {0} (maxClientCnxns={1}); closing",
          ip, config.maxClientCnxns());
      socket.close();
      return;
    }
    socket.pause();
    new ClientSocketHandler(socket, core, words, stats, config.juteMaxBuffer())
        .start(() -> limiter.release(ip));
  }

  @Override
  public Future<?> stop() {
    if (tickTimer >= 0) {
      vertx.cancelTimer(tickTimer);
    }
    if (purgeTimer >= 0) {
      vertx.cancelTimer(purgeTimer);
    }
    Future<Void> a = admin == null ? Future.succeededFuture() : admin.close();
    Future<Void> c = clientServer == null ? Future.succeededFuture() : clientServer.close();
    return Future.all(a, c)
        .eventually(() -> replicator == null ? Future.succeededFuture() : replicator.close())
        .eventually(() -> driver == null ? Future.succeededFuture() : driver.close())
        .eventually(() -> vertx.executeBlocking(() -> {
          new AliveMarker(config.dataDir()).write(System.currentTimeMillis());
          if (lock != null) {
            lock.close();
          }
          return null;
        }));
  }

  /** Disk figures (for tests and admin output). */
  StorageStats storageStats() {
    return storageStats;
  }

  /** What start-up recovered. */
  Recovery.Recovered recovery() {
    return recovery;
  }

  /** The four-letter words (for the mode). */
  FourLetterWords words() {
    return words;
  }

  /** The server core (read it on this verticle's context). */
  ServerCore core() {
    return core;
  }

  /** The consensus driver of an ensemble member (null when standalone). */
  ConsensusDriver driver() {
    return driver;
  }

  /** Takes a snapshot now; completes when it is on disk. Call on this verticle's context. */
  Future<Void> snapshotNow() {
    return replicator.snapshot();
  }

  /** Runs the purge task now. Call on this verticle's context. */
  Future<Void> purgeNow() {
    return replicator.purge(config.autopurgeSnapRetainCount());
  }

  /** Runs {@code work} on this verticle's context and passes its future on. */
  <T> Future<T> onContext(java.util.function.Supplier<Future<T>> work) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }
}

package io.roost.server;

import io.roost.core.server.CoreClock;
import io.roost.core.server.CoreSettings;
import io.roost.core.server.Replicator;
import io.roost.core.server.ServerCore;
import io.roost.core.state.StateMachine;
import io.roost.server.admin.AdminHttpServer;
import io.roost.server.admin.FourLetterWords;
import io.roost.server.admin.ServerMetrics;
import io.roost.server.admin.ServerStats;
import io.roost.server.config.ServerConfig;
import io.roost.server.net.ClientSocketHandler;
import io.roost.server.net.ConnectionLimiter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;

/**
 * One Roost node on one Vert.x context: the core, the client port, the admin HTTP port and the
 * tick timer. Everything here runs on this verticle's event loop, so the core needs no locks.
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
  volatile int clientPort = -1;
  volatile int adminPort = -1;

  NodeVerticle(ServerConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    CoreSettings settings = new CoreSettings(config.myId(), config.tickTime(),
        config.minSessionTimeout(), config.maxSessionTimeout(), config.ttlNodesEnabled(),
        config.containerCheckIntervalMs());
    core = new ServerCore(settings, new StateMachine(), Replicator.IN_MEMORY, CoreClock.SYSTEM,
        new SecureRandom());
    ServerMetrics metrics = new ServerMetrics(core);
    stats = new ServerStats(metrics);
    core.setRequestListener(stats);
    words = new FourLetterWords(core, stats, config, () -> clientPort);
    limiter = new ConnectionLimiter(config.maxClientCnxns());
    tickTimer = vertx.setPeriodic(config.tickTime(), id -> core.tick());

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
    admin = new AdminHttpServer(vertx, metrics, () -> true);
    return client.compose(s -> admin.listen(config.adminServerAddress(), config.adminServerPort()))
        .map(port -> {
          adminPort = port;
          LOG.log(Level.INFO, "admin HTTP on {0}:{1,number,#} (/metrics, /health)",
              config.adminServerAddress(), port);
          return port;
        });
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
    Future<Void> a = admin == null ? Future.succeededFuture() : admin.close();
    Future<Void> c = clientServer == null ? Future.succeededFuture() : clientServer.close();
    return Future.all(a, c);
  }
}

package io.roost.recipes;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roost.client.ConnectionState;
import io.roost.client.RoostClient;
import io.roost.server.RoostServer;
import io.roost.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real in-process Roost server on an ephemeral loopback port (tickTime 200 ms, so a 2 s
 * session expires quickly) and the clients, proxies and recipes a test makes, closed in reverse
 * order by {@link #close()}.
 */
public final class TestRoost implements AutoCloseable {
  private final RoostServer server;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** Starts the server with its data in {@code dir}. */
  public TestRoost(Path dir) {
    server = RoostServer.start(ServerConfig.builder().clientPortAddress("127.0.0.1")
        .clientPort(0).adminEnableServer(false).dataDir(dir).preAllocSizeKb(1024).tickTime(200)
        .build());
  }

  /** A started client connected directly, with a 10 s session (each has its own meters). */
  public RoostClient client() throws Exception {
    return client(server.connectString("127.0.0.1"), Duration.ofSeconds(10));
  }

  /** A started client connected directly, with this session timeout. */
  public RoostClient client(Duration sessionTimeout) throws Exception {
    return client(server.connectString("127.0.0.1"), sessionTimeout);
  }

  /** A started client through {@code proxy}, with this session timeout. */
  public RoostClient client(CutProxy proxy, Duration sessionTimeout) throws Exception {
    return client(proxy.connectString(), sessionTimeout);
  }

  private RoostClient client(String connectString, Duration sessionTimeout) throws Exception {
    RoostClient c = RoostClient.builder().connectString(connectString)
        .sessionTimeout(sessionTimeout).meterRegistry(new SimpleMeterRegistry()).build();
    closeables.add(c);
    return c.start().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** A proxy to the server, closed with the rest. */
  public CutProxy proxy() throws Exception {
    return closeLater(new CutProxy(server.clientPort()));
  }

  /** Closes {@code c} at the end of the test (before the clients made earlier). */
  public <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(c);
    return c;
  }

  /** Records every connection state {@code client} reports from now on. */
  public static List<ConnectionState> states(RoostClient client) {
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    client.addConnectionStateListener((c, s) -> states.add(s));
    return states;
  }

  /** Closes everything the test made, newest first, then the server; rethrows the first failure. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        failure = failure != null ? failure : new IllegalStateException("closing " + closeables
            .get(i) + " failed", e);
      }
    }
    server.close();
    if (failure != null) {
      throw failure;
    }
  }
}

package io.roost.recipes.testkit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roost.client.RoostClient;
import io.roost.server.RoostServer;
import io.roost.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Roost server on an ephemeral loopback port (tickTime 200 ms, so sessions of 1-2 s are
 * allowed and expire promptly) and the clients and proxies a test makes, all closed, newest
 * first, by {@link #close()}.
 *
 * <p>As a JUnit extension ({@code @RegisterExtension final RoostFixture fx =
 * RoostFixture.perTest();}) it starts a fresh server in a temporary directory before each test
 * and closes everything and deletes the directory after it.
 */
public final class RoostFixture implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
  private RoostServer server;
  private Path ownDir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  private RoostFixture() {}

  private void startServer(Path dataDir) {
    this.server = RoostServer.start(ServerConfig.builder()
        .clientPortAddress("127.0.0.1").clientPort(0).adminEnableServer(false)
        .dataDir(dataDir).preAllocSizeKb(1024).tickTime(200).build());
  }

  /** Starts a server keeping its data in {@code dataDir}. */
  public static RoostFixture start(Path dataDir) {
    RoostFixture fx = new RoostFixture();
    fx.startServer(dataDir);
    return fx;
  }

  /** A fixture that starts a server before each test and cleans up after it (an extension). */
  public static RoostFixture perTest() {
    return new RoostFixture();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    ownDir = Files.createTempDirectory("roost-recipes-test-");
    startServer(ownDir);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      close();
    } finally {
      closeables.clear();
      try (Stream<Path> files = Files.walk(ownDir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** A started client, with its own meter registry. */
  public RoostClient client() throws Exception {
    return client(server.connectString("127.0.0.1"), b -> { });
  }

  /** A started client connected directly, asking for {@code sessionTimeout}. */
  public RoostClient client(Duration sessionTimeout) throws Exception {
    return client(server.connectString("127.0.0.1"), b -> b.sessionTimeout(sessionTimeout));
  }

  /** A started client through {@code proxy}, asking for {@code sessionTimeout}. */
  public RoostClient client(CuttableProxy proxy, Duration sessionTimeout) throws Exception {
    return clientVia(proxy, sessionTimeout);
  }

  /** Closes {@code c} at the end of the test (before what was made earlier). */
  public <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(c);
    return c;
  }

  /** Records every connection state {@code client} reports from now on. */
  public static java.util.List<io.roost.client.ConnectionState> states(RoostClient client) {
    java.util.List<io.roost.client.ConnectionState> states =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    client.addConnectionStateListener((c, st) -> states.add(st));
    return states;
  }

  /** A started client through {@code proxy}, asking for {@code sessionTimeout}. */
  public RoostClient clientVia(CuttableProxy proxy, Duration sessionTimeout) throws Exception {
    return client(proxy.connectString(), b -> b.sessionTimeout(sessionTimeout));
  }

  private RoostClient client(String connectString, Consumer<RoostClient.Builder> tweaks)
      throws Exception {
    RoostClient.Builder b = RoostClient.builder().connectString(connectString)
        .meterRegistry(new SimpleMeterRegistry());
    tweaks.accept(b);
    RoostClient c = b.build();
    closeables.add(c);
    c.start().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return c;
  }

  /** A proxy to the server that the test can cut. */
  public CuttableProxy proxy() throws Exception {
    CuttableProxy p = new CuttableProxy(server.clientPort());
    closeables.add(p);
    return p;
  }

  /** Waits for a stage of a test (at most 30 s) and gives its value. */
  public static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** UTF-8 bytes. */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A UTF-8 string (null for null). */
  public static String str(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      for (int i = closeables.size() - 1; i >= 0; i--) {
        closeables.get(i).close();
      }
    } catch (Exception e) {
      throw new IllegalStateException("closing a test client or proxy failed", e);
    } finally {
      server.close();
    }
  }
}

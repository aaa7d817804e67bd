package io.roost.server;

import io.roost.server.config.ServerConfig;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running Roost server: its own Vert.x instance with one node deployed. Start it with
 * {@link #start(ServerConfig)} from a plain thread (main, a test), never from an event loop.
 */
public final class RoostServer implements AutoCloseable {
  private static final long START_STOP_TIMEOUT_S = 30;

  private final Vertx vertx;
  private final NodeVerticle node;

  private RoostServer(Vertx vertx, NodeVerticle node) {
    this.vertx = vertx;
    this.node = node;
  }

  /**
   * Starts a server and waits until its ports are bound.
   *
   * @throws IllegalStateException if it cannot start (port in use, bad address), with the cause
   */
  public static RoostServer start(ServerConfig config) {
    Vertx vertx = Vertx.vertx();
    NodeVerticle node = new NodeVerticle(config);
    try {
      vertx.deployVerticle(node).toCompletionStage().toCompletableFuture()
          .get(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      vertx.close();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (ExecutionException | TimeoutException e) {
      vertx.close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("Roost could not start on " + config.clientPortAddress()
          + ":" + config.clientPort() + ": " + cause.getMessage(), cause);
    }
    return new RoostServer(vertx, node);
  }

  /** The bound client port (the real one when the configured port was 0). */
  public int clientPort() {
    return node.clientPort;
  }

  /** The bound admin HTTP port, or -1 when the admin server is off. */
  public int adminPort() {
    return node.adminPort;
  }

  /** The connect string for clients, e.g. {@code 127.0.0.1:2181}. */
  public String connectString(String host) {
    return host + ":" + clientPort();
  }

  /**
   * Takes a snapshot now and waits until it is on disk (operators and tests; the server also
   * snapshots every snapCount transactions by itself).
   */
  public void takeSnapshot() {
    try {
      node.onContext(node::snapshotNow).toCompletionStage().toCompletableFuture().get(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("snapshot failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs the purge task now: keeps the newest {@code autopurge.snapRetainCount} snapshots and
   * deletes the log segments none of them needs (it also runs every autopurge.purgeInterval hours).
   */
  public void purgeNow() {
    waitFor(node.onContext(node::purgeNow), "purge");
  }

  /**
   * The mode {@code srvr} reports: standalone, or for an ensemble member leader, follower,
   * observer or looking.
   */
  public String mode() {
    return get(() -> node.words().mode(), "mode");
  }

  /** The digest of the applied tree (to compare replicas). */
  public long digest() {
    return get(() -> node.core().state().digest(), "digest");
  }

  /** Zxid of the last applied transaction. */
  public long lastZxid() {
    return get(() -> node.core().state().lastZxid(), "lastZxid");
  }

  private <T> T get(java.util.function.Supplier<T> read, String what) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    node.onContext(() -> io.vertx.core.Future.succeededFuture(read.get())).onComplete(promise);
    try {
      return promise.future().toCompletionStage().toCompletableFuture()
          .get(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }
  }

  /** Stops the server and waits until its ports are closed and its log is closed. */
  @Override
  public void close() {
    waitFor(vertx.close(), "stop");
  }

  /** Waits (on the caller's plain thread) for work on the server's event loop. */
  private static void waitFor(io.vertx.core.Future<?> work, String what) {
    try {
      work.toCompletionStage().toCompletableFuture().get(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(what + " failed: " + cause.getMessage(), cause);
    }
  }
}

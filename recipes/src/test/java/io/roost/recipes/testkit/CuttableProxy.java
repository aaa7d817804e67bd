package io.roost.recipes.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback between one client and a server that a test can cut: every
 * connection is closed and new ones refused until {@link #restore()}; or just the next answer
 * lost. A client behind it that
 * stays cut for longer than its session timeout loses its session, as if its process had died
 * (the server sees nothing more from it).
 */
public final class CuttableProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final int targetPort;
  private final List<NetSocket[]> pairs = new CopyOnWriteArrayList<>();
  private volatile boolean refusing;
  private volatile boolean swallowNextAnswer;
  private volatile boolean stalled;

  /** A proxy to {@code 127.0.0.1:targetPort}, listening on an ephemeral loopback port. */
  public CuttableProxy(int targetPort) throws Exception {
    this.targetPort = targetPort;
    this.server = vertx.createNetServer().connectHandler(this::accept);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /** The port the proxy listens on. */
  public int port() {
    return server.actualPort();
  }

  /** The connect string of the proxy. */
  public String connectString() {
    return "127.0.0.1:" + server.actualPort();
  }

  private void accept(NetSocket client) {
    if (refusing) {
      client.close();
      return;
    }
    client.pause();
    vertx.createNetClient().connect(targetPort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed() || refusing) {
        client.close();
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      NetSocket upstream = ar.result();
      NetSocket[] pair = {client, upstream};
      pairs.add(pair);
      client.handler(upstream::write);
      upstream.handler(buf -> {
        if (stalled) {
          return;
        }
        if (swallowNextAnswer) {
          swallowNextAnswer = false;
          cut(pair);
          return;
        }
        client.write(buf);
      });
      client.closeHandler(v -> cut(pair));
      upstream.closeHandler(v -> cut(pair));
      client.resume();
    });
  }

  private void cut(NetSocket[] pair) {
    pairs.remove(pair);
    pair[0].close();
    pair[1].close();
  }

  /** Closes every connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    cutAll(true);
  }

  /** Closes every connection; with {@code refuse}, new ones too until {@link #restore()}. */
  public void cutAll(boolean refuse) {
    refusing = refuse;
    for (NetSocket[] p : pairs) {
      cut(p);
    }
  }

  /** From now on the server's answers are dropped, the connections staying open. */
  public void stallAnswers() {
    stalled = true;
  }

  /**
   * The next bytes the server sends are dropped and the connection is cut (new connections are
   * let through): a request sent just before is carried out but its answer is lost.
   */
  public void swallowNextAnswerAndCut() {
    swallowNextAnswer = true;
  }

  /** Lets connections through again. */
  public void restore() {
    refusing = false;
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
        .join();
  }
}

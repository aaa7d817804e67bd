package io.roost.client;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback between a client and a server that a test can break: cut every
 * connection (and refuse new ones), or let the next answer from the server reach nothing and
 * then cut, so the client loses an answer to a request the server did carry out.
 */
final class FaultyProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final int targetPort;
  private final List<NetSocket[]> pairs = new CopyOnWriteArrayList<>();
  private volatile boolean refusing;
  private volatile boolean swallowNextAnswer;
  private volatile boolean stalled;

  FaultyProxy(int targetPort) throws Exception {
    this.targetPort = targetPort;
    this.server = vertx.createNetServer().connectHandler(this::accept);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  String connectString() {
    return "127.0.0.1:" + port();
  }

  private void accept(NetSocket client) {
    if (refusing) {
      client.close();
      return;
    }
    client.pause();
    vertx.createNetClient().connect(targetPort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        client.close();
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

  /** Cuts every connection; with {@code refuse}, new ones are closed at once until restored. */
  void cutAll(boolean refuse) {
    refusing = refuse;
    for (NetSocket[] p : pairs) {
      cut(p);
    }
  }

  /** Lets new connections through again. */
  void restore() {
    refusing = false;
  }

  /** From now on the server's answers are dropped, the connection staying open. */
  void stallAnswers() {
    stalled = true;
  }

  /** The next bytes the server sends are dropped and the connection is cut. */
  void swallowNextAnswerAndCut() {
    swallowNextAnswer = true;
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
        .join();
  }
}

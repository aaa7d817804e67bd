package io.roost.server.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Test harness: one {@link PeerTransport} on its own verticle's event-loop context (as the server
 * will run it), with a listener that records what it saw where the test thread can read it.
 */
final class TestPeer implements PeerTransport.Listener {
  static final String HOST = "127.0.0.1";
  private static final long CALL_TIMEOUT_SECONDS = 10;

  final int id;
  private final Context context;
  private final PeerTransport transport;
  private final Map<Integer, List<String>> received = new ConcurrentHashMap<>();
  private final Map<Integer, java.util.concurrent.atomic.AtomicInteger> partials =
      new ConcurrentHashMap<>();
  /** "connected N" / "disconnected N", in order. */
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final Map<Integer, Boolean> up = new ConcurrentHashMap<>();

  private TestPeer(int id, Context context, int port, Map<Integer, SocketAddress> peers,
      PeerTransportOptions options) {
    this.id = id;
    this.context = context;
    this.transport = new PeerTransport(context.owner(), id, HOST, port, peers, options, this);
  }

  /** Deploys a verticle for the transport's context, then creates and starts the transport. */
  static TestPeer start(Vertx vertx, int id, int port, Map<Integer, SocketAddress> peers,
      PeerTransportOptions options) {
    Context context = contextOf(vertx);
    TestPeer peer = call(context, () -> new TestPeer(id, context, port, peers, options));
    callFuture(context, peer.transport::start);
    return peer;
  }

  private static Context contextOf(Vertx vertx) {
    CompletableFuture<Context> ctx = new CompletableFuture<>();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        ctx.complete(context);
        return Future.succeededFuture();
      }
    });
    return join(ctx);
  }

  /** This transport's address, for the peer maps of higher-id servers. */
  SocketAddress address() {
    return SocketAddress.inetSocketAddress(transport.boundPort(), HOST);
  }

  int port() {
    return transport.boundPort();
  }

  PeerTransport transport() {
    return transport;
  }

  /** Sends frames on the transport's context, in order. */
  void send(int to, List<byte[]> frames) {
    call(context, () -> {
      frames.forEach(f -> transport.send(to, f));
      return null;
    });
  }

  /** {@link PeerTransport#sendAll} on the transport's context. */
  Future<Void> sendAll(int to, List<byte[]> frames) {
    return call(context, () -> transport.sendAll(to, frames));
  }

  void send(int to, String text) {
    send(to, List.of(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** {@link PeerTransport#isConnected}, asked on the transport's context. */
  boolean isConnected(int peer) {
    return call(context, () -> transport.isConnected(peer));
  }

  /** What the listener was told about the link to {@code peer} (its last event). */
  boolean sawConnected(int peer) {
    return up.getOrDefault(peer, false);
  }

  /** Frames received from {@code from}, as text, in arrival order (a copy). */
  List<String> receivedFrom(int from) {
    List<String> list = received.get(from);
    if (list == null) {
      return List.of();
    }
    synchronized (list) {
      return new ArrayList<>(list);
    }
  }

  long eventCount(String event) {
    synchronized (events) {
      return events.stream().filter(event::equals).count();
    }
  }

  void close() {
    callFuture(context, transport::close);
  }

  @Override
  public void received(int from, byte[] frameBody) {
    received.computeIfAbsent(from, k -> Collections.synchronizedList(new ArrayList<>()))
        .add(new String(frameBody, StandardCharsets.UTF_8));
  }

  @Override
  public void receiving(int peer) {
    partials.computeIfAbsent(peer, k -> new java.util.concurrent.atomic.AtomicInteger())
        .incrementAndGet();
  }

  /** How often part of a frame from {@code from} was reported arriving. */
  int partialsFrom(int from) {
    java.util.concurrent.atomic.AtomicInteger n = partials.get(from);
    return n == null ? 0 : n.get();
  }

  @Override
  public void connected(int peer) {
    events.add("connected " + peer);
    up.put(peer, true);
  }

  @Override
  public void disconnected(int peer) {
    events.add("disconnected " + peer);
    up.put(peer, false);
  }

  /** Runs {@code work} on {@code context} and waits for its result. */
  static <T> T call(Context context, Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(work.get());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return join(result);
  }

  /** Runs {@code work} on {@code context} and waits for the future it returns. */
  static <T> T callFuture(Context context, Supplier<Future<T>> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(result::complete, result::completeExceptionally);
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return join(result);
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

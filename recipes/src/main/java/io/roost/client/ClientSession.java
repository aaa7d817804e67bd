package io.roost.client;

import io.roost.core.proto.AuthPacket;
import io.roost.core.proto.Code;
import io.roost.core.proto.ConnectRequest;
import io.roost.core.proto.ConnectResponse;
import io.roost.core.proto.JuteInput;
import io.roost.core.proto.JuteOutput;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.ReplyHeader;
import io.roost.core.proto.RequestHeader;
import io.roost.core.proto.WatcherEvent;
import io.roost.core.proto.Xid;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The session engine: one connection at a time to one server of the connect string, the
 * handshake (new session or the same one again), pings, FIFO matching of answers, watch events,
 * re-registration of watches and credentials after a reconnect, and the connection states.
 * Everything runs on one Vert.x context; callers hop onto it.
 */
final class ClientSession {
  private static final Logger LOG = System.getLogger(ClientSession.class.getName());

  /** Credentials sent after every handshake. */
  record Auth(String scheme, byte[] credentials) {}

  private final Vertx vertx;
  private final Context context;
  private final NetClient net;
  private final HostList hosts;
  private final int requestedTimeoutMs;
  private final List<Auth> auths;
  private final int maxFrameBytes;
  private final Watches watches;
  private final Consumer<ConnectionState> stateSink;
  private final Consumer<Runnable> eventSink;
  private final Random random;

  private long sessionId;
  private byte[] password = new byte[16];
  private int negotiatedTimeoutMs;
  private long lastZxid;
  private int nextXid = 1;

  private NetSocket socket;
  private boolean handshakeDone;
  private final ArrayDeque<Request<?>> inFlight = new ArrayDeque<>();
  private ConnectionState state;
  private boolean everConnected;
  private boolean closed;
  private long disconnectedAtMs = -1;
  private long lastReceivedMs;
  private long lastSentMs;
  private long timerId = -1;
  private final Promise<Void> firstConnect = Promise.promise();
  private int attemptsThisPass;

  ClientSession(Vertx vertx, Context context, HostList hosts, int requestedTimeoutMs,
      List<Auth> auths, int maxFrameBytes, Watches watches, Consumer<ConnectionState> stateSink,
      Consumer<Runnable> eventSink, Random random) {
    this.vertx = vertx;
    this.context = context;
    this.hosts = hosts;
    this.requestedTimeoutMs = requestedTimeoutMs;
    this.auths = List.copyOf(auths);
    this.maxFrameBytes = maxFrameBytes;
    this.watches = watches;
    this.stateSink = stateSink;
    this.eventSink = eventSink;
    this.random = random;
    int connectTimeout = Math.max(1_000, requestedTimeoutMs / Math.max(1, hosts.size()));
    this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(connectTimeout)
        .setTcpNoDelay(true));
  }

  // ---- called on the context ----

  /** Starts connecting; the future completes at the first handshake. */
  io.vertx.core.Future<Void> start() {
    timerId = vertx.setPeriodic(Math.max(10, Math.min(500, requestedTimeoutMs / 10)),
        id -> onTimer());
    connectNext();
    return firstConnect.future();
  }

  long sessionId() {
    return sessionId;
  }

  byte[] password() {
    return password.clone();
  }

  int negotiatedTimeoutMs() {
    return negotiatedTimeoutMs;
  }

  ConnectionState state() {
    return state;
  }

  long lastZxid() {
    return lastZxid;
  }

  boolean isConnected() {
    return handshakeDone && socket != null;
  }

  /** Sends a request now, or fails it with ConnectionLoss if not connected. */
  <T> void send(Request<T> request) {
    if (closed) {
      request.future.completeExceptionally(RoostException.of(Code.CONNECTION_LOSS,
          request.path));
      return;
    }
    if (!isConnected()) {
      request.future.completeExceptionally(RoostException.of(Code.CONNECTION_LOSS,
          request.path));
      return;
    }
    request.xid = nextXid++;
    if (nextXid <= 0) {
      nextXid = 1;
    }
    JuteOutput out = JuteOutput.framed();
    new RequestHeader(request.xid, request.op).write(out);
    if (request.body != null) {
      request.body.write(out);
    }
    request.sentNanos = System.nanoTime();
    inFlight.add(request);
    write(out);
  }

  /** Closes the session on the server (if connected) and the connection. */
  io.vertx.core.Future<Void> close() {
    if (closed) {
      return io.vertx.core.Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    if (isConnected()) {
      Request<Void> bye = new Request<>(OpCode.closeSession, null, null, in -> null, null);
      send(bye);
      long guard = vertx.setTimer(Math.max(1_000, negotiatedTimeoutMs / 3), id -> done.tryComplete());
      bye.future.whenComplete((v, e) -> {
        vertx.cancelTimer(guard);
        done.tryComplete();
      });
    } else {
      done.complete();
    }
    return done.future().eventually(() -> {
      closed = true;
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
      }
      NetSocket s = socket;
      socket = null;
      handshakeDone = false;
      // CLOSED first, so that the requests failed now are not scheduled for a retry.
      setState(ConnectionState.CLOSED);
      failInFlight();
      firstConnect.tryFail(RoostException.of(Code.CONNECTION_LOSS, null));
      return (s == null ? io.vertx.core.Future.<Void>succeededFuture() : s.close())
          .eventually(net::close);
    });
  }

  // ---- connecting ----

  private void connectNext() {
    if (closed || socket != null) {
      return;
    }
    if (hosts.atStart() && attemptsThisPass > 0) {
      // A whole pass failed: wait a little (with jitter) before the next one.
      attemptsThisPass = 0;
      vertx.setTimer(100 + random.nextInt(400), id -> connectNext());
      return;
    }
    attemptsThisPass++;
    HostList.Host host = hosts.next();
    net.connect(host.port(), host.host()).onComplete(ar -> {
      if (closed) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.failed()) {
        LOG.log(Level.DEBUG, "cannot connect to {0}: {1}", host, ar.cause().getMessage());
        connectNext();
        return;
      }
      attach(ar.result(), host);
    });
  }

  private void attach(NetSocket s, HostList.Host host) {
    socket = s;
    handshakeDone = false;
    lastReceivedMs = now();
    RecordParser parser = RecordParser.newFixed(4);
    int[] expecting = {-1};
    parser.handler(buf -> {
      if (expecting[0] < 0) {
        int len = buf.getInt(0);
        if (len <= 0 || len > maxFrameBytes) {
          LOG.log(Level.WARNING, "{0} sent a frame of {1} bytes; dropping the connection", host,
              len);
          s.close();
          return;
        }
        expecting[0] = len;
        parser.fixedSizeMode(len);
      } else {
        expecting[0] = -1;
        parser.fixedSizeMode(4);
        if (socket == s) {
          onFrame(buf.getBytes());
        }
      }
    });
    s.handler(parser);
    s.closeHandler(v -> {
      if (socket == s) {
        lost("the connection to " + host + " closed");
      }
    });
    s.exceptionHandler(e -> LOG.log(Level.DEBUG, "connection to {0}: {1}", host,
        e.getMessage()));
    JuteOutput out = JuteOutput.framed();
    new ConnectRequest(0, lastZxid, requestedTimeoutMs, sessionId, password, false, true)
        .write(out);
    write(out);
  }

  private void write(JuteOutput framed) {
    lastSentMs = now();
    socket.write(Buffer.buffer(framed.toFrame()));
  }

  private void onFrame(byte[] frame) {
    lastReceivedMs = now();
    JuteInput in = new JuteInput(frame);
    if (!handshakeDone) {
      onHandshake(ConnectResponse.read(in));
      return;
    }
    ReplyHeader h = ReplyHeader.read(in);
    if (h.zxid() > 0 && h.xid() != Xid.PING) {
      lastZxid = Math.max(lastZxid, h.zxid());
    }
    switch (h.xid()) {
      case Xid.NOTIFICATION -> onEvent(WatcherEvent.read(in));
      case Xid.PING, Xid.SET_WATCHES -> { }
      case Xid.AUTH -> {
        if (h.err() != 0) {
          LOG.log(Level.ERROR, "the server refused this client''s credentials ({0})", h.err());
        }
      }
      default -> onReply(h, in);
    }
  }

  private void onHandshake(ConnectResponse r) {
    if (r.timeOut() <= 0) {
      // The servers no longer know the session: it expired.
      LOG.log(Level.INFO, "session 0x{0} expired", Long.toHexString(sessionId));
      expire();
      NetSocket s = socket;
      socket = null;
      s.close();
      connectNext();
      return;
    }
    boolean newSession = r.sessionId() != sessionId;
    sessionId = r.sessionId();
    password = r.passwd();
    negotiatedTimeoutMs = r.timeOut();
    handshakeDone = true;
    disconnectedAtMs = -1;
    attemptsThisPass = 0;
    for (Auth a : auths) {
      JuteOutput out = JuteOutput.framed();
      new RequestHeader(Xid.AUTH, OpCode.auth).write(out);
      new AuthPacket(0, a.scheme(), a.credentials()).write(out);
      write(out);
    }
    if (!watches.isEmpty()) {
      JuteOutput out = JuteOutput.framed();
      new RequestHeader(Xid.SET_WATCHES, OpCode.setWatches2).write(out);
      watches.toSetWatches(lastZxid).write(out);
      write(out);
    }
    LOG.log(Level.DEBUG, "{0} session 0x{1}, timeout {2} ms", newSession ? "new" : "resumed",
        Long.toHexString(sessionId), negotiatedTimeoutMs);
    setState(everConnected ? ConnectionState.RECONNECTED : ConnectionState.CONNECTED);
    everConnected = true;
    firstConnect.tryComplete();
  }

  private void onReply(ReplyHeader h, JuteInput in) {
    Request<?> request = inFlight.poll();
    if (request == null || request.xid != h.xid()) {
      LOG.log(Level.WARNING, "answer xid {0} does not match the request waiting ({1});"
          + " dropping the connection", h.xid(), request == null ? "none" : request.xid);
      if (request != null) {
        inFlight.addFirst(request);
      }
      socket.close();
      return;
    }
    complete(request, h.err(), in);
  }

  private <T> void complete(Request<T> request, int err, JuteInput in) {
    if (request.watch != null) {
      request.watch.answered(err);
    }
    if (err != 0) {
      request.future.completeExceptionally(RoostException.of(Code.of(err), request.path));
      return;
    }
    T value;
    try {
      value = request.decoder.decode(in);
    } catch (RuntimeException e) {
      request.future.completeExceptionally(RoostException.of(Code.MARSHALLING_ERROR,
          request.path));
      return;
    }
    request.future.complete(value);
  }

  private void onEvent(WatcherEvent e) {
    WatchEvent.Type type = WatchEvent.Type.of(e.type());
    if (type == null || e.path() == null) {
      return; // session events are reported as connection states
    }
    List<WatchListener> targets = watches.fire(type, e.path());
    for (WatchListener l : targets) {
      eventSink.accept(() -> l.process(new WatchEvent(type, e.path())));
    }
  }

  // ---- losing the connection or the session ----

  private void lost(String why) {
    LOG.log(Level.DEBUG, "{0}", why);
    socket = null;
    boolean wasConnected = handshakeDone;
    handshakeDone = false;
    failInFlight();
    if (wasConnected) {
      disconnectedAtMs = now();
      setState(ConnectionState.SUSPENDED);
    }
    if (!closed) {
      vertx.setTimer(1 + random.nextInt(50), id -> connectNext());
    }
  }

  private void failInFlight() {
    while (!inFlight.isEmpty()) {
      Request<?> r = inFlight.poll();
      r.future.completeExceptionally(RoostException.of(Code.CONNECTION_LOSS, r.path));
    }
  }

  /** The session is gone: report LOST and start over with a new one. */
  private void expire() {
    sessionId = 0;
    password = new byte[16];
    disconnectedAtMs = -1;
    if (everConnected) {
      setState(ConnectionState.LOST);
    }
  }

  private void onTimer() {
    if (closed) {
      return;
    }
    long now = now();
    if (isConnected()) {
      int readTimeout = negotiatedTimeoutMs * 2 / 3;
      if (now - lastReceivedMs > readTimeout) {
        NetSocket s = socket;
        lost("no answer from the server for " + (now - lastReceivedMs) + " ms");
        s.close();
        return;
      }
      if (now - lastSentMs >= negotiatedTimeoutMs / 3) {
        JuteOutput out = JuteOutput.framed();
        new RequestHeader(Xid.PING, OpCode.ping).write(out);
        write(out);
      }
    } else if (disconnectedAtMs >= 0 && sessionId != 0
        && now - disconnectedAtMs >= negotiatedTimeoutMs) {
      // Cut off for a whole session timeout: the servers have expired the session by now
      // (or will before anything this client does could count), so stop trusting it.
      LOG.log(Level.INFO, "no server for {0} ms: session 0x{1} is lost", now - disconnectedAtMs,
          Long.toHexString(sessionId));
      expire();
    }
  }

  private void setState(ConnectionState next) {
    if (state == next) {
      return;
    }
    state = next;
    stateSink.accept(next);
  }

  private long now() {
    return System.nanoTime() / 1_000_000;
  }

  /** True if called on this session's context thread. */
  boolean onContext() {
    return Vertx.currentContext() == context;
  }

  /** Completes {@code f} on the caller's side; exists so a request can be built off-context. */
  static <T> CompletableFuture<T> failed(RoostException e) {
    CompletableFuture<T> f = new CompletableFuture<>();
    f.completeExceptionally(e);
    return f;
  }
}

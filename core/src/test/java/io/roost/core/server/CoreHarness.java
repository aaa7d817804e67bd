package io.roost.core.server;

import io.roost.core.proto.ConnectRequest;
import io.roost.core.proto.ConnectResponse;
import io.roost.core.proto.JuteInput;
import io.roost.core.proto.JuteOutput;
import io.roost.core.proto.Record;
import io.roost.core.proto.ReplyHeader;
import io.roost.core.proto.RequestHeader;
import io.roost.core.state.StateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Drives a {@link ServerCore} in memory with a manual clock: no sockets, no threads. */
final class CoreHarness {
  static final class ManualClock implements CoreClock {
    long millis = 1_000_000;

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public long nanos() {
      return millis * 1_000_000;
    }
  }

  /** One in-memory client connection: frames the core sent, and whether it closed us. */
  static final class Client implements Transport {
    final List<byte[]> frames = new ArrayList<>();
    boolean closed;
    CoreConnection conn;
    long sessionId;
    byte[] password;
    int timeout;

    @Override
    public void send(byte[] frame) {
      byte[] body = new byte[frame.length - 4];
      System.arraycopy(frame, 4, body, 0, body.length);
      frames.add(body);
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public String remoteHost() {
      return "127.0.0.1";
    }

    /** Removes and returns the oldest frame. */
    JuteInput next() {
      if (frames.isEmpty()) {
        throw new AssertionError("no frame from the server");
      }
      byte[] f = frames.remove(0);
      return new JuteInput(f);
    }
  }

  final ManualClock clock = new ManualClock();
  final StateMachine state = new StateMachine();
  final ServerCore core;

  CoreHarness(CoreSettings settings) {
    this(settings, Replicator.IN_MEMORY);
  }

  CoreHarness(CoreSettings settings, Replicator replicator) {
    core = new ServerCore(settings, state, replicator, clock, new Random(1));
  }

  /** A replicator that holds proposals until the test commits them, like a slow disk. */
  static final class HeldReplicator implements Replicator {
    final java.util.ArrayDeque<io.roost.core.txn.Transaction> held = new java.util.ArrayDeque<>();
    final java.util.ArrayDeque<java.util.function.Consumer<io.roost.core.txn.Transaction>> commits =
        new java.util.ArrayDeque<>();

    @Override
    public void propose(io.roost.core.txn.Transaction txn,
        java.util.function.Consumer<io.roost.core.txn.Transaction> commit) {
      held.add(txn);
      commits.add(commit);
    }

    /** Commits the oldest held proposal; false if none. */
    boolean commitOne() {
      if (held.isEmpty()) {
        return false;
      }
      commits.poll().accept(held.poll());
      return true;
    }

    /** Commits everything held, including proposals made while committing. */
    void commitAll() {
      while (commitOne()) {
        // keep going
      }
    }
  }

  Client connect(int timeoutMs) {
    return connect(timeoutMs, 0, new byte[16]);
  }

  Client connect(int timeoutMs, long sessionId, byte[] password) {
    Client c = new Client();
    c.conn = core.open(c);
    JuteOutput out = new JuteOutput();
    new ConnectRequest(0, 0, timeoutMs, sessionId, password, false, true).write(out);
    byte[] bytes = out.toByteArray();
    core.receive(c.conn, bytes, 0, bytes.length);
    if (!c.frames.isEmpty()) {
      ConnectResponse r = ConnectResponse.read(c.next());
      c.sessionId = r.sessionId();
      c.password = r.passwd();
      c.timeout = r.timeOut();
    }
    return c;
  }

  void send(Client c, int xid, int op, Record body) {
    JuteOutput out = new JuteOutput();
    new RequestHeader(xid, op).write(out);
    if (body != null) {
      body.write(out);
    }
    byte[] bytes = out.toByteArray();
    core.receive(c.conn, bytes, 0, bytes.length);
  }

  /** Reads the next frame's header (and leaves the body in the returned input). */
  static ReplyHeader header(JuteInput in) {
    return ReplyHeader.read(in);
  }
}

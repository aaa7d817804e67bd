package io.roost.core.server;

import io.roost.core.proto.Id;
import io.roost.core.proto.JuteOutput;
import io.roost.core.proto.KeeperState;
import io.roost.core.proto.Record;
import io.roost.core.proto.ReplyHeader;
import io.roost.core.proto.WatcherEvent;
import io.roost.core.proto.Xid;
import io.roost.core.watch.Watcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The core's view of one client connection: its session, its authenticated ids, its queue of
 * requests waiting to run, and counters for the admin commands. Watches are held per connection,
 * as in ZooKeeper; a client re-registers them when it reconnects. Used only on the core's thread.
 */
public final class CoreConnection implements Watcher {
  /** One decoded request waiting its turn. */
  record Pending(int xid, int op, Record body, long receivedNanos) {}

  /** A reply that must wait for the replies of earlier requests still in flight. */
  static final class ReplySlot {
    final Pending request;
    boolean done;
    long zxid;
    int err;
    Record body;

    ReplySlot(Pending request) {
      this.request = request;
    }
  }

  final Transport transport;
  final long connectedAtMs;
  final ArrayDeque<Pending> queue = new ArrayDeque<>();
  /** Replies in request order; the head is sent as soon as it is done. */
  final ArrayDeque<ReplySlot> replies = new ArrayDeque<>();
  /** Writes of this connection proposed but not applied; its reads wait until this is 0. */
  int writesInFlight;
  /**
   * Linearizable reads waiting for their read index; later reads may pass them, nothing else
   * starts until this is 0 (so a read never sees this connection's later writes).
   */
  int readsInFlight;
  final List<Id> ids = new ArrayList<>(2);
  long sessionId;
  int timeoutMs;
  boolean handshakeDone;
  boolean handshakeInFlight;
  /** A closeSession is in flight: nothing after it runs. */
  boolean waiting;
  boolean draining;
  boolean closed;
  long lastZxid;
  long received;
  long sent;
  String lastOp = "NA";

  CoreConnection(Transport transport, long nowMs) {
    this.transport = transport;
    this.connectedAtMs = nowMs;
    ids.add(new Id("ip", transport.remoteHost()));
  }

  /** The connection's session id (0 before the handshake completes). */
  public long sessionId() {
    return sessionId;
  }

  /** The negotiated session timeout in milliseconds (0 before the handshake). */
  public int timeoutMs() {
    return timeoutMs;
  }

  /** The client's address. */
  public String remoteHost() {
    return transport.remoteHost();
  }

  /** The client's port. */
  public int remotePort() {
    return transport.remotePort();
  }

  /** Frames received from the client. */
  public long receivedCount() {
    return received;
  }

  /** Frames sent to the client. */
  public long sentCount() {
    return sent;
  }

  /** Requests waiting in this connection's queue. */
  public int queuedCount() {
    return queue.size() + replies.size();
  }

  /** Name of the last operation served. */
  public String lastOp() {
    return lastOp;
  }

  /** Zxid of the last reply. */
  public long lastZxid() {
    return lastZxid;
  }

  /** When the connection was opened, in the core's milliseconds. */
  public long connectedAtMs() {
    return connectedAtMs;
  }

  /** The identities this connection authenticated as (ip included). */
  public List<Id> ids() {
    return Collections.unmodifiableList(ids);
  }

  @Override
  public void process(int eventType, String path, long zxid) {
    if (closed) {
      return;
    }
    JuteOutput out = JuteOutput.framed();
    new ReplyHeader(Xid.NOTIFICATION, zxid, 0).write(out);
    new WatcherEvent(eventType, KeeperState.SYNC_CONNECTED, path).write(out);
    send(out.toFrame());
  }

  void reply(int xid, long zxid, int err, Record body) {
    if (closed) {
      return;
    }
    JuteOutput out = JuteOutput.framed();
    new ReplyHeader(xid, zxid, err).write(out);
    if (body != null && err == 0) {
      body.write(out);
    }
    lastZxid = zxid;
    send(out.toFrame());
  }

  void send(byte[] frame) {
    sent++;
    transport.send(frame);
  }

  void close() {
    if (!closed) {
      closed = true;
      queue.clear();
      replies.clear();
      transport.close();
    }
  }

  @Override
  public String toString() {
    return "connection " + transport.remoteHost() + " session 0x" + Long.toHexString(sessionId);
  }
}

package io.roost.core.consensus;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Id;
import io.roost.core.proto.Perms;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A fault-free, step-by-step ensemble for scripted scenarios: messages are delivered in the order
 * sent, appends become durable at the end of each round unless a server's disk is held, and
 * servers can be kept down. Each {@link #round()} delivers everything queued, flushes disks and
 * ticks every server once.
 */
final class TestCluster {
  private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

  private record InFlight(int from, int to, PeerMessage message) {}

  final Map<Integer, SimNode> nodes = new LinkedHashMap<>();
  final List<PeerMessage> sentLog = new ArrayList<>();
  private final Deque<InFlight> wire = new ArrayDeque<>();
  private final Set<Integer> down = new HashSet<>();
  private final Set<Integer> diskHeld = new HashSet<>();
  private final Set<Integer> isolated = new HashSet<>();
  /** Messages of these types wait (in order) until released, as if slow on the wire. */
  private final Set<Class<? extends PeerMessage>> heldTypes = new HashSet<>();
  private final List<InFlight> heldBack = new ArrayList<>();
  /** Messages of these types are lost. */
  private final Set<Class<? extends PeerMessage>> lostTypes = new HashSet<>();
  private final Set<Integer> frozen = new HashSet<>();
  /** Read indexes each server confirmed, in order. */
  final Map<Integer, List<Ready.ReadIndex>> confirmedReads = new HashMap<>();

  TestCluster(Ensemble ensemble, ConsensusOptions options) {
    for (Integer id : ensemble.members()) {
      nodes.put(id, new SimNode(id, ensemble, options));
    }
  }

  static ConsensusOptions.Builder fastOptions() {
    return ConsensusOptions.builder().initLimit(10).syncLimit(5).finalizeTicks(1)
        .retransmitTicks(2);
  }

  /** A create transaction at {@code zxid}, for preloading logs. */
  static Transaction create(long zxid, String path) {
    return new Transaction(1, 0, zxid, 0,
        new TxnOp.Create(path, path.getBytes(StandardCharsets.UTF_8), OPEN, 0, 1));
  }

  SimNode node(int id) {
    return nodes.get(id);
  }

  ConsensusNode core(int id) {
    return nodes.get(id).core;
  }

  /** Starts every server not marked down. */
  TestCluster start() {
    for (SimNode n : nodes.values()) {
      if (!down.contains(n.id)) {
        n.start();
        drive(n);
      }
    }
    return this;
  }

  /** Keeps a server down (crashes it if it is up). */
  void stop(int id) {
    down.add(id);
    SimNode n = nodes.get(id);
    if (n.isUp()) {
      n.crash();
    }
  }

  /** Starts a stopped server from its disk. */
  void restart(int id) {
    down.remove(id);
    SimNode n = nodes.get(id);
    n.start();
    drive(n);
  }

  /** While held, a server's appends stay unsynced. */
  void holdDisk(int id, boolean held) {
    if (held) {
      diskHeld.add(id);
    } else {
      diskHeld.remove(id);
    }
  }

  /** While set, every message of this type is lost. */
  void lose(Class<? extends PeerMessage> type, boolean lost) {
    if (lost) {
      lostTypes.add(type);
    } else {
      lostTypes.remove(type);
    }
  }

  /**
   * While held, messages of this type wait, and so does everything sent after one of them on the
   * same link (as behind a large frame on a TCP stream); released, they go out in order in the
   * next round.
   */
  void hold(Class<? extends PeerMessage> type, boolean held) {
    if (held) {
      heldTypes.add(type);
    } else {
      heldTypes.remove(type);
      wire.addAll(heldBack);
      heldBack.clear();
    }
  }

  /** Server {@code at} sees part of a frame from {@code from} arrive. */
  void progress(int at, int from) {
    SimNode n = nodes.get(at);
    n.core.peerProgress(from);
    drive(n);
  }

  /** While isolated, messages from and to a server are lost. */
  void isolate(int id, boolean cut) {
    if (cut) {
      isolated.add(id);
    } else {
      isolated.remove(id);
    }
  }

  /** While frozen, a server's clock stands still (it is not ticked), as on a paused process. */
  void freeze(int id, boolean stopped) {
    if (stopped) {
      frozen.add(id);
    } else {
      frozen.remove(id);
    }
  }

  /** Asks server {@code id} for read index {@code readId}; false if it refused. */
  boolean readIndex(int id, long readId) {
    SimNode n = nodes.get(id);
    boolean asked = n.core.readIndex(readId);
    drive(n);
    return asked;
  }

  /** Server {@code at} loses its connection to {@code peer}. */
  void disconnect(int at, int peer) {
    SimNode n = nodes.get(at);
    n.core.peerDisconnected(peer);
    drive(n);
  }

  /** Delivers everything queued, flushes disks, ticks everyone. */
  void round() {
    int budget = 100_000;
    while (!wire.isEmpty() && budget-- > 0) {
      InFlight m = wire.poll();
      if (heldTypes.contains(m.message().getClass()) || heldBack.stream()
          .anyMatch(h -> h.from() == m.from() && h.to() == m.to())) {
        heldBack.add(m); // and everything after it on that link: a link is a TCP stream
        continue;
      }
      SimNode to = nodes.get(m.to());
      if (to.isUp() && !isolated.contains(m.from()) && !isolated.contains(m.to())
          && !lostTypes.contains(m.message().getClass())) {
        to.core.step(m.from(), m.message());
        drive(to);
      }
    }
    for (SimNode n : nodes.values()) {
      if (n.isUp() && !diskHeld.contains(n.id)) {
        long seq = n.flush();
        if (seq > 0) {
          n.core.persisted(seq);
          drive(n);
        }
      }
    }
    for (SimNode n : nodes.values()) {
      if (n.isUp() && !frozen.contains(n.id)) {
        n.core.tick();
        drive(n);
      }
    }
  }

  /** Runs rounds until the condition holds; fails after {@code max} rounds. */
  void runUntil(BooleanSupplier condition, int max, String what) {
    for (int i = 0; i < max; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      round();
    }
    if (!condition.getAsBoolean()) {
      StringBuilder b = new StringBuilder("not reached in " + max + " rounds: " + what);
      for (SimNode n : nodes.values()) {
        b.append("\n  ").append(n.isUp() ? n.core : "server " + n.id + " down");
      }
      throw new AssertionError(b.toString());
    }
  }

  /** The serving leader, or null. */
  SimNode leader() {
    for (SimNode n : nodes.values()) {
      if (n.isUp() && n.core.status().role() == Role.LEADING && n.core.status().serving()) {
        return n;
      }
    }
    return null;
  }

  /** True once a leader serves and every running server is synchronized with it. */
  boolean allServing() {
    SimNode leader = leader();
    if (leader == null) {
      return false;
    }
    for (SimNode n : nodes.values()) {
      if (n.isUp() && (!n.core.status().serving()
          || n.core.status().epoch() != leader.core.status().epoch())) {
        return false;
      }
    }
    return true;
  }

  /** Proposes one create at the leader and returns it. */
  Transaction propose(String path) {
    SimNode leader = leader();
    if (leader == null) {
      throw new AssertionError("no leader to propose to");
    }
    long zxid = leader.core.nextZxid();
    Transaction txn = create(zxid, path);
    if (!leader.core.propose(txn)) {
      throw new AssertionError("the leader refused " + txn);
    }
    drive(leader);
    return txn;
  }

  private void drive(SimNode n) {
    Ready r = n.core.ready();
    if (r.hardState() != null) {
      n.persistHard(r.hardState());
    }
    for (LogOp op : r.logOps()) {
      n.apply(op);
    }
    for (Transaction t : r.committed()) {
      n.applyCommitted(t);
    }
    confirmedReads.computeIfAbsent(n.id, k -> new ArrayList<>()).addAll(r.reads());
    for (Envelope e : r.messages()) {
      sentLog.add(e.message());
      if (!down.contains(e.to())) {
        wire.add(new InFlight(n.id, e.to(), e.message()));
      }
    }
  }
}

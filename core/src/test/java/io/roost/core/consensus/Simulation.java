package io.roost.core.consensus;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Id;
import io.roost.core.proto.Perms;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic simulation of an ensemble: every server's core, state and disk, a network that
 * drops, duplicates, delays and reorders messages and cuts partitions, crashes that lose unsynced
 * writes, pauses that stop a server's clock, and clients that propose at whichever server leads. One seed fixes everything; the same
 * seed replays the same run. Time is simulated milliseconds; a tick is {@link #TICK_MS}.
 *
 * <p>After every event the {@link SimChecker} checks the safety properties; at the end the faults
 * stop and the run must converge: one leader serving, every server at the same zxid and digest,
 * every acknowledged write on every server.
 */
final class Simulation {
  static final int TICK_MS = 50;
  private static final long MAX_STEPS = 3_000_000;
  private final Map<String, Integer> sentByType = new java.util.TreeMap<>();
  private static final int DEBUG = Integer.getInteger("roost.sim.debug", 0);
  private static final long DEBUG_FROM = Long.getLong("roost.sim.debugFrom", 20_000);
  private static final List<ACL> OPEN =
      List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

  /** Settings of one run. */
  record Config(int voters, int observers, long chaosMs, long healMs, double dropRate,
      double duplicateRate, double slowRate, int maxDelayMs, double crashRate,
      double partitionRate, int maxPartitionMs, double snapshotRate, int proposeEveryMs,
      long maxCounter, int tickJitterMs, double pauseRate) {

    /**
     * A run whose fault rates are drawn from the seed: some calm, some hostile. A quarter of the
     * runs are storms: frequent short partitions, many slow (stale) messages, crashes and
     * servers whose ticks run at different speeds, so elections overlap and old messages arrive
     * in new epochs.
     */
    static Config random(Random r, int voters, int observers) {
      boolean storm = r.nextInt(4) == 0;
      return new Config(voters, observers, 4_000 + r.nextInt(4_000), 20_000,
          r.nextInt(4) == 0 ? 0 : r.nextDouble() * 0.15,
          r.nextDouble() * 0.05,
          r.nextDouble() * (storm ? 0.3 : 0.1),
          5 + r.nextInt(30),
          r.nextInt(3) == 0 ? 0 : 0.0005 + r.nextDouble() * (storm ? 0.01 : 0.002),
          r.nextInt(3) == 0 && !storm ? 0 : 0.0005 + r.nextDouble() * (storm ? 0.02 : 0.002),
          storm ? 400 : 2_000,
          r.nextDouble() * 0.01,
          2 + r.nextInt(10),
          r.nextInt(5) == 0 ? 20 + r.nextInt(40) : 0xfffffffeL,
          storm ? 25 : r.nextInt(10),
          r.nextInt(3) == 0 ? 0 : r.nextDouble() * (storm ? 0.01 : 0.002));
    }
  }

  private record Event(long time, long seq, Runnable action) {}

  private final long seed;
  private final Config config;
  private final Random random;
  private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.time != b.time
      ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private final Map<Integer, SimNode> nodes = new LinkedHashMap<>();
  private final SimChecker checker;
  private final Set<Long> cut = new HashSet<>();
  private long now;
  private long eventSeq;
  private long steps;
  /** Network faults, crashes, partitions and snapshots happen (until the heal). */
  private boolean faults = true;
  /** Clients propose (until a while after the heal). */
  private boolean chaos = true;
  private int nextClientOp;
  private long nextReadId;
  private final List<String> trace = new ArrayList<>();

  Simulation(long seed, Config config) {
    this.seed = seed;
    this.config = config;
    this.random = new Random(seed);
    List<Integer> voters = new ArrayList<>();
    List<Integer> observers = new ArrayList<>();
    for (int i = 1; i <= config.voters(); i++) {
      voters.add(i);
    }
    for (int i = 1; i <= config.observers(); i++) {
      observers.add(config.voters() + i);
    }
    Ensemble ensemble = new Ensemble(Set.copyOf(voters), Set.copyOf(observers));
    ConsensusOptions options = ConsensusOptions.builder()
        .initLimit(10).syncLimit(5).voteResendTicks(1).finalizeTicks(1).retransmitTicks(2)
        .maxBatch(16).maxInFlight(64).retainEntries(random.nextInt(3) == 0 ? 0 : 50)
        .maxCounter(config.maxCounter()).build();
    for (Integer id : ensemble.members()) {
      nodes.put(id, new SimNode(id, ensemble, options));
    }
    this.checker = new SimChecker(ensemble);
  }

  /** Runs to the end; throws AssertionError (with the seed) if a property is violated. */
  Stats run() {
    try {
      for (SimNode n : nodes.values()) {
        startNode(n);
      }
      schedule(1, this::clientTick);
      schedule(1, this::faultTick);
      long chaosEnd = config.chaosMs();
      while (!queue.isEmpty() && now < chaosEnd) {
        step();
      }
      heal();
      long deadline = now + config.healMs();
      long loadEnd = now + 1_000;
      while (!queue.isEmpty() && now < deadline) {
        if (now >= loadEnd) {
          chaos = false; // no new proposals: let it converge
        }
        step();
        if (now >= loadEnd && converged()) {
          checker.checkFinal(nodes.values());
          return new Stats(steps, checker.committedCount(), checker.ackedCount(),
              checker.leaderEpochs(), checker.readCount());
        }
      }
      throw new AssertionError("did not converge within " + config.healMs() + " ms after the"
          + " faults stopped: " + describe());
    } catch (AssertionError | RuntimeException e) {
      AssertionError failure = new AssertionError("simulation seed " + seed + " (" + config
          + ") failed at t=" + now + " ms, step " + steps + ": " + e.getMessage()
          + "\nlast events:\n  " + String.join("\n  ", trace), e);
      throw failure;
    }
  }

  /** What a run did, for reporting. */
  record Stats(long steps, int committed, int acked, int epochs, int reads) {}

  private void step() {
    if (steps > MAX_STEPS) {
      throw new AssertionError("more than " + MAX_STEPS + " events: a message storm? messages"
          + " sent by type: " + sentByType);
    }
    Event e = queue.poll();
    now = e.time;
    steps++;
    e.action.run();
  }

  private void schedule(long delay, Runnable action) {
    queue.add(new Event(now + delay, eventSeq++, action));
  }

  private void note(String what) {
    trace.add(now + " " + what);
    if (trace.size() > (DEBUG > 0 ? 5000 : 40)) {
      trace.remove(0);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Servers
  // ------------------------------------------------------------------------------------------

  private void startNode(SimNode n) {
    n.start();
    checker.restarted(n);
    note("start " + n.id + " " + n.core);
    drive(n);
    int incarnation = n.incarnation;
    schedule(1 + random.nextInt(TICK_MS), () -> tickNode(n, incarnation));
  }

  private void tickNode(SimNode n, int incarnation) {
    if (!n.isUp() || n.incarnation != incarnation) {
      return;
    }
    if (now >= n.pausedUntil) {
      n.core.tick();
      drive(n);
    }
    int jitter = config.tickJitterMs();
    schedule(TICK_MS - jitter + (jitter == 0 ? 0 : random.nextInt(2 * jitter + 1)),
        () -> tickNode(n, incarnation));
  }

  /** Carries out a node's Ready, in the documented order, and checks what it did. */
  private void drive(SimNode n) {
    Ready r = n.core.ready();
    if (r.isEmpty()) {
      return;
    }
    if (r.hardState() != null) {
      n.persistHard(r.hardState());
    }
    boolean needFlush = false;
    for (LogOp op : r.logOps()) {
      needFlush |= n.apply(op);
      if (op instanceof LogOp.InstallSnapshot s) {
        checker.installed(n, s.image());
      }
    }
    for (Transaction t : r.committed()) {
      n.applyCommitted(t);
      checker.applied(n, t, now);
    }
    for (Envelope env : r.messages()) {
      send(n.id, env.to(), env.message());
    }
    for (Ready.ReadIndex read : r.reads()) {
      checker.readConfirmed(n, read.id(), read.zxid());
    }
    if (r.status() != null) {
      note(n.id + " -> " + r.status());
      checker.status(n, r.status());
      if (!(r.status().role() == Role.LEADING && r.status().serving())) {
        checker.failPending(n.id);
      }
    }
    if (needFlush && !n.flushScheduled) {
      n.flushScheduled = true;
      int incarnation = n.incarnation;
      schedule(1 + random.nextInt(8), () -> flush(n, incarnation));
    }
  }

  private void flush(SimNode n, int incarnation) {
    if (!n.isUp() || n.incarnation != incarnation) {
      return;
    }
    long seq = n.flush();
    if (seq > 0) {
      n.core.persisted(seq);
      drive(n);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Network
  // ------------------------------------------------------------------------------------------

  private static long link(int a, int b) {
    return ((long) Math.min(a, b) << 32) | Math.max(a, b);
  }

  private void send(int from, int to, PeerMessage m) {
    int copies = 1;
    sentByType.merge(m.getClass().getSimpleName(), 1, Integer::sum);
    if (DEBUG > 0 && (from == DEBUG || to == DEBUG) && now > DEBUG_FROM) {
      note(from + "->" + to + " " + m);
    }
    if (faults) {
      if (random.nextDouble() < config.dropRate()) {
        return;
      }
      if (random.nextDouble() < config.duplicateRate()) {
        copies = 2;
      }
    }
    for (int i = 0; i < copies; i++) {
      long delay = 1 + random.nextInt(config.maxDelayMs());
      if (faults && random.nextDouble() < config.slowRate()) {
        delay += random.nextInt(10 * TICK_MS);
      }
      SimNode target = nodes.get(to);
      schedule(delay, () -> deliver(from, target, m));
    }
  }

  private void deliver(int from, SimNode to, PeerMessage m) {
    if (!to.isUp() || cut.contains(link(from, to.id))) {
      return;
    }
    to.core.step(from, m);
    drive(to);
  }

  // ------------------------------------------------------------------------------------------
  // Clients and faults
  // ------------------------------------------------------------------------------------------

  private void clientTick() {
    if (chaos) {
      for (SimNode n : nodes.values()) {
        if (n.isUp() && n.core.status().role() == Role.LEADING && n.core.status().serving()) {
          propose(n);
          if (random.nextInt(3) == 0) {
            read(n);
          }
        }
      }
    }
    schedule(1 + random.nextInt(config.proposeEveryMs()), this::clientTick);
  }

  private void propose(SimNode n) {
    int burst = 1 + random.nextInt(4);
    for (int i = 0; i < burst; i++) {
      long zxid = n.core.nextZxid();
      if (zxid < 0) {
        return;
      }
      int op = nextClientOp++;
      String path = "/w" + op;
      Transaction txn = new Transaction(1, op, zxid, now,
          new TxnOp.Create(path, path.getBytes(StandardCharsets.UTF_8), OPEN, 0, op + 1));
      if (!n.core.propose(txn)) {
        throw new AssertionError("leader " + n.id + " refused its own next zxid");
      }
      checker.invoked(n.id, txn, now);
      drive(n);
    }
  }

  /** A client asks the leader for a linearizable read. */
  private void read(SimNode n) {
    long id = nextReadId++;
    if (n.core.readIndex(id)) {
      checker.readInvoked(n.id, id);
      drive(n);
    }
  }

  private void faultTick() {
    if (!faults) {
      return;
    }
    for (SimNode n : nodes.values()) {
      if (n.isUp() && random.nextDouble() < config.crashRate()) {
        note("crash " + n.id);
        n.crash();
        checker.failPending(n.id);
        schedule(50 + random.nextInt(20 * TICK_MS), () -> {
          if (!n.isUp() && faults) {
            startNode(n);
          }
        });
      } else if (n.isUp() && random.nextDouble() < config.snapshotRate()) {
        n.snapshotAndCompact();
      } else if (n.isUp() && random.nextDouble() < config.snapshotRate()) {
        n.compactApplied();
      } else if (n.isUp() && random.nextDouble() < config.pauseRate()) {
        // A long GC pause or a stopped VM: its clock stands still, so a leader does not notice
        // it lost its followers, and a follower does not notice its leader is gone.
        n.pausedUntil = now + 50 + random.nextInt(config.maxPartitionMs());
        note("pause " + n.id + " until " + n.pausedUntil);
      }
    }
    if (random.nextDouble() < config.partitionRate()) {
      partition();
    }
    schedule(10, this::faultTick);
  }

  private void partition() {
    cut.clear();
    List<Integer> ids = new ArrayList<>(nodes.keySet());
    Set<Integer> side = new HashSet<>();
    for (Integer id : ids) {
      if (random.nextBoolean()) {
        side.add(id);
      }
    }
    for (Integer a : ids) {
      for (Integer b : ids) {
        if (a < b && side.contains(a) != side.contains(b)) {
          cut.add(link(a, b));
        }
      }
    }
    note("partition " + side + " | rest");
    schedule(50 + random.nextInt(config.maxPartitionMs()), () -> {
      cut.clear();
      note("partition healed");
    });
  }

  private void heal() {
    faults = false;
    cut.clear();
    for (SimNode n : nodes.values()) {
      n.pausedUntil = 0;
      if (!n.isUp()) {
        startNode(n);
      }
    }
    note("heal");
  }

  private boolean converged() {
    SimNode leader = null;
    for (SimNode n : nodes.values()) {
      Status s = n.core.status();
      if (!s.serving()) {
        return false;
      }
      if (s.role() == Role.LEADING) {
        leader = n;
      }
    }
    if (leader == null) {
      return false;
    }
    long target = leader.core.lastZxid();
    if (leader.core.commitZxid() != target) {
      return false;
    }
    for (SimNode n : nodes.values()) {
      if (n.lastApplied != target || n.core.status().epoch() != leader.core.status().epoch()) {
        return false;
      }
    }
    return true;
  }

  private String describe() {
    StringBuilder b = new StringBuilder();
    for (SimNode n : nodes.values()) {
      b.append("\n  ").append(n.isUp() ? n.core.toString() : "server " + n.id + " down")
          .append(" applied=0x").append(Long.toHexString(n.lastApplied));
    }
    return b.toString();
  }
}

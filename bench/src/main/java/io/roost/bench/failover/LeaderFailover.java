package io.roost.bench.failover;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * The steps of a leader failover on any {@link EnsembleUnderTest}, shared by the failover
 * benchmark and the comparison with ZooKeeper: wait for one leader, wait until a server is in
 * sync, kill the leader under a {@link ContinuousWriter} and time the new leader and the first
 * write, wait until every server agrees. Leaders and sync are read from {@code srvr} ({@link
 * ServerProbe}), which both Roost and ZooKeeper answer. Every wait is bounded.
 */
public final class LeaderFailover {
  /** The session timeout the probes and the writer ask for: long enough to ride out a failover. */
  public static final int SESSION_TIMEOUT_MS = 30_000;
  /** The longest wait for an ensemble to elect a leader and serve after a start. */
  public static final Duration START_WAIT = Duration.ofSeconds(60);
  static final Duration FAILOVER_WAIT = Duration.ofSeconds(60);
  static final Duration REJOIN_WAIT = Duration.ofSeconds(120);
  /** Writes go on for this long before the first kill and after each rejoin. */
  static final Duration STEADY = Duration.ofSeconds(2);
  /** How often the survivors are asked for srvr while a new leader is awaited. */
  static final Duration LEADER_POLL = Duration.ofMillis(20);
  /** How often the writer's record is checked. */
  static final Duration WRITE_POLL = Duration.ofMillis(2);
  static final Duration SYNC_POLL = Duration.ofMillis(20);
  static final int LOG_TAIL_LINES = 40;

  private LeaderFailover() {}

  /**
   * Waits (at most {@link #START_WAIT}) until one server leads, every other one follows, and
   * each accepts a session; returns the leader's id.
   */
  public static int awaitReady(EnsembleUnderTest ensemble) throws Exception {
    long deadline = deadline(START_WAIT);
    int leader = awaitOneLeader(ensemble, deadline);
    for (int id = 1; id <= ensemble.size(); id++) {
      // No zxid check here: a fresh ZooKeeper leader reports its new epoch's zxid while its
      // followers report 0 until the first transaction commits.
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      checkRunning(ensemble, id);
      if (left <= 0 || !sessionWorks("127.0.0.1:" + ensemble.clientPort(id), left)) {
        throw new IllegalStateException("server " + id + " accepts no session within "
            + START_WAIT.toSeconds() + " s of the start; modes: " + modes(ensemble));
      }
    }
    return leader;
  }

  /** One kill: the leader dies, a new one is awaited, then the old one rejoins. */
  public static KillResult killLeaderOnce(EnsembleUnderTest ensemble, ContinuousWriter writer, int k)
      throws Exception {
    int leader = awaitOneLeader(ensemble, deadline(START_WAIT));
    int writerPort = writer.connectedPort();
    int writerServer = 0;
    for (int id = 1; id <= ensemble.size(); id++) {
      if (ensemble.clientPort(id) == writerPort) {
        writerServer = id;
      }
    }
    long killAt = System.nanoTime();
    ensemble.kill(leader);

    long leaderAt = 0;
    int newLeader = 0;
    long writeAt = 0;
    long nextLeaderPoll = 0;
    long deadline = deadline(FAILOVER_WAIT);
    while (leaderAt == 0 || writeAt == 0) {
      writer.checkAlive();
      long now = System.nanoTime();
      if (now - deadline > 0) {
        throw new IllegalStateException(String.format(Locale.ROOT,
            "kill %d: %s within %d s of killing leader %d (modes now: %s)", k,
            leaderAt == 0 ? "no survivor reported Mode: leader" : "no write was acknowledged",
            FAILOVER_WAIT.toSeconds(), leader, modes(ensemble)));
      }
      if (writeAt == 0) {
        OptionalLong ack = writer.firstAckOfWriteSentFrom(killAt);
        if (ack.isPresent()) {
          writeAt = ack.getAsLong();
        }
      }
      if (leaderAt == 0 && now - nextLeaderPoll >= 0) {
        nextLeaderPoll = now + LEADER_POLL.toNanos();
        for (int id = 1; id <= ensemble.size() && leaderAt == 0; id++) {
          if (id != leader) {
            Optional<ServerProbe.Srvr> srvr = ServerProbe.srvr(ensemble.clientPort(id));
            if (srvr.isPresent() && srvr.get().leading()) {
              leaderAt = System.nanoTime();
              newLeader = id;
            }
          }
        }
      }
      LockSupport.parkNanos(WRITE_POLL.toNanos());
    }
    long lastBefore = writer.lastAckBefore(killAt).orElse(killAt);
    int failed = writer.failedBetween(killAt, writeAt);

    long restartAt = System.nanoTime();
    ensemble.start(leader);
    long syncedAt = awaitInSync(ensemble, leader, deadline(REJOIN_WAIT));
    awaitSteady(writer, syncedAt);
    return new KillResult(k, leader, writerServer, newLeader, ms(leaderAt - killAt),
        ms(writeAt - killAt), ms(writeAt - lastBefore), failed, ms(syncedAt - restartAt));
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  public static long deadline(Duration wait) {
    return System.nanoTime() + wait.toNanos();
  }

  static boolean past(long deadline) {
    return System.nanoTime() - deadline > 0;
  }

  /**
   * Waits until exactly one running server reports {@code Mode: leader} and every other running
   * one follows; returns the leader's id.
   */
  public static int awaitOneLeader(EnsembleUnderTest ensemble, long deadline) {
    while (true) {
      int leader = 0;
      int leaders = 0;
      boolean settled = true;
      for (int id = 1; id <= ensemble.size(); id++) {
        if (!ensemble.isRunning(id)) {
          continue;
        }
        Optional<ServerProbe.Srvr> srvr = ServerProbe.srvr(ensemble.clientPort(id));
        if (srvr.isPresent() && srvr.get().leading()) {
          leader = id;
          leaders++;
        } else if (srvr.isEmpty() || !srvr.get().following()) {
          settled = false;
        }
      }
      if (settled && leaders == 1) {
        return leader;
      }
      if (past(deadline)) {
        throw new IllegalStateException("no single leader with every other server following"
            + " in time; modes: " + modes(ensemble));
      }
      LockSupport.parkNanos(SYNC_POLL.toNanos());
    }
  }

  /**
   * Waits until server {@code id} is back in sync and returns when it was: it reports
   * {@code Mode: follower}, its zxid has reached the leader's of that moment, and a session on
   * it alone works. The last check is there because a server may report its mode before it
   * serves clients.
   */
  public static long awaitInSync(EnsembleUnderTest ensemble, int id, long deadline)
      throws Exception {
    int port = ensemble.clientPort(id);
    while (true) {
      checkRunning(ensemble, id);
      Optional<ServerProbe.Srvr> srvr = ServerProbe.srvr(port);
      if (srvr.isPresent() && srvr.get().following()) {
        break;
      }
      if (past(deadline)) {
        throw new IllegalStateException("server " + id + " did not report Mode: follower in time;"
            + " modes: " + modes(ensemble));
      }
      LockSupport.parkNanos(SYNC_POLL.toNanos());
    }
    long target = leaderZxid(ensemble, id);
    while (true) {
      checkRunning(ensemble, id);
      Optional<ServerProbe.Srvr> srvr = ServerProbe.srvr(port);
      if (srvr.isPresent() && Long.compareUnsigned(srvr.get().zxid(), target) >= 0) {
        break;
      }
      if (past(deadline)) {
        throw new IllegalStateException("server " + id + " did not reach the leader's zxid 0x"
            + Long.toHexString(target) + " in time; it reports " + srvr.map(Object::toString)
            .orElse("nothing"));
      }
      LockSupport.parkNanos(SYNC_POLL.toNanos());
    }
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0 || !sessionWorks("127.0.0.1:" + port, left)) {
      throw new IllegalStateException("server " + id + " follows and is in sync but accepts no"
          + " session; modes: " + modes(ensemble));
    }
    return System.nanoTime();
  }

  static void checkRunning(EnsembleUnderTest ensemble, int id) {
    if (!ensemble.isRunning(id)) {
      throw new IllegalStateException("server " + id + " exited; the end of its output:\n"
          + ensemble.logTail(id, LOG_TAIL_LINES));
    }
  }

  /** The zxid of the server that leads now (not {@code except}), or -1 if none answers. */
  static long leaderZxid(EnsembleUnderTest ensemble, int except) {
    for (int id = 1; id <= ensemble.size(); id++) {
      if (id != except) {
        Optional<ServerProbe.Srvr> srvr = ServerProbe.srvr(ensemble.clientPort(id));
        if (srvr.isPresent() && srvr.get().leading()) {
          return srvr.get().zxid();
        }
      }
    }
    throw new IllegalStateException("no server leads while server " + except + " rejoins; modes: "
        + modes(ensemble));
  }

  /** Opens a session on {@code connectString} and checks the root exists, within {@code ms}. */
  static boolean sessionWorks(String connectString, long ms) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(connectString, SESSION_TIMEOUT_MS, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    try {
      return connected.await(ms, TimeUnit.MILLISECONDS) && zk.exists("/", false) != null;
    } finally {
      zk.close(5_000);
    }
  }

  /** Waits until the writer has had {@link #STEADY} of acknowledged writes after {@code from}. */
  public static void awaitSteady(ContinuousWriter writer, long from) {
    long until = from + STEADY.toNanos();
    long deadline = deadline(STEADY.plus(FAILOVER_WAIT));
    while (writer.lastAckBefore(Long.MAX_VALUE).orElse(0) - until < 0) {
      writer.checkAlive();
      if (past(deadline)) {
        throw new IllegalStateException("the writer had no acknowledged write for "
            + FAILOVER_WAIT.toSeconds() + " s with every server up");
      }
      LockSupport.parkNanos(WRITE_POLL.toNanos() * 10);
    }
  }

  /** Waits until every server reports the same zxid (the writer has stopped) and returns it. */
  public static long awaitAgreement(EnsembleUnderTest ensemble, long deadline) {
    while (true) {
      long first = Long.MIN_VALUE;
      boolean same = true;
      for (int id = 1; id <= ensemble.size(); id++) {
        long zxid = ServerProbe.srvr(ensemble.clientPort(id)).map(ServerProbe.Srvr::zxid)
            .orElse(-1L);
        if (id == 1) {
          first = zxid;
        }
        same &= zxid == first && zxid >= 0;
      }
      if (same) {
        return first;
      }
      if (past(deadline)) {
        throw new IllegalStateException("the servers do not agree on the last zxid after the"
            + " writes stopped: " + modes(ensemble));
      }
      LockSupport.parkNanos(SYNC_POLL.toNanos());
    }
  }

  /** Every server's srvr mode and zxid, for messages. */
  public static String modes(EnsembleUnderTest ensemble) {
    StringBuilder b = new StringBuilder();
    for (int id = 1; id <= ensemble.size(); id++) {
      b.append(id == 1 ? "" : ", ").append(id).append('=');
      if (!ensemble.isRunning(id)) {
        b.append("down");
        continue;
      }
      Optional<ServerProbe.Srvr> srvr = ServerProbe.srvr(ensemble.clientPort(id));
      b.append(srvr.map(s -> s.mode() + " 0x" + Long.toHexString(s.zxid()))
          .orElse("no answer"));
    }
    return b.toString();
  }

  public static String logTails(EnsembleUnderTest ensemble) {
    StringBuilder b = new StringBuilder();
    for (int id = 1; id <= ensemble.size(); id++) {
      b.append("\n---- last ").append(LOG_TAIL_LINES).append(" lines of server ").append(id)
          .append(" ----\n").append(ensemble.logTail(id, LOG_TAIL_LINES)).append('\n');
    }
    return b.append("---- end of server output ----").toString();
  }

}

package io.roost.server.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover of a three-member ensemble of separate JVMs ({@link EnsembleProcesses}) under load
 * from the official ZooKeeper client and Curator, with SIGKILL: a killed leader is replaced and
 * writes resume; a killed member restarts, rejoins and catches up (by DIFF, or by SNAP when the
 * leader compacted what it missed, even if that leader dies during the transfer); no
 * acknowledged write is lost on any member, and all members end at the same zxid and digest.
 *
 * <p>Each test prints the seconds from the kill to the first acknowledged write issued after
 * it. The extended profile ({@code -Pextended}) adds a SNAP larger than the peer transport's
 * per-peer queue budget (32 MiB), one larger than its frame limit (256 MiB, with 3 GB heaps),
 * and {@value #EXTENDED_ROUNDS} alternating leader and follower
 * kills on one ensemble ({@code -Droost.failover.rounds=N} for another count).
 */
class EnsembleFailoverTest {
  /** Short ticks so a dead leader is noticed within about a second. */
  private static final int TICK_MS = 200;
  private static final int INIT_LIMIT = 50;
  private static final int SYNC_LIMIT = 10;
  /** Longer than any failover here, so sessions move between members instead of expiring. */
  private static final int SESSION_MS = 15_000;
  private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(30);
  /**
   * Committed entries the leader keeps in memory below its compaction point (the consensus
   * core's default {@code retainEntries}); a follower further behind than that gets a SNAP.
   */
  private static final int LEADER_RETAINED_ENTRIES = 10_000;
  /** Kill rounds of the extended repeated test. */
  private static final int EXTENDED_ROUNDS = 10;

  @TempDir Path work;

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  @AfterEach
  void closeEverything() {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        // Best effort: a process or client may be gone already.
      }
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.push(resource);
    return resource;
  }

  private EnsembleProcesses ensemble(String name) throws Exception {
    return track(new EnsembleProcesses(work.resolve(name), 3, TICK_MS, INIT_LIMIT, SYNC_LIMIT))
        .set("minSessionTimeout", 2 * TICK_MS)
        .set("maxSessionTimeout", 30_000);
  }

  // ---------------------------------------------------------------------------------------------
  // Scenarios 1 and 2: kill -9 a leader or a follower under load.
  // ---------------------------------------------------------------------------------------------

  /** Which member a round kills. */
  private enum Victim { LEADER, FOLLOWER }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void killedLeaderIsReplacedAndRejoinsWithoutLosingAcknowledgedWrites() throws Exception {
    killAndRestartUnderLoad("leader", List.of(Victim.LEADER));
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void killedFollowerRejoinsAndCatchesUpWithoutLosingAcknowledgedWrites() throws Exception {
    killAndRestartUnderLoad("follower", List.of(Victim.FOLLOWER));
  }

  /**
   * The extended profile's repeated variant: {@value #EXTENDED_ROUNDS} rounds (or
   * {@code -Droost.failover.rounds=N}), leader and follower kills alternating, on one ensemble
   * under one continuous load.
   */
  @Test
  @Tag("extended")
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void repeatedKillsOfLeadersAndFollowersLoseNoAcknowledgedWrite() throws Exception {
    int rounds = Integer.getInteger("roost.failover.rounds", EXTENDED_ROUNDS);
    List<Victim> kills = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      kills.add(round % 2 == 0 ? Victim.LEADER : Victim.FOLLOWER);
    }
    killAndRestartUnderLoad("rounds", kills);
  }

  /**
   * For each entry of {@code kills}: SIGKILL that member under load, wait for a serving leader
   * and for writes issued after the kill to be acknowledged, restart it and wait until it
   * serves again with writes going on. Then every member must reach one zxid and digest and
   * hold every acknowledged write.
   */
  private void killAndRestartUnderLoad(String name, List<Victim> kills) throws Exception {
    long t0 = System.nanoTime();
    EnsembleProcesses ens = ensemble(name).startAll();
    int leader = ens.awaitLeader();
    WriteLoad load = track(new WriteLoad(ens.connectString(), "/" + name, 3, 8, 0, 4));
    load.awaitAcks(300, "before the first kill", ens);

    for (int round = 0; round < kills.size(); round++) {
      boolean killLeader = kills.get(round) == Victim.LEADER;
      String what = "round " + round + ", " + (killLeader ? "leader" : "follower");
      int victim = killLeader ? leader : ens.busiestFollower();
      load.mark();
      ens.member(victim).kill9();
      int newLeader = ens.awaitLeader();
      if (killLeader) {
        assertNotEquals(victim, newLeader, what + ": a killed server cannot lead");
      } else {
        assertEquals(leader, newLeader, what + ": losing a follower must not cost the leader"
            + " its quorum");
      }
      load.awaitAcksAfterMark(200, what + ": after killing server " + victim, ens);
      double failoverS = load.secondsToFirstAckAfterMark();

      ens.member(victim).start().awaitReady();
      ens.awaitLeader();
      load.awaitAcks(300, what + ": after restarting server " + victim, ens);
      System.out.printf(Locale.ROOT, "%s %s kill: server %d killed, leader %d -> %d, first"
          + " write acknowledged %.2f s after the kill%n", name, what, victim, leader, newLeader,
          failoverS);
      leader = newLeader;
    }
    load.stop();
    ServerProcess.Mntr end = ens.awaitConverged(CONVERGE_TIMEOUT);
    for (int id = 1; id <= ens.size(); id++) {
      load.verify(ens.member(id), "server " + id + " after " + kills.size() + " kills", ens);
    }
    System.out.printf(Locale.ROOT, "%s: %d kills; %s; converged at %s; test %.1f s%n", name,
        kills.size(), load, end, (System.nanoTime() - t0) / 1e9);
  }

  // ---------------------------------------------------------------------------------------------
  // Scenario 3: the leader dies while it sends a lagging follower a SNAP.
  // ---------------------------------------------------------------------------------------------

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void leaderKilledDuringSnapshotTransferLosesNoAcknowledgedWrite() throws Exception {
    // 12,500 nodes of 1 KiB: a SNAP of about 13 MB.
    leaderKilledDuringSnap("snap", 1_024, LEADER_RETAINED_ENTRIES + 2_500);
  }

  /**
   * The same with a SNAP of about 40 MB, more than the 32 MiB a peer connection may queue: its
   * parts are queued past that budget, so the transfer must still succeed.
   */
  @Test
  @Tag("extended")
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void leaderKilledDuringSnapshotTransferLargerThanThePeerQueue() throws Exception {
    leaderKilledDuringSnap("bigsnap", 3_200, LEADER_RETAINED_ENTRIES + 2_500);
  }

  /**
   * A SNAP larger than the peer transport's 256 MiB frame limit (10,500 nodes of 30 KB, about
   * 316 MB, written while a follower is down): it goes in parts, and the follower catches up.
   * Before parts, the leader encoded the tree again and again and dropped it as too large.
   */
  @Test
  @Tag("extended")
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aSnapshotLargerThanTheFrameLimitReachesALaggingFollower() throws Exception {
    EnsembleProcesses ens = ensemble("hugesnap").set("snapCount", 2_000).maxHeap("3g");
    ens.startAll();
    int leader = ens.awaitLeader();
    int lagging = ens.busiestFollower();
    ens.member(lagging).kill9();
    WriteLoad bulk = track(new WriteLoad(ens.connectString(), "/huge", 4, 16, 30_000, 0));
    bulk.awaitAcks(LEADER_RETAINED_ENTRIES + 500, "while server " + lagging + " is down", ens);
    bulk.stop();
    long restartedAt = System.nanoTime();
    ens.member(lagging).start().awaitReady();
    ServerProcess.Mntr end = ens.awaitConverged(Duration.ofMinutes(3));
    long caughtUpMs = (System.nanoTime() - restartedAt) / 1_000_000;
    String sent = ens.member(leader).output().lines()
        .filter(l -> l.contains("sending server " + lagging + " a snapshot")).findFirst()
        .orElseThrow(() -> new AssertionError("no SNAP was sent" + ens.outputTails()));
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("([\\d,]+) bytes in (\\d+) frames").matcher(sent);
    assertTrue(m.find(), sent);
    long bytes = Long.parseLong(m.group(1).replace(",", ""));
    assertTrue(bytes > 256L << 20, "the SNAP should be larger than one frame may be: " + sent);
    assertTrue(Integer.parseInt(m.group(2)) > 64, sent);
    assertTrue(ens.member(lagging).output().contains("installing the leader's snapshot"),
        "server " + lagging + " should have caught up by SNAP" + ens.outputTails());
    bulk.verify(ens.member(lagging), "server " + lagging + " after a " + bytes + "-byte SNAP", ens);
    System.out.printf(Locale.ROOT, "huge SNAP: %s; %s; follower %d caught up %d ms after its"
        + " restart; converged at %s%n", bulk, sent, lagging, caughtUpMs, end);
  }

  private void leaderKilledDuringSnap(String name, int nodeBytes, int writesWhileDown)
      throws Exception {
    long t0 = System.nanoTime();
    // Small snapCount: the leader snapshots often and compacts its log, so a follower that
    // misses more than the entries it retains must get a SNAP instead of a DIFF.
    EnsembleProcesses ens = ensemble(name).set("snapCount", 500);
    ens.startAll();
    int leader = ens.awaitLeader();
    int lagging = ens.busiestFollower();
    ens.member(lagging).kill9();

    // The bulk: a tree of a known size, written while the follower is down.
    WriteLoad bulk = track(new WriteLoad(ens.connectString(), "/" + name + "-bulk", 4, 64,
        nodeBytes, 0));
    bulk.awaitAcks(writesWhileDown, "while server " + lagging + " is down", ens);
    bulk.stop();
    assertEquals(leader, ens.awaitLeader(), "the leader should not change while a follower is"
        + " down");
    long bulkMs = (System.nanoTime() - t0) / 1_000_000;

    // Light writes go on through the SNAP and the kill.
    WriteLoad load = track(new WriteLoad(ens.connectString(), "/" + name, 2, 4, 0, 4));
    load.awaitAcks(50, "before restarting server " + lagging, ens);
    ServerProcess leading = ens.member(leader);
    String sendingSnap = "sending server " + lagging + " a snapshot";
    int snapLinesBefore = count(leading.outputOfLatestRun(), sendingSnap);
    long restartedAt = System.nanoTime();
    ens.member(lagging).start();
    try {
      await().atMost(PROGRESS_TIMEOUT).pollInterval(Duration.ofMillis(5))
          .until(() -> count(leading.outputOfLatestRun(), sendingSnap) > snapLinesBefore);
    } catch (ConditionTimeoutException e) {
      fail("leader " + leader + " never sent restarted server " + lagging + " a SNAP"
          + ens.outputTails(), e);
    }
    load.mark();
    leading.kill9();
    long killedAfterRestartMs = (System.nanoTime() - restartedAt) / 1_000_000;
    ens.member(lagging).awaitReady();
    int newLeader = ens.awaitLeader();
    assertNotEquals(leader, newLeader);
    load.awaitAcksAfterMark(100, "after killing leader " + leader + " during the SNAP", ens);
    double failoverS = load.secondsToFirstAckAfterMark();

    leading.start().awaitReady();
    ens.awaitLeader();
    load.awaitAcks(100, "after restarting the old leader " + leader, ens);
    load.stop();
    ServerProcess.Mntr end = ens.awaitConverged(CONVERGE_TIMEOUT);
    assertTrue(ens.member(lagging).output().contains("installing the leader's snapshot"),
        "server " + lagging + " should have caught up by SNAP" + ens.outputTails());
    String sent = leading.output().lines().filter(l -> l.contains(sendingSnap)).findFirst()
        .orElseThrow();
    java.util.regex.Matcher frames = java.util.regex.Pattern.compile(" in (\\d+) frames")
        .matcher(sent);
    assertTrue(frames.find() && Integer.parseInt(frames.group(1)) > 1,
        "a SNAP this large should go in parts: " + sent);
    for (int id = 1; id <= ens.size(); id++) {
      String context = "server " + id + " after the leader died during a SNAP";
      bulk.verify(ens.member(id), context, ens);
      load.verify(ens.member(id), context, ens);
    }
    List<String> snapLines = new ArrayList<>();
    for (int id = 1; id <= ens.size(); id++) {
      ens.member(id).output().lines().filter(l -> l.contains(" a snapshot at zxid")
          || l.contains("installing the leader's snapshot")).forEach(l -> snapLines.add(l));
    }
    System.out.printf(Locale.ROOT, "SNAP kill: bulk of %s in %d ms; leader %d killed %d ms after"
        + " restarting server %d, new leader %d, first write acknowledged %.2f s after the"
        + " kill; %s; converged at %s; test %.1f s; %s%n", bulk, bulkMs, leader,
        killedAfterRestartMs, lagging, newLeader, failoverS, load, end,
        (System.nanoTime() - t0) / 1e9, snapLines);
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0 && n < 1_000_000; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // Scenario 4: Curator recipes across a leader kill and restart.
  // ---------------------------------------------------------------------------------------------

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void curatorMutexAndLeaderLatchKeepWorkingWhileTheLeaderIsKilledAndRestarted()
      throws Exception {
    long t0 = System.nanoTime();
    EnsembleProcesses ens = ensemble("curator").startAll();
    int leader = ens.awaitLeader();
    WriteLoad load = track(new WriteLoad(ens.connectString(), "/plain", 2, 4, 0, 2));

    // Curator clients pick a random member. For the kill to test the latch, its first leader's
    // client must be on the member that dies: open clients until one is, then let it lead.
    int leaderPort = ens.member(leader).clientPort();
    List<CuratorFramework> curators = new ArrayList<>();
    CuratorFramework onLeader = null;
    for (int i = 0; i < 20 && (curators.size() < 3 || onLeader == null); i++) {
      CuratorFramework c = track(CuratorFrameworkFactory.builder()
          .connectString(ens.connectString())
          .sessionTimeoutMs(SESSION_MS)
          .connectionTimeoutMs(5_000)
          .retryPolicy(new ExponentialBackoffRetry(100, 10, 1_000))
          .build());
      c.start();
      assertTrue(c.blockUntilConnected(20, TimeUnit.SECONDS), "curator " + i + " connects");
      if (onLeader == null && connectedPort(c) == leaderPort) {
        onLeader = c;
        curators.add(0, c);
      } else if (curators.size() < 3) {
        curators.add(c);
      } else {
        c.close();
      }
    }
    List<LeaderLatch> latches = new ArrayList<>();
    for (int i = 0; i < curators.size(); i++) {
      LeaderLatch latch = track(new LeaderLatch(curators.get(i), "/latch", "latch-" + i));
      latch.start();
      latches.add(latch);
      if (i == 0) {
        // latch-0 (on the leader's member, if one was found) leads first.
        await().atMost(PROGRESS_TIMEOUT).until(latch::hasLeadership);
      }
    }
    LatchWatch latchWatch = track(new LatchWatch(latches));
    String firstLatchLeader = latchWatch.awaitOneLeader(ens);

    MutexLoad mutexes = track(new MutexLoad(curators, "/mutex"));
    mutexes.awaitAcquisitions(30, "before the kill", ens);
    load.awaitAcks(100, "before the kill", ens);

    load.mark();
    int mark = mutexes.acquisitions();
    ens.member(leader).kill9();
    int newLeader = ens.awaitLeader();
    assertNotEquals(leader, newLeader);
    load.awaitAcksAfterMark(50, "after killing leader " + leader, ens);
    double failoverS = load.secondsToFirstAckAfterMark();
    mutexes.awaitAcquisitions(mark + 30, "after killing leader " + leader, ens);
    String latchLeaderAfterKill = latchWatch.awaitOneLeader(ens);
    if (onLeader != null) {
      // Curator gives leadership up on SUSPENDED; on RECONNECTED it looks again, and since
      // the session (and its ephemeral latch node) moved to another member intact, latch-0
      // may lead again.
      assertTrue(latchWatch.losses("latch-0") > 0, "latch-0's client lost its server, so it"
          + " must have given up leadership for a while");
    }

    ens.member(leader).start().awaitReady();
    ens.awaitLeader();
    mark = mutexes.acquisitions();
    mutexes.awaitAcquisitions(mark + 30, "after restarting server " + leader, ens);
    load.awaitAcks(100, "after restarting server " + leader, ens);
    String latchLeaderAtEnd = latchWatch.awaitOneLeader(ens);

    mutexes.close();
    latchWatch.close();
    assertEquals(0, mutexes.overlaps(), "two clients held the mutex at once");
    assertEquals(0, latchWatch.doubleLeaders(), "two latches reported leadership at once");
    assertTrue(mutexes.errors().isEmpty(), "lock errors: " + mutexes.errors());
    load.stop();
    ServerProcess.Mntr end = ens.awaitConverged(CONVERGE_TIMEOUT);
    for (int id = 1; id <= ens.size(); id++) {
      load.verify(ens.member(id), "server " + id + " after the Curator run", ens);
    }
    System.out.printf(Locale.ROOT, "Curator: leader %d -> %d, first plain write acknowledged"
        + " %.2f s after the kill; %d mutex acquisitions, latch leaders %s -> %s -> %s (latch-0"
        + " %s on the killed member); %s; converged at %s; test %.1f s%n", leader, newLeader,
        failoverS,
        mutexes.acquisitions(), firstLatchLeader, latchLeaderAfterKill, latchLeaderAtEnd,
        onLeader == null ? "was not" : "was", load,
        end, (System.nanoTime() - t0) / 1e9);
  }

  /** The client port of the member a Curator client is connected to, or -1. */
  private static int connectedPort(CuratorFramework c) throws Exception {
    // ZooKeeper's toString names the server: "... remoteserver:/127.0.0.1:2181 lastZxid:...".
    Matcher m = Pattern.compile("remoteserver:\\S*:(\\d+)")
        .matcher(c.getZookeeperClient().getZooKeeper().toString());
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /**
   * One thread per Curator client takes an {@link InterProcessMutex} again and again, counting
   * acquisitions and any overlap of holders.
   */
  private static final class MutexLoad implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger holders = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicInteger acquisitions = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    private final String ownerPath;

    MutexLoad(List<CuratorFramework> clients, String path) throws Exception {
      this.ownerPath = path + "-owner";
      clients.get(0).create().forPath(ownerPath);
      for (int i = 0; i < clients.size(); i++) {
        CuratorFramework client = clients.get(i);
        InterProcessMutex mutex = new InterProcessMutex(client, path);
        byte[] me = ("client-" + i).getBytes(StandardCharsets.UTF_8);
        Thread t = new Thread(() -> run(client, mutex, me), "mutex-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    private void run(CuratorFramework client, InterProcessMutex mutex, byte[] me) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      for (int i = 0; i < 1_000_000 && !stop.get() && System.nanoTime() < deadline; i++) {
        boolean held = false;
        try {
          held = mutex.acquire(2, TimeUnit.SECONDS);
          if (held) {
            if (holders.incrementAndGet() > 1) {
              overlaps.incrementAndGet();
            }
            try {
              // Through the ensemble too: nobody else may write the owner node meanwhile.
              client.setData().forPath(ownerPath, me);
              byte[] owner = client.getData().forPath(ownerPath);
              if (!Arrays.equals(me, owner)) {
                overlaps.incrementAndGet();
                errors.add(new String(me, StandardCharsets.UTF_8) + " holds the mutex but "
                    + new String(owner, StandardCharsets.UTF_8) + " wrote the owner node");
              }
              acquisitions.incrementAndGet();
            } finally {
              holders.decrementAndGet();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception e) {
          // Connection loss while acquiring: Curator retries within its policy; a failure that
          // gets through is retried here.
        } finally {
          if (held) {
            release(mutex);
          }
        }
      }
    }

    private void release(InterProcessMutex mutex) {
      // A release that fails (connection loss beyond the retries) leaves the node for the
      // session to remove; retry a few times so the lock is not stuck until then.
      for (int attempt = 0; attempt < 5 && !stop.get(); attempt++) {
        try {
          mutex.release();
          return;
        } catch (IllegalMonitorStateException e) {
          errors.add("release: " + e);
          return;
        } catch (Exception e) {
          // retry
        }
      }
    }

    int acquisitions() {
      return acquisitions.get();
    }

    int overlaps() {
      return overlaps.get();
    }

    List<String> errors() {
      return List.copyOf(errors);
    }

    void awaitAcquisitions(int atLeast, String when, EnsembleProcesses ens) {
      try {
        await().atMost(PROGRESS_TIMEOUT).pollInterval(Duration.ofMillis(20))
            .until(() -> acquisitions.get() >= atLeast);
      } catch (ConditionTimeoutException e) {
        fail(when + ": the mutex was acquired " + acquisitions.get() + " times, wanted "
            + atLeast + " within " + PROGRESS_TIMEOUT + "; " + ens.modes() + ens.outputTails(),
            e);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(30_000);
        assertFalse(t.isAlive(), t.getName() + " did not stop");
      }
    }
  }

  /**
   * Follows the latches' leadership callbacks, counting moments when more than one latch
   * holds leadership.
   */
  private static final class LatchWatch implements AutoCloseable {
    private final List<LeaderLatch> latches;
    private final AtomicInteger leading = new AtomicInteger();
    private final AtomicInteger doubleLeaders = new AtomicInteger();
    private final List<LeaderLatchListener> listeners = new ArrayList<>();
    private final Map<String, AtomicInteger> losses = new ConcurrentHashMap<>();

    LatchWatch(List<LeaderLatch> latches) {
      this.latches = latches;
      for (LeaderLatch latch : latches) {
        LeaderLatchListener listener = new LeaderLatchListener() {
          @Override
          public void isLeader() {
            if (leading.incrementAndGet() > 1) {
              doubleLeaders.incrementAndGet();
            }
          }

          @Override
          public void notLeader() {
            leading.decrementAndGet();
            losses.computeIfAbsent(latch.getId(), id -> new AtomicInteger()).incrementAndGet();
          }
        };
        listeners.add(listener);
        latch.addListener(listener);
        if (latch.hasLeadership()) {
          listener.isLeader(); // it took leadership before we listened
        }
      }
    }

    private List<String> leaders() {
      List<String> out = new ArrayList<>();
      for (LeaderLatch l : latches) {
        if (l.hasLeadership()) {
          out.add(l.getId());
        }
      }
      return out;
    }

    /** Waits until exactly one latch leads and every latch names it; returns its id. */
    String awaitOneLeader(EnsembleProcesses ens) {
      String[] leader = {null};
      try {
        await().atMost(PROGRESS_TIMEOUT).pollInterval(Duration.ofMillis(50))
            .ignoreExceptions()
            .until(() -> {
              List<String> now = leaders();
              if (now.size() != 1) {
                return false;
              }
              for (LeaderLatch l : latches) {
                if (!now.get(0).equals(l.getLeader().getId())) {
                  return false;
                }
              }
              leader[0] = now.get(0);
              return true;
            });
      } catch (ConditionTimeoutException e) {
        fail("no single latch leader that every latch agrees on within " + PROGRESS_TIMEOUT
            + ": leaders " + leaders() + "; " + ens.modes() + ens.outputTails(), e);
      }
      return leader[0];
    }

    /** How often the latch with this id gave up leadership. */
    int losses(String id) {
      AtomicInteger n = losses.get(id);
      return n == null ? 0 : n.get();
    }

    int doubleLeaders() {
      return doubleLeaders.get();
    }

    @Override
    public void close() {
      for (int i = 0; i < latches.size(); i++) {
        latches.get(i).removeListener(listeners.get(i));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The write load and its checks.
  // ---------------------------------------------------------------------------------------------

  /**
   * Writers on their own official clients (connect string naming every member), each creating
   * {@code root/w<k>/n<seq>} asynchronously with a bounded number in flight, and setting every
   * {@code updateEvery}-th node it created once; remembers every write that was acknowledged.
   * Each node is created once and set at most once, so its final content is known exactly.
   */
  private static final class WriteLoad implements AutoCloseable {
    private final String root;
    private final int nodeBytes;
    private final int updateEvery;
    private final List<ZooKeeper> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Semaphore> windows = new ArrayList<>();
    private final int inFlight;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final Set<String> setAttempted = ConcurrentHashMap.newKeySet();
    private final Set<String> updated = ConcurrentHashMap.newKeySet();
    private final AtomicInteger acks = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger acksAfterMark = new AtomicInteger();
    private final AtomicLong firstAckAfterMark = new AtomicLong();
    private volatile long markNanos = Long.MAX_VALUE;
    private boolean stopped;

    WriteLoad(String connectString, String root, int writers, int inFlight, int nodeBytes,
        int updateEvery) throws Exception {
      this.root = root;
      this.nodeBytes = nodeBytes;
      this.updateEvery = updateEvery;
      this.inFlight = inFlight;
      for (int w = 0; w < writers; w++) {
        clients.add(ZkClients.connect(connectString, SESSION_MS, null));
      }
      ZooKeeper first = clients.get(0);
      first.create(root, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      for (int w = 0; w < writers; w++) {
        String parent = root + "/w" + w;
        first.create(parent, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        ZooKeeper zk = clients.get(w);
        Semaphore window = new Semaphore(inFlight);
        windows.add(window);
        Thread t = new Thread(() -> write(zk, parent + "/n", window), "writer-" + root + "-" + w);
        t.setDaemon(true);
        threads.add(t);
      }
      threads.forEach(Thread::start);
    }

    /** What node {@code path} holds after its create ({@code set} false) or its one set. */
    private byte[] payload(String path, boolean set) {
      StringBuilder b = new StringBuilder(set ? "set " : "created ").append(path);
      while (b.length() < nodeBytes) {
        b.append(" 0123456789abcdef");
      }
      return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void write(ZooKeeper zk, String prefix, Semaphore window) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      for (int seq = 0; seq < 10_000_000 && !stop.get() && System.nanoTime() < deadline; ) {
        try {
          if (!window.tryAcquire(20, TimeUnit.MILLISECONDS)) {
            continue;
          }
        } catch (InterruptedException e) {
          return;
        }
        String path = String.format(Locale.ROOT, "%s%07d", prefix, seq);
        boolean update = updateEvery > 0 && seq % updateEvery == 0;
        seq++;
        attempted.add(path);
        long issued = System.nanoTime();
        zk.create(path, payload(path, false), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
            (rc, p, ctx, name, stat) -> {
              if (rc != KeeperException.Code.OK.intValue()) {
                failed.incrementAndGet();
                window.release();
                return;
              }
              created.add(p);
              acked(issued);
              if (!update || stop.get()) {
                window.release();
                return;
              }
              // The window permit passes on to the set.
              long setIssued = System.nanoTime();
              setAttempted.add(p);
              zk.setData(p, payload(p, true), -1, (rc2, p2, ctx2, stat2) -> {
                window.release();
                if (rc2 == KeeperException.Code.OK.intValue()) {
                  updated.add(p2);
                  acked(setIssued);
                } else {
                  failed.incrementAndGet();
                }
              }, null);
            }, null);
      }
    }

    private void acked(long issuedNanos) {
      acks.incrementAndGet();
      if (issuedNanos >= markNanos) {
        acksAfterMark.incrementAndGet();
        firstAckAfterMark.compareAndSet(0, System.nanoTime());
      }
    }

    /** From now on, acknowledgements of writes issued from now on are counted apart. */
    void mark() {
      acksAfterMark.set(0);
      firstAckAfterMark.set(0);
      markNanos = System.nanoTime();
    }

    /** Seconds from {@link #mark()} to the first acknowledgement of a write issued after it. */
    double secondsToFirstAckAfterMark() {
      long first = firstAckAfterMark.get();
      return first == 0 ? Double.NaN : (first - markNanos) / 1e9;
    }

    void awaitAcks(int more, String when, EnsembleProcesses ens) {
      int target = acks.get() + more;
      try {
        await().atMost(PROGRESS_TIMEOUT.multipliedBy(2)).pollInterval(Duration.ofMillis(20))
            .until(() -> acks.get() >= target);
      } catch (ConditionTimeoutException e) {
        fail(when + ": " + acks.get() + " writes acknowledged, wanted " + target + " within "
            + PROGRESS_TIMEOUT.multipliedBy(2) + "; " + this + "; " + ens.modes()
            + ens.outputTails(), e);
      }
    }

    void awaitAcksAfterMark(int atLeast, String when, EnsembleProcesses ens) {
      try {
        await().atMost(PROGRESS_TIMEOUT).pollInterval(Duration.ofMillis(10))
            .until(() -> acksAfterMark.get() >= atLeast);
      } catch (ConditionTimeoutException e) {
        fail(when + ": only " + acksAfterMark.get() + " writes issued since were acknowledged"
            + " within " + PROGRESS_TIMEOUT + " (wanted " + atLeast + "); " + this + "; "
            + ens.modes() + ens.outputTails(), e);
      }
    }

    /** Stops the writers, waits for every outstanding write to be answered, closes clients. */
    void stop() throws InterruptedException {
      if (stopped) {
        return;
      }
      stopped = true;
      stop.set(true);
      for (Thread t : threads) {
        t.join(30_000);
        assertFalse(t.isAlive(), t.getName() + " did not stop");
      }
      for (Semaphore window : windows) {
        assertTrue(window.tryAcquire(inFlight, 60, TimeUnit.SECONDS),
            "outstanding writes were not answered within 60 s: " + this);
      }
      for (ZooKeeper zk : clients) {
        zk.close(5_000);
      }
    }

    /**
     * Reads every acknowledged write back from {@code member} alone, and checks that no node
     * exists that no writer tried to create.
     */
    void verify(ServerProcess member, String context, EnsembleProcesses ens) throws Exception {
      try (ZooKeeper zk = ZkClients.connect(member.connectString(), SESSION_MS, null)) {
        List<String> problems = new ArrayList<>();
        ConcurrentLinkedQueue<String> async = new ConcurrentLinkedQueue<>();
        Semaphore window = new Semaphore(256);
        CountDownLatch done = new CountDownLatch(created.size());
        for (String path : created) {
          if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
            fail(context + ": reads stopped answering" + member.outputTail());
          }
          zk.getData(path, false, (rc, p, ctx, data, stat) -> {
            try {
              if (rc != KeeperException.Code.OK.intValue()) {
                async.add(p + ": " + KeeperException.Code.get(rc));
              } else if (Arrays.equals(payload(p, true), data)) {
                if (!setAttempted.contains(p)) {
                  async.add(p + ": holds a set nobody attempted");
                }
              } else if (!Arrays.equals(payload(p, false), data)) {
                async.add(p + ": holds something no writer wrote");
              } else if (updated.contains(p)) {
                async.add(p + ": lost its acknowledged set");
              }
            } finally {
              window.release();
              done.countDown();
            }
          }, null);
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), context + ": reads did not complete");
        problems.addAll(async);
        for (String parent : zk.getChildren(root, false)) {
          for (String child : zk.getChildren(root + "/" + parent, false)) {
            String path = root + "/" + parent + "/" + child;
            if (!attempted.contains(path)) {
              problems.add(path + ": exists but no writer tried to create it");
            }
          }
        }
        if (!problems.isEmpty()) {
          fail(context + ": " + problems.size() + " problems among " + created.size()
              + " acknowledged creates and " + updated.size() + " acknowledged sets, e.g. "
              + problems.stream().sorted().limit(20).toList() + "; " + ens.modes()
              + ens.outputTails());
        }
      }
    }

    @Override
    public String toString() {
      return acks.get() + " writes acknowledged (" + created.size() + " creates, "
          + updated.size() + " sets), " + failed.get() + " failed, of " + attempted.size()
          + " creates attempted";
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(10_000);
      }
      for (ZooKeeper zk : clients) {
        zk.close(1_000);
      }
    }
  }
}

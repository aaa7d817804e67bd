package io.roost.recipes.leader;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.client.Op;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import io.roost.recipes.lock.Lease;
import io.roost.server.RoostServer;
import io.roost.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leader latch and selector against a real server. */
class LeaderLatchTest {
  @TempDir Path dir;
  private RoostServer server;
  private final List<RoostClient> clients = new ArrayList<>();
  private final List<AutoCloseable> latches = new ArrayList<>();

  @BeforeEach
  void start() {
    server = RoostServer.start(ServerConfig.builder().clientPortAddress("127.0.0.1")
        .clientPort(0).adminEnableServer(false).dataDir(dir).preAllocSizeKb(1024).tickTime(200)
        .build());
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable l : latches) {
      l.close();
    }
    clients.forEach(RoostClient::close);
    server.close();
  }

  private RoostClient client() throws Exception {
    RoostClient c = RoostClient.builder().connectString(server.connectString("127.0.0.1"))
        .sessionTimeout(Duration.ofSeconds(2)).build();
    clients.add(c);
    return c.start().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private LeaderLatch latch(RoostClient c, String id) {
    LeaderLatch l = new LeaderLatch(c, "/election", id);
    latches.add(l);
    l.start();
    return l;
  }

  private static long leaders(List<LeaderLatch> latches) {
    return latches.stream().filter(LeaderLatch::hasLeadership).count();
  }

  @Test
  void exactlyOneLeadsAndADeposedLeadersGuardedWriteIsRejected() throws Exception {
    List<LeaderLatch> all = new ArrayList<>();
    List<RoostClient> cs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      cs.add(client());
      all.add(latch(cs.get(i), "p" + i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> leaders(all) == 1);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> leaders(all) == 1);
    int first = all.indexOf(all.stream().filter(LeaderLatch::hasLeadership).findFirst()
        .orElseThrow());
    Lease old = all.get(first).leadership();
    RoostClient admin = client();
    admin.create("/state", new byte[] {0}).toCompletableFuture().get(10, TimeUnit.SECONDS);
    old.guardedWrite(List.of(Op.setData("/state", new byte[] {1}, -1))).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    // The leader's session ends without it leaving (its client goes away abruptly): another
    // participant takes over, and the old leadership can no longer write.
    RoostClient gone = cs.get(first);
    long session = gone.sessionId();
    gone.vertx().close(); // no closeSession: the server must expire it
    await().atMost(Duration.ofSeconds(15)).until(() -> all.stream()
        .filter(l -> l != all.get(first)).filter(LeaderLatch::hasLeadership).count() == 1);
    Lease now = all.stream().filter(l -> l != all.get(first))
        .filter(LeaderLatch::hasLeadership).findFirst().orElseThrow().leadership();
    assertTrue(now.fencingToken() > old.fencingToken(), "the fencing token did not grow");
    ExecutionException e = assertThrows(ExecutionException.class, () -> admin.multi(List.of(
        Op.check(old.nodePath(), -1), Op.setData("/state", new byte[] {9}, -1)))
        .toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertInstanceOf(RoostException.NoNodeException.class, e.getCause(),
        "the deposed leader's guard still passes (session 0x" + Long.toHexString(session) + ")");
    now.guardedWrite(List.of(Op.setData("/state", new byte[] {2}, -1))).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertEquals(2, admin.getData("/state").toCompletableFuture().get().data()[0]);
  }

  @Test
  void closingTheLeaderHandsLeadershipOnInOrder() throws Exception {
    List<LeaderLatch> all = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      all.add(latch(client(), "p" + i));
      int n = i + 1;
      await().atMost(Duration.ofSeconds(10)).until(() -> all.get(0).participants()
          .toCompletableFuture().get().size() == n);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> all.get(0).hasLeadership());
    for (int i = 0; i < 2; i++) {
      all.get(i).closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
      int next = i + 1;
      await().atMost(Duration.ofSeconds(10)).until(() -> all.get(next).hasLeadership());
      assertEquals(1, leaders(all));
    }
  }

  @Test
  void aSelectorRunsTheWorkAndRequeues() throws Exception {
    AtomicInteger terms = new AtomicInteger();
    List<LeaderSelector> selectors = new ArrayList<>();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      LeaderSelector s = new LeaderSelector(client(), "/selector", "s" + i, lease -> {
        most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        terms.incrementAndGet();
        return CompletableFuture.runAsync(concurrent::decrementAndGet,
            CompletableFuture.delayedExecutor(30, TimeUnit.MILLISECONDS));
      }, true);
      selectors.add(s);
      latches.add(s);
      s.start();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> terms.get() >= 9);
    assertEquals(1, most.get(), "two leaders' work overlapped");
  }
}

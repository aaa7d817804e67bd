package io.roost.recipes.lock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.client.Op;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import io.roost.server.RoostServer;
import io.roost.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutexes, read/write locks, semaphores and multi-locks against a real server. */
class LockTest {
  @TempDir Path dir;
  private RoostServer server;
  private final List<RoostClient> clients = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(6);
  private final ExecutorService releasers = Executors.newFixedThreadPool(2);

  @BeforeEach
  void start() {
    server = RoostServer.start(ServerConfig.builder().clientPortAddress("127.0.0.1")
        .clientPort(0).adminEnableServer(false).dataDir(dir).preAllocSizeKb(1024).tickTime(200)
        .build());
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    releasers.shutdownNow();
    clients.forEach(RoostClient::close);
    server.close();
  }

  private RoostClient client() throws Exception {
    RoostClient c = RoostClient.builder().connectString(server.connectString("127.0.0.1"))
        .sessionTimeout(Duration.ofSeconds(4)).build();
    clients.add(c);
    return c.start().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void oneHolderAtATimeAndFencingTokensOnlyGrow() throws Exception {
    int contenders = 5;
    int rounds = 12;
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger maxHolders = new AtomicInteger();
    ConcurrentLinkedQueue<Long> tokens = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    RoostClient writer = client();
    writer.create("/counter", new byte[] {0}).toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < contenders; i++) {
      RoostClient c = client();
      Mutex m = new Mutex(c, "/locks/counter");
      done.add(CompletableFuture.runAsync(() -> {
        for (int r = 0; r < rounds; r++) {
          Lease l = m.acquire().toCompletableFuture().join();
          int now = holders.incrementAndGet();
          maxHolders.accumulateAndGet(now, Math::max);
          tokens.add(l.fencingToken());
          // A guarded read-modify-write of a shared counter under the lock.
          byte[] v = c.getData("/counter").toCompletableFuture().join().data();
          l.guardedWrite(List.of(Op.setData("/counter", new byte[] {(byte) (v[0] + 1)}, -1)))
              .toCompletableFuture().join();
          holders.decrementAndGet();
          // Released from another thread than the one that acquired: ownership is the lease.
          CompletableFuture.runAsync(() -> m.release(l).toCompletableFuture().join(), releasers)
              .join();
        }
      }, pool));
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    assertEquals(1, maxHolders.get(), "two holders at once");
    assertEquals((byte) (contenders * rounds), writer.getData("/counter").toCompletableFuture()
        .get(10, TimeUnit.SECONDS).data()[0], "an increment under the lock was lost");
    List<Long> order = new ArrayList<>(tokens);
    for (int i = 1; i < order.size(); i++) {
      assertTrue(order.get(i) > order.get(i - 1), "fencing token went down at " + i + ": "
          + order);
    }
  }

  @Test
  void aReentrantMutexCountsHoldsAndANonReentrantOneQueues() throws Exception {
    RoostClient c = client();
    Mutex m = new Mutex(c, "/locks/re");
    Lease a = m.acquire().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Lease b = m.acquire().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertSame(a, b);
    assertEquals(1, m.contenders().toCompletableFuture().get().size());
    m.release(b).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(a.isHeld(), "released after the first of two holds");
    m.release(a).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(0, m.contenders().toCompletableFuture().get().size());

    Mutex once = Mutex.nonReentrant(c, "/locks/once");
    Lease held = once.acquire().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(Optional.empty(), once.tryAcquire(Duration.ofMillis(300))
        .toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals(1, once.contenders().toCompletableFuture().get().size(),
        "a timed-out contender left its node behind");
    once.release(held).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThrows(IllegalArgumentException.class, () -> m.release(held));
  }

  @Test
  void readersShareWritersExcludeAndAWaitingWriterIsNotStarved() throws Exception {
    ReadWriteLock rw1 = new ReadWriteLock(client(), "/locks/rw");
    ReadWriteLock rw2 = new ReadWriteLock(client(), "/locks/rw");
    ReadWriteLock rw3 = new ReadWriteLock(client(), "/locks/rw");
    Lease r1 = rw1.readLock(null).toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
    Lease r2 = rw2.readLock(Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS)
        .orElseThrow();
    CompletableFuture<Optional<Lease>> w = rw3.writeLock(null).toCompletableFuture();
    // The late reader must queue behind the writer: its node is created only once the writer's is.
    RoostClient c1 = clients.get(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> c1.getChildren("/locks/rw")
        .toCompletableFuture().get(10, TimeUnit.SECONDS).size() == 3);
    CompletableFuture<Optional<Lease>> lateReader = rw1.readLock(null).toCompletableFuture();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
        .until(() -> !w.isDone() && !lateReader.isDone());
    rw1.release(r1);
    rw2.release(r2);
    Lease wl = w.get(10, TimeUnit.SECONDS).orElseThrow();
    assertTrue(wl.isHeld());
    assertFalse(lateReader.isDone(), "a reader got in while the writer held the lock");
    rw3.release(wl);
    assertTrue(lateReader.get(10, TimeUnit.SECONDS).isPresent());
  }

  @Test
  void aSemaphoreGrantsAtMostItsPermits() throws Exception {
    int permits = 3;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Semaphore s = new Semaphore(client(), "/sem", permits);
      all.add(s.acquire(null).toCompletableFuture().thenCompose(l -> {
        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(50,
            TimeUnit.MILLISECONDS)).thenCompose(v -> {
              inside.decrementAndGet();
              return s.release(l.orElseThrow());
            });
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertEquals(permits, most.get());
    assertThrows(IllegalArgumentException.class, () -> new Semaphore(clients.get(0), "/s", 0));
  }

  @Test
  void multiLocksOverlappingInAnyOrderDoNotDeadlock() throws Exception {
    MultiLock ab = new MultiLock(client(), List.of("/m/a", "/m/b"));
    MultiLock ba = new MultiLock(client(), List.of("/m/b", "/m/a"));
    for (int i = 0; i < 5; i++) {
      CompletableFuture<Optional<List<Lease>>> x = ab.acquire(null).toCompletableFuture();
      CompletableFuture<Optional<List<Lease>>> y = ba.acquire(null).toCompletableFuture();
      List<Lease> first = CompletableFuture.anyOf(x, y).thenApply(o -> (Optional<List<Lease>>) o)
          .get(10, TimeUnit.SECONDS).orElseThrow();
      assertEquals(2, first.size());
      (x.isDone() && x.get().orElseThrow() == first ? ab : ba).release(first)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<Lease> second = (x.isDone() && x.get().orElseThrow() == first ? y : x)
          .get(10, TimeUnit.SECONDS).orElseThrow();
      (x.isDone() && x.get().orElseThrow() == first ? ba : ab).release(second)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    // All or nothing: with /m/b held elsewhere, a timed-out multi-lock keeps nothing of /m/a.
    Mutex b = new Mutex(client(), "/m/b");
    Lease held = b.acquire().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(ab.acquire(Duration.ofMillis(300)).toCompletableFuture().get(10, TimeUnit.SECONDS)
        .isEmpty());
    assertEquals(0, new Mutex(clients.get(0), "/m/a").contenders().toCompletableFuture().get()
        .size());
    b.release(held);
  }

  @Test
  void aLeaseWhoseSessionEndedCannotWrite() throws Exception {
    RoostClient holder = client();
    RoostClient other = client();
    Mutex m = new Mutex(holder, "/locks/fenced");
    Lease l = m.acquire().toCompletableFuture().get(10, TimeUnit.SECONDS);
    other.create("/fenced-data", new byte[] {1}).toCompletableFuture().get(10, TimeUnit.SECONDS);
    // Someone deletes the holder's node (as the server does when its session expires).
    other.delete(l.nodePath()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    Throwable e = assertThrows(java.util.concurrent.ExecutionException.class,
        () -> l.guardedWrite(List.of(Op.setData("/fenced-data", new byte[] {2}, -1)))
            .toCompletableFuture().get(10, TimeUnit.SECONDS)).getCause();
    assertTrue(e instanceof RoostException.NoNodeException, String.valueOf(e));
    assertEquals(0, ((RoostException) e).opIndex(), "the guard (check op) is what failed");
    assertEquals(1, other.getData("/fenced-data").toCompletableFuture().get().data()[0]);
  }
}

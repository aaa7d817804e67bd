package io.roost.server.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.server.RoostServer;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.atomic.AtomicValue;
import org.apache.curator.framework.recipes.atomic.DistributedAtomicLong;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.framework.recipes.queue.DistributedQueue;
import org.apache.curator.framework.recipes.queue.QueueBuilder;
import org.apache.curator.framework.recipes.queue.QueueConsumer;
import org.apache.curator.framework.recipes.queue.QueueSerializer;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.CloseableUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Curator recipes, unchanged, against a real Roost server: the recipes only work if the
 * server gets sequential/ephemeral nodes, watches, session close and conditional writes right.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CuratorCompatibilityTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private RoostServer server;
  /** Everything to close after a test, closed last-in first-out before the server. */
  private final List<Closeable> closeables = new CopyOnWriteArrayList<>();
  private ExecutorService pool;

  @BeforeEach
  void startServer() {
    server = TestServers.start(dir);
  }

  @AfterEach
  void stopAll() throws Exception {
    if (pool != null) {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    List<Closeable> reversed = new ArrayList<>(closeables);
    Collections.reverse(reversed);
    for (Closeable c : reversed) {
      CloseableUtils.closeQuietly(c);
    }
    if (server != null) {
      server.close();
    }
  }

  private CuratorFramework newClient() throws InterruptedException {
    CuratorFramework client = CuratorFrameworkFactory.newClient(
        server.connectString("127.0.0.1"), 15_000, 5_000, new ExponentialBackoffRetry(100, 3));
    closeables.add(client);
    client.start();
    assertTrue(client.blockUntilConnected(15, TimeUnit.SECONDS), "Curator client did not connect");
    return client;
  }

  private <T extends Closeable> T track(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  private ExecutorService pool(int threads) {
    pool = Executors.newFixedThreadPool(threads);
    return pool;
  }

  private static void awaitAll(List<Future<?>> futures) throws Exception {
    for (Future<?> f : futures) {
      f.get(45, TimeUnit.SECONDS); // rethrows a worker's failure
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private static int readCounter(CuratorFramework client, String path) throws Exception {
    return Integer.parseInt(string(client.getData().forPath(path)));
  }

  // ---------------------------------------------------------------------------------------------
  // 1. InterProcessMutex

  @Test
  void interProcessMutexGivesMutualExclusionAcrossClients() throws Exception {
    final int clients = 5;
    final int rounds = 25;
    List<CuratorFramework> cs = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      cs.add(newClient());
    }
    cs.get(0).create().creatingParentsIfNeeded().forPath("/counters/m", bytes("0"));

    // While one client holds the lock, another's timed acquire must give up.
    InterProcessMutex first = new InterProcessMutex(cs.get(0), "/locks/m");
    InterProcessMutex second = new InterProcessMutex(cs.get(1), "/locks/m");
    assertTrue(first.acquire(10, TimeUnit.SECONDS));
    assertFalse(second.acquire(300, TimeUnit.MILLISECONDS),
        "acquired a mutex that another client holds");
    first.release();
    assertTrue(second.acquire(10, TimeUnit.SECONDS), "mutex not acquirable after release");
    second.release();
    assertTrue(cs.get(0).getChildren().forPath("/locks/m").isEmpty(),
        "lock nodes left behind after release");

    AtomicInteger holders = new AtomicInteger();
    AtomicInteger violations = new AtomicInteger();
    AtomicInteger acquisitions = new AtomicInteger();
    ExecutorService exec = pool(clients);
    List<Future<?>> futures = new ArrayList<>();
    for (CuratorFramework client : cs) {
      futures.add(exec.submit((Callable<Void>) () -> {
        InterProcessMutex mutex = new InterProcessMutex(client, "/locks/m");
        for (int r = 0; r < rounds; r++) {
          if (!mutex.acquire(30, TimeUnit.SECONDS)) {
            throw new AssertionError("timed out acquiring the mutex");
          }
          try {
            if (holders.incrementAndGet() != 1) {
              violations.incrementAndGet();
            }
            // Unconditional read-modify-write: only safe under real mutual exclusion.
            int value = readCounter(client, "/counters/m");
            client.setData().forPath("/counters/m", bytes(Integer.toString(value + 1)));
            acquisitions.incrementAndGet();
            if (holders.get() != 1) {
              violations.incrementAndGet();
            }
            holders.decrementAndGet();
          } finally {
            mutex.release();
          }
        }
        return null;
      }));
    }
    awaitAll(futures);

    assertEquals(0, violations.get(), "more than one holder inside the critical section");
    assertEquals(clients * rounds, acquisitions.get());
    assertEquals(clients * rounds, readCounter(cs.get(0), "/counters/m"),
        "lost updates: the mutex did not exclude");
    assertTrue(cs.get(0).getChildren().forPath("/locks/m").isEmpty(),
        "lock nodes left behind after release");
  }

  // ---------------------------------------------------------------------------------------------
  // 2. LeaderLatch

  @Test
  void leaderLatchFailsOverWhenTheLeadersSessionCloses() throws Exception {
    Map<String, CuratorFramework> clients = new ConcurrentHashMap<>();
    Map<String, LeaderLatch> latches = new ConcurrentHashMap<>();
    List<String> becameLeader = new CopyOnWriteArrayList<>();
    for (String id : List.of("alpha", "beta", "gamma")) {
      CuratorFramework client = newClient();
      LeaderLatch latch = new LeaderLatch(client, "/latch", id);
      latch.addListener(new LeaderLatchListener() {
        @Override
        public void isLeader() {
          becameLeader.add(id);
        }

        @Override
        public void notLeader() {}
      });
      // Closed before its client (LIFO).
      closeables.add(latch);
      latch.start();
      clients.put(id, client);
      latches.put(id, latch);
    }

    await().atMost(WAIT).until(() -> leaders(latches).size() == 1);
    String oldLeader = leaders(latches).get(0);
    assertEquals(List.of(oldLeader), becameLeader.stream().distinct().collect(Collectors.toList()));
    // Every contender agrees on who leads.
    for (LeaderLatch latch : latches.values()) {
      assertEquals(oldLeader, latch.getLeader().getId());
    }

    // Closing the leader's client ends its session, which must delete its ephemeral node.
    closeables.remove(latches.remove(oldLeader)); // its client is gone; nothing to close
    clients.remove(oldLeader).close();

    await().atMost(WAIT).until(() -> leaders(latches).size() == 1);
    String newLeader = leaders(latches).get(0);
    assertNotEquals(oldLeader, newLeader);
    await().atMost(WAIT).until(() -> becameLeader.contains(newLeader));
    // Stays exactly one, and the survivors agree on it.
    assertEquals(List.of(newLeader), leaders(latches));
    for (LeaderLatch latch : latches.values()) {
      assertEquals(newLeader, latch.getLeader().getId());
    }
    assertEquals(2, latches.values().iterator().next().getParticipants().size(),
        "the closed session's participant node was not removed");
  }

  private static List<String> leaders(Map<String, LeaderLatch> latches) {
    return latches.entrySet().stream()
        .filter(e -> e.getValue().hasLeadership())
        .map(Map.Entry::getKey)
        .collect(Collectors.toList());
  }

  // ---------------------------------------------------------------------------------------------
  // 3. CuratorCache

  @Test
  void curatorCacheSeesCreatesChangesAndDeletesFromAnotherClient() throws Exception {
    CuratorFramework watcher = newClient();
    CuratorFramework writer = newClient();
    writer.create().forPath("/cache");

    List<String> events = new CopyOnWriteArrayList<>();
    AtomicInteger initialized = new AtomicInteger();
    CuratorCacheListener listener = CuratorCacheListener.builder()
        .forCreates(n -> events.add("CREATED " + n.getPath() + " " + string(n.getData())))
        .forChanges((oldNode, n) ->
            events.add("CHANGED " + n.getPath() + " " + string(n.getData())))
        .forDeletes(n -> events.add("DELETED " + n.getPath()))
        .forInitialized(initialized::incrementAndGet)
        .build();
    CuratorCache cache = track(CuratorCache.build(watcher, "/cache"));
    cache.listenable().addListener(listener);
    cache.start();
    await().atMost(WAIT).until(() -> initialized.get() == 1);

    // One step at a time, so the cache cannot legitimately fold two writes into one event.
    writer.create().forPath("/cache/a", bytes("one"));
    await().atMost(WAIT).until(() -> events.contains("CREATED /cache/a one"));
    writer.create().forPath("/cache/a/b", bytes("bee"));
    await().atMost(WAIT).until(() -> events.contains("CREATED /cache/a/b bee"));
    writer.setData().forPath("/cache/a", bytes("two"));
    await().atMost(WAIT).until(() -> events.contains("CHANGED /cache/a two"));
    Optional<ChildData> a = cache.get("/cache/a");
    assertTrue(a.isPresent());
    assertEquals("two", string(a.get().getData()));
    assertTrue(cache.get("/cache/a/b").isPresent());

    writer.delete().forPath("/cache/a/b");
    await().atMost(WAIT).until(() -> events.contains("DELETED /cache/a/b"));
    await().atMost(WAIT).until(() -> cache.get("/cache/a/b").isEmpty());
    assertEquals("two", string(cache.get("/cache/a").orElseThrow().getData()));

    // Nothing spurious: /cache/a never deleted, and changed exactly once.
    assertFalse(events.contains("DELETED /cache/a"), events.toString());
    assertEquals(1, events.stream().filter(e -> e.startsWith("CHANGED /cache/a ")).count(),
        events.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // 4. DistributedQueue

  @Test
  void distributedQueueDeliversEveryItemExactlyOnce() throws Exception {
    final int items = 50;
    CuratorFramework producerClient = newClient();
    CuratorFramework consumerClient1 = newClient();
    CuratorFramework consumerClient2 = newClient();
    QueueSerializer<String> serializer = new QueueSerializer<>() {
      @Override
      public byte[] serialize(String item) {
        return bytes(item);
      }

      @Override
      public String deserialize(byte[] bytes) {
        return string(bytes);
      }
    };

    ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    Map<String, AtomicInteger> perConsumer = new ConcurrentHashMap<>();
    for (String name : List.of("c1", "c2")) {
      perConsumer.put(name, new AtomicInteger());
    }
    DistributedQueue<String> consumer1 = track(QueueBuilder.builder(consumerClient1,
        consumer(received, perConsumer.get("c1")), serializer, "/queue").buildQueue());
    DistributedQueue<String> consumer2 = track(QueueBuilder.builder(consumerClient2,
        consumer(received, perConsumer.get("c2")), serializer, "/queue").buildQueue());
    DistributedQueue<String> producer = track(QueueBuilder.builder(producerClient,
        (QueueConsumer<String>) null, serializer, "/queue").putInBackground(false).buildQueue());
    consumer1.start();
    consumer2.start();
    producer.start();

    List<String> expected = IntStream.range(0, items)
        .mapToObj(i -> "item-" + i)
        .collect(Collectors.toList());
    for (String item : expected) {
      producer.put(item);
    }

    await().atMost(WAIT).until(() -> received.size() >= items);
    // All queue nodes consumed (deleted) on the server.
    await().atMost(WAIT).until(() -> producerClient.getChildren().forPath("/queue").isEmpty());
    List<String> got = new ArrayList<>(received);
    Collections.sort(got);
    List<String> want = new ArrayList<>(expected);
    Collections.sort(want);
    assertEquals(want, got, "items lost or delivered more than once");
    assertEquals(items, perConsumer.values().stream().mapToInt(AtomicInteger::get).sum());
  }

  private static QueueConsumer<String> consumer(ConcurrentLinkedQueue<String> sink,
      AtomicInteger count) {
    return new QueueConsumer<>() {
      @Override
      public void consumeMessage(String message) {
        sink.add(message);
        count.incrementAndGet();
      }

      @Override
      public void stateChanged(CuratorFramework client, ConnectionState newState) {}
    };
  }

  // ---------------------------------------------------------------------------------------------
  // 5. InterProcessSemaphoreV2 and DistributedAtomicLong

  @Test
  void semaphoreNeverGrantsMoreThanItsLeases() throws Exception {
    final int contenders = 4;
    final int rounds = 10;
    List<CuratorFramework> cs = new ArrayList<>();
    for (int i = 0; i < contenders; i++) {
      cs.add(newClient());
    }
    cs.get(0).create().forPath("/semwork", bytes("0"));

    // With both leases held, a third contender must time out.
    InterProcessSemaphoreV2 s0 = new InterProcessSemaphoreV2(cs.get(0), "/sem", 2);
    InterProcessSemaphoreV2 s1 = new InterProcessSemaphoreV2(cs.get(1), "/sem", 2);
    InterProcessSemaphoreV2 s2 = new InterProcessSemaphoreV2(cs.get(2), "/sem", 2);
    Lease l0 = s0.acquire(10, TimeUnit.SECONDS);
    Lease l1 = s1.acquire(10, TimeUnit.SECONDS);
    assertNotNull(l0);
    assertNotNull(l1);
    assertNull(s2.acquire(300, TimeUnit.MILLISECONDS), "a third lease was granted out of two");
    s0.returnLease(l0);
    Lease l2 = s2.acquire(10, TimeUnit.SECONDS);
    assertNotNull(l2, "lease not granted after one was returned");
    s1.returnLease(l1);
    s2.returnLease(l2);

    AtomicInteger holders = new AtomicInteger();
    AtomicInteger maxHolders = new AtomicInteger();
    AtomicInteger grants = new AtomicInteger();
    ExecutorService exec = pool(contenders);
    List<Future<?>> futures = new ArrayList<>();
    for (CuratorFramework client : cs) {
      futures.add(exec.submit((Callable<Void>) () -> {
        InterProcessSemaphoreV2 sem = new InterProcessSemaphoreV2(client, "/sem", 2);
        for (int r = 0; r < rounds; r++) {
          Lease lease = sem.acquire(30, TimeUnit.SECONDS);
          if (lease == null) {
            throw new AssertionError("timed out acquiring a lease");
          }
          try {
            int now = holders.incrementAndGet();
            maxHolders.accumulateAndGet(now, Math::max);
            grants.incrementAndGet();
            // Some real server work while holding the lease.
            client.getData().forPath("/semwork");
            client.checkExists().forPath("/sem");
            maxHolders.accumulateAndGet(holders.get(), Math::max);
            holders.decrementAndGet();
          } finally {
            sem.returnLease(lease);
          }
        }
        return null;
      }));
    }
    awaitAll(futures);

    assertEquals(contenders * rounds, grants.get());
    assertTrue(maxHolders.get() <= 2, "semaphore granted " + maxHolders.get() + " leases of 2");
  }

  @Test
  void distributedAtomicLongSumsIncrementsFromSeveralClients() throws Exception {
    final int clients = 4;
    final int increments = 20;
    List<CuratorFramework> cs = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      cs.add(newClient());
    }
    AtomicInteger failedAttempts = new AtomicInteger();
    ExecutorService exec = pool(clients);
    List<Future<?>> futures = new ArrayList<>();
    for (CuratorFramework client : cs) {
      futures.add(exec.submit((Callable<Void>) () -> {
        DistributedAtomicLong counter =
            new DistributedAtomicLong(client, "/atomic/n", new RetryNTimes(20, 1));
        for (int i = 0; i < increments; i++) {
          int attempts = 0;
          AtomicValue<Long> v;
          do {
            v = counter.increment();
            if (!v.succeeded()) {
              failedAttempts.incrementAndGet();
            }
            if (++attempts > 100) {
              throw new AssertionError("increment never succeeded");
            }
          } while (!v.succeeded());
          if (v.postValue() != v.preValue() + 1) {
            throw new AssertionError("bad increment " + v.preValue() + " -> " + v.postValue());
          }
        }
        return null;
      }));
    }
    awaitAll(futures);

    DistributedAtomicLong reader =
        new DistributedAtomicLong(cs.get(0), "/atomic/n", new RetryNTimes(3, 1));
    AtomicValue<Long> total = reader.get();
    assertTrue(total.succeeded());
    assertEquals((long) clients * increments, total.postValue(),
        "increments lost (failed attempts: " + failedAttempts.get() + ")");
  }
}

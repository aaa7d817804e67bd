package io.roost.recipes.queue;

import static io.roost.recipes.testkit.RoostFixture.get;
import static io.roost.recipes.testkit.RoostFixture.str;
import static io.roost.recipes.testkit.RoostFixture.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.client.RoostClient;
import io.roost.recipes.testkit.RoostFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The queues' order and their plain takes, against a real server. */
class QueueTest {
  @RegisterExtension final RoostFixture fx = RoostFixture.perTest();

  @Test
  void threeConsumersTakeEachOfTwoHundredItemsExactlyOnce() throws Exception {
    RoostClient producer = fx.client();
    DistributedQueue out = new DistributedQueue(producer, "/work/q");
    List<RoostClient> consumers = List.of(fx.client(), fx.client(), fx.client());
    ConcurrentLinkedQueue<String> taken = new ConcurrentLinkedQueue<>();
    // The consumers wait before the queue node exists: the first put must wake them.
    for (RoostClient c : consumers) {
      takeUntil(new DistributedQueue(c, "/work/q"), taken, 200);
    }
    List<String> put = new ArrayList<>();
    List<CompletableFuture<String>> puts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      put.add("item-" + i);
      puts.add(out.put(utf8("item-" + i)).toCompletableFuture());
    }
    get(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
    await().atMost(Duration.ofSeconds(30)).until(() -> taken.size() >= 200);
    List<String> got = new ArrayList<>(taken);
    got.sort(null);
    put.sort(null);
    assertEquals(put, got, "the taken items are not the put items, each once");
    assertEquals(0, get(out.size()));
    assertEquals(200.0, producer.meters().counter("roost.recipes.queue.puts", "path", "/work/q")
        .count());
    assertEquals(200.0, consumers.stream().mapToDouble(c -> c.meters()
        .counter("roost.recipes.queue.takes", "path", "/work/q").count()).sum());
  }

  /** Takes until {@code total} items were taken by everyone (each wait bounded). */
  private static void takeUntil(DistributedQueue q, ConcurrentLinkedQueue<String> taken,
      int total) {
    q.take(Duration.ofSeconds(20)).thenAccept(item -> {
      item.ifPresent(i -> taken.add(str(i.data())));
      if (item.isPresent() && taken.size() < total) {
        takeUntil(q, taken, total);
      }
    });
  }

  @Test
  void fifoKeepsPutOrderAndPriorityGoesLowestNumberFirst() throws Exception {
    RoostClient c = fx.client();
    DistributedQueue fifo = new DistributedQueue(c, "/fifo");
    for (int i = 0; i < 12; i++) {
      get(fifo.put(utf8("f" + i)));
    }
    for (int i = 0; i < 12; i++) {
      assertEquals("f" + i, str(get(fifo.poll()).orElseThrow().data()));
    }
    assertEquals(Optional.empty(), get(fifo.poll()));

    DistributedPriorityQueue pq = new DistributedPriorityQueue(c, "/prio");
    get(pq.put(utf8("c1"), 5));
    get(pq.put(utf8("a1"), -3));
    get(pq.put(utf8("max"), Integer.MAX_VALUE));
    get(pq.put(utf8("c2"), 5));
    get(pq.put(utf8("b1"), 0));
    get(pq.put(utf8("min"), Integer.MIN_VALUE));
    get(pq.put(utf8("a2"), -3));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      order.add(str(get(pq.take()).data()));
    }
    assertEquals(List.of("min", "a1", "a2", "b1", "c1", "c2", "max"), order);
  }

  @Test
  void delayedItemsStayInvisibleUntilDueThenComeEarliestFirst() throws Exception {
    RoostClient producer = fx.client();
    DistributedDelayQueue in = new DistributedDelayQueue(producer, "/delayed");
    DistributedDelayQueue out = new DistributedDelayQueue(fx.client(), "/delayed");
    Instant now = Instant.now();
    Instant lateDue = now.plusMillis(1600);
    Instant soonDue = now.plusMillis(800);
    get(in.put(utf8("late"), lateDue));
    get(in.put(utf8("soon"), soonDue));
    get(in.put(utf8("now"), Duration.ZERO));
    assertEquals("now", str(get(out.poll()).orElseThrow().data()));
    assertEquals(Optional.empty(), get(out.poll()), "an item came out before it was due");
    // Nothing changes in the queue from here on: only the due-time timer can wake these.
    List<Instant> at = new CopyOnWriteArrayList<>();
    QueueItem first = get(out.take(Duration.ofSeconds(10)).thenApply(i -> {
      at.add(Instant.now());
      return i.orElseThrow();
    }));
    QueueItem second = get(out.take(Duration.ofSeconds(10)).thenApply(i -> {
      at.add(Instant.now());
      return i.orElseThrow();
    }));
    assertEquals("soon", str(first.data()));
    assertEquals("late", str(second.data()));
    assertFalse(at.get(0).isBefore(soonDue), "soon came out at " + at.get(0));
    assertFalse(at.get(1).isBefore(lateDue), "late came out at " + at.get(1));
    // Woken by the timer at the due time, not by the end of the 10 s wait.
    assertTrue(at.get(1).isBefore(lateDue.plusSeconds(4)), "late came out at " + at.get(1));
    assertEquals(0, get(out.size()));
  }

  @Test
  void idQueuePeeksAndRemovesById() throws Exception {
    RoostClient c = fx.client();
    DistributedIdQueue q = new DistributedIdQueue(c, "/ids");
    get(q.put("job-a", utf8("1")));
    get(q.put("job b", utf8("2")));
    get(q.put("job-a", utf8("3")));
    QueueItem peeked = get(q.peek("job-a")).orElseThrow();
    assertEquals("1", str(peeked.data()));
    assertEquals("job-a", peeked.id());
    assertEquals(3, get(q.size()), "peek removed something");
    assertEquals(Optional.empty(), get(q.peek("job-c")));
    assertEquals(2, get(q.remove("job-a")));
    assertEquals(0, get(q.remove("job-a")));
    QueueItem rest = get(q.take());
    assertEquals("job b", rest.id());
    assertEquals("2", str(rest.data()));
    assertEquals(Optional.empty(), get(q.poll()));
  }

  @Test
  void aCancelledTakeLeavesTheItemsToOthers() throws Exception {
    RoostClient c = fx.client();
    DistributedQueue q = new DistributedQueue(c, "/abandoned");
    CompletableFuture<Optional<QueueItem>> waiting = q.take(Duration.ofSeconds(20))
        .toCompletableFuture();
    waiting.cancel(false);
    get(q.put(utf8("keep me")));
    // Either the cancelled take never takes it, or it puts it back: it is not lost.
    await().atMost(Duration.ofSeconds(10)).until(() -> get(q.poll())
        .map(i -> str(i.data()).equals("keep me")).orElse(false));
  }

  @Test
  void waitingTakesEndWhenTheQueueOrTheClientIsClosed() throws Exception {
    DistributedQueue q = new DistributedQueue(fx.client(), "/quiet");
    CompletableFuture<QueueItem> waiting = q.take().toCompletableFuture();
    q.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(waiting));
    assertTrue(e.getCause().getMessage().contains("/quiet was closed"), e.getCause().getMessage());
    RoostClient c = fx.client();
    CompletableFuture<QueueItem> orphan = new DistributedQueue(c, "/quiet").take()
        .toCompletableFuture();
    c.close();
    assertThrows(ExecutionException.class, () -> get(orphan));
  }

  @Test
  void badArgumentsAreRefusedSayingWhat() throws Exception {
    RoostClient c = fx.client();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DistributedQueue(c, "relative"));
    assertTrue(e.getMessage().contains("relative"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DistributedQueue(c, "/"));
    assertThrows(IllegalArgumentException.class, () -> new DistributedQueue(null, "/q"));
    DistributedQueue q = new DistributedQueue(c, "/q");
    e = assertThrows(IllegalArgumentException.class, () -> q.take(Duration.ofSeconds(-1)));
    assertTrue(e.getMessage().contains("maxWait"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> q.process(null));
    DistributedDelayQueue d = new DistributedDelayQueue(c, "/d");
    e = assertThrows(IllegalArgumentException.class, () -> d.put(null, Duration.ofMillis(-5)));
    assertTrue(e.getMessage().contains("delay"), e.getMessage());
    DistributedIdQueue ids = new DistributedIdQueue(c, "/i");
    e = assertThrows(IllegalArgumentException.class, () -> ids.put("a/b", null));
    assertTrue(e.getMessage().contains("a/b"), e.getMessage());
    q.close();
    assertThrows(IllegalStateException.class, q::poll);
  }
}

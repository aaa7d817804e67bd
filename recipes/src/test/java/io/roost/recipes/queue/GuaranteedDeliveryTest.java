package io.roost.recipes.queue;

import static io.roost.recipes.testkit.RoostFixture.get;
import static io.roost.recipes.testkit.RoostFixture.str;
import static io.roost.recipes.testkit.RoostFixture.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.roost.client.ConnectionState;
import io.roost.client.RoostClient;
import io.roost.recipes.testkit.CuttableProxy;
import io.roost.recipes.testkit.RoostFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Guaranteed delivery: claims, completion, release, and a consumer that dies mid-item. */
class GuaranteedDeliveryTest {
  @RegisterExtension final RoostFixture fx = RoostFixture.perTest();

  @Test
  void theItemOfAConsumerThatDiedIsCompletedExactlyOnceByAnother() throws Exception {
    DistributedQueue producer = new DistributedQueue(fx.client(), "/jobs");
    for (int i = 0; i < 20; i++) {
      get(producer.put(utf8("job-" + i)));
    }
    CuttableProxy proxy = fx.proxy();
    RoostClient doomed = fx.clientVia(proxy, Duration.ofMillis(1000));
    long doomedSession = doomed.sessionId();
    AtomicReference<QueueItem> held = new AtomicReference<>();
    CompletableFuture<Void> neverDone = new CompletableFuture<>();
    CompletableFuture<QueueItem> doomedOutcome = new DistributedQueue(doomed, "/jobs")
        .process(item -> {
          held.set(item);
          return neverDone;
        }).toCompletableFuture();
    await().atMost(Duration.ofSeconds(10)).until(() -> held.get() != null);
    assertEquals("job-0", str(held.get().data()));

    // The consumer "dies": nothing more reaches the server, which expires its session.
    proxy.cut();
    Map<String, List<Integer>> processed = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> completed = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < 2; i++) {
      processUntil(new DistributedQueue(fx.client(), "/jobs"), processed, completed, 20);
    }
    // Well before the consumers' own 20 s waits end: the claim's end must wake them.
    await().atMost(Duration.ofSeconds(8)).until(() -> completed.size() >= 20);
    List<String> done = new ArrayList<>(completed);
    done.sort(null);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("job-" + i);
    }
    expected.sort(null);
    assertEquals(expected, done, "not every item was completed exactly once");
    assertEquals(List.of(1), processed.get("job-0"),
        "the dead consumer's item was not processed exactly once more (attempts seen)");
    for (int i = 1; i < 20; i++) {
      assertEquals(List.of(0), processed.get("job-" + i), "job-" + i);
    }
    assertEquals(0, get(producer.size()));

    // The dead consumer comes back in a new session and finishes: its work must not count.
    proxy.restore();
    await().atMost(Duration.ofSeconds(15)).until(() -> doomed.state()
        == ConnectionState.RECONNECTED && doomed.sessionId() != doomedSession);
    neverDone.complete(null);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, () -> get(doomedOutcome));
    assertInstanceOf(ClaimLostException.class, e.getCause());
    assertEquals(1.0, doomed.meters().counter("roost.recipes.queue.claims.lost", "path", "/jobs")
        .count());
  }

  @Test
  void aConsumerWhoseClaimEndedCannotRemoveTheItemAnotherNowHolds() throws Exception {
    RoostClient observer = fx.client();
    DistributedQueue q = new DistributedQueue(observer, "/fenced");
    get(q.put(utf8("x")));
    CuttableProxy proxy = fx.proxy();
    RoostClient first = fx.clientVia(proxy, Duration.ofMillis(1000));
    long firstSession = first.sessionId();
    CompletableFuture<Void> firstWork = new CompletableFuture<>();
    AtomicReference<QueueItem> firstGot = new AtomicReference<>();
    CompletableFuture<QueueItem> firstOutcome = new DistributedQueue(first, "/fenced")
        .process(item -> {
          firstGot.set(item);
          return firstWork;
        }).toCompletableFuture();
    await().atMost(Duration.ofSeconds(10)).until(() -> firstGot.get() != null);
    proxy.cut();

    RoostClient second = fx.client();
    CompletableFuture<Void> secondWork = new CompletableFuture<>();
    AtomicReference<QueueItem> secondGot = new AtomicReference<>();
    CompletableFuture<QueueItem> secondOutcome = new DistributedQueue(second, "/fenced")
        .process(item -> {
          secondGot.set(item);
          return secondWork;
        }).toCompletableFuture();
    await().atMost(Duration.ofSeconds(10)).until(() -> secondGot.get() != null);
    assertEquals(1, secondGot.get().priorAttempts());

    // The first consumer comes back in a new session and finishes while the second holds it.
    proxy.restore();
    await().atMost(Duration.ofSeconds(15)).until(() -> first.state()
        == ConnectionState.RECONNECTED && first.sessionId() != firstSession);
    firstWork.complete(null);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, () -> get(firstOutcome));
    assertInstanceOf(ClaimLostException.class, e.getCause());
    String claim = "/fenced/" + secondGot.get().name() + "/claim";
    assertEquals(second.sessionId(), get(observer.exists(claim)).ephemeralOwner(),
        "the second consumer's claim was touched");
    assertEquals(1, get(q.size()), "the item went before the second consumer finished");
    secondWork.complete(null);
    assertEquals("x", str(get(secondOutcome).data()));
    assertEquals(0, get(q.size()));
  }

  @Test
  void aCompletionWhoseAnswerIsLostIsResolvedByReading() throws Exception {
    RoostClient observer = fx.client();
    DistributedQueue q = new DistributedQueue(observer, "/lossy");
    get(q.put(utf8("once")));
    CuttableProxy proxy = fx.proxy();
    RoostClient consumer = fx.clientVia(proxy, Duration.ofSeconds(4));
    long session = consumer.sessionId();
    // The completion goes out right after the processor's stage: its answer is lost.
    QueueItem done = get(new DistributedQueue(consumer, "/lossy").process(item -> {
      proxy.swallowNextAnswerAndCut();
      return CompletableFuture.completedFuture(null);
    }));
    assertEquals("once", str(done.data()));
    assertEquals(session, consumer.sessionId(), "the session was lost: not this test's case");
    assertEquals(0, get(q.size()));
    assertEquals(1.0, consumer.meters().counter("roost.recipes.queue.completed", "path",
        "/lossy").count());
  }

  /** Processes items until {@code total} were completed by everyone (each wait bounded). */
  private static void processUntil(DistributedQueue q, Map<String, List<Integer>> processed,
      ConcurrentLinkedQueue<String> completed, int total) {
    q.process(item -> {
      processed.computeIfAbsent(str(item.data()), k -> new java.util.concurrent
          .CopyOnWriteArrayList<>()).add(item.priorAttempts());
      return CompletableFuture.completedFuture(null);
    }, Duration.ofSeconds(20)).thenAccept(item -> {
      item.ifPresent(i -> completed.add(str(i.data())));
      if (item.isPresent() && completed.size() < total) {
        processUntil(q, processed, completed, total);
      }
    });
  }

  @Test
  void aFailedProcessingGivesTheItemBackAndTakesSkipItemsBeingProcessed() throws Exception {
    RoostClient c = fx.client();
    DistributedQueue q = new DistributedQueue(c, "/work");
    get(q.put(utf8("first")));
    get(q.put(utf8("second")));
    CompletableFuture<Void> boom = new CompletableFuture<>();
    AtomicReference<QueueItem> inHand = new AtomicReference<>();
    CompletableFuture<QueueItem> failing = q.process(item -> {
      inHand.set(item);
      return boom;
    }).toCompletableFuture();
    await().atMost(Duration.ofSeconds(10)).until(() -> inHand.get() != null);
    assertEquals("first", str(inHand.get().data()));
    // Another consumer's plain take does not get the item being processed.
    DistributedQueue other = new DistributedQueue(fx.client(), "/work");
    assertEquals("second", str(get(other.poll()).orElseThrow().data()));
    assertEquals(java.util.Optional.empty(), get(other.poll()));

    boom.completeExceptionally(new IllegalStateException("boom"));
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, () -> get(failing));
    assertEquals("boom", e.getCause().getMessage());
    QueueItem again = get(other.process(item -> CompletableFuture.completedFuture(null)));
    assertEquals("first", str(again.data()));
    assertEquals(1, again.priorAttempts());
    assertNotEquals(0, c.meters().counter("roost.recipes.queue.released", "path", "/work")
        .count());
    assertEquals(0, get(q.size()));
  }
}

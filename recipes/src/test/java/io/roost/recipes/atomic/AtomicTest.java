package io.roost.recipes.atomic;

import static io.roost.recipes.testkit.RoostFixture.get;
import static io.roost.recipes.testkit.RoostFixture.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.client.RoostClient;
import io.roost.recipes.testkit.RoostFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shared counts and values, and the atomic long, across clients of a real server. */
class AtomicTest {
  @RegisterExtension final RoostFixture fx = RoostFixture.perTest();

  @Test
  void concurrentIncrementsFromThreeClientsGiveTheExactTotal() throws Exception {
    ConcurrentLinkedQueue<Long> results = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> chains = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      DistributedAtomicLong counter = new DistributedAtomicLong(fx.client(), "/counters/hits");
      for (int chain = 0; chain < 4; chain++) {
        chains.add(incrementTimes(counter, 25, results));
      }
    }
    get(CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)));
    List<Long> seen = new ArrayList<>(results);
    seen.sort(null);
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= 300; i++) {
      expected.add(i);
    }
    assertEquals(expected, seen, "two increments saw the same value, or one was lost");
    assertEquals(300L, get(new DistributedAtomicLong(fx.client(), "/counters/hits").get()));
  }

  private static CompletableFuture<Void> incrementTimes(DistributedAtomicLong counter, int n,
      ConcurrentLinkedQueue<Long> results) {
    if (n == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return counter.increment().toCompletableFuture()
        .thenCompose(v -> {
          results.add(v);
          return incrementTimes(counter, n - 1, results);
        });
  }

  @Test
  void compareAndSetWritesOnlyOverTheExpectedValue() throws Exception {
    RoostClient c = fx.client();
    DistributedAtomicLong n = new DistributedAtomicLong(c, "/n");
    assertEquals(0L, get(n.get()));
    assertTrue(get(n.compareAndSet(0, 5)));
    assertFalse(get(n.compareAndSet(0, 7)));
    assertEquals(5L, get(n.get()));
    assertEquals(3L, get(n.add(-2)));
    get(n.set(42));
    assertEquals(41L, get(n.decrement()));
    assertEquals(41L, c.blocking().await(n.get()), "the blocking form");
    DistributedAtomicLong wrap = new DistributedAtomicLong(c, "/wrap");
    assertEquals(Long.MAX_VALUE, get(wrap.add(Long.MAX_VALUE)));
    assertEquals(Long.MIN_VALUE, get(wrap.increment()));
    get(c.create("/garbage", utf8("abc")));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> get(new DistributedAtomicLong(c, "/garbage").increment()));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("/garbage"), e.getCause().getMessage());
  }

  @Test
  void sharedCountTellsListenersAndRefusesAStaleVersion() throws Exception {
    SharedCount a = new SharedCount(fx.client(), "/shared/count", 10);
    SharedCount b = new SharedCount(fx.client(), "/shared/count", 99);
    get(a.start());
    get(b.start());
    assertEquals(10, b.getCount(), "the second seed overwrote the first");
    List<Integer> heardByB = new CopyOnWriteArrayList<>();
    b.addListener(v -> heardByB.add(v.value()));
    VersionedValue<Integer> stale = a.getVersionedValue();
    get(a.setCount(11));
    await().atMost(Duration.ofSeconds(10)).until(() -> b.getCount() == 11);
    assertEquals(List.of(11), heardByB);
    assertTrue(get(b.trySetCount(b.getVersionedValue(), 12)));
    assertFalse(get(a.trySetCount(stale, 100)), "a write over a stale version went through");
    assertEquals(12, a.getCount(), "a failed compare-and-set did not refresh the value");
    assertEquals(12, b.getCount());
    a.close();
    b.close();
  }

  @Test
  void sharedValueFollowsTheNodeThroughDeletionAndRecreation() throws Exception {
    RoostClient other = fx.client();
    SharedValue v = new SharedValue(fx.client(), "/shared/value", utf8("seed"));
    assertThrows(IllegalStateException.class, v::value);
    get(v.start());
    assertEquals("seed", new String(v.value().value(), java.nio.charset.StandardCharsets.UTF_8));
    get(other.delete("/shared/value"));
    get(other.create("/shared/value", utf8("reborn")));
    // A re-created node starts again at version 0: it must still count as newer.
    await().atMost(Duration.ofSeconds(10)).until(() -> new String(v.value().value(),
        java.nio.charset.StandardCharsets.UTF_8).equals("reborn"));
    v.close();
  }
}

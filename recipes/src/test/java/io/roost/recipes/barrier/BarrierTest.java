package io.roost.recipes.barrier;

import static io.roost.recipes.testkit.RoostFixture.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.client.ConnectionState;
import io.roost.client.RoostClient;
import io.roost.recipes.testkit.CuttableProxy;
import io.roost.recipes.testkit.RoostFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Barriers and double barriers across several clients of a real server. */
class BarrierTest {
  @RegisterExtension final RoostFixture fx = RoostFixture.perTest();

  @Test
  void waitersAreHeldWhileTheBarrierIsSetAndReleasedWhenItIsRemoved() throws Exception {
    DistributedBarrier owner = new DistributedBarrier(fx.client(), "/gates/start");
    assertTrue(get(new DistributedBarrier(fx.client(), "/gates/start").waitOnBarrier(
        Duration.ZERO)), "an unset barrier held a waiter");
    get(owner.set());
    get(owner.set());
    assertTrue(get(owner.isSet()));
    assertFalse(get(new DistributedBarrier(fx.client(), "/gates/start")
        .waitOnBarrier(Duration.ofMillis(300))), "a set barrier let a waiter through");
    List<CompletableFuture<Void>> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiters.add(new DistributedBarrier(fx.client(), "/gates/start").waitOnBarrier()
          .toCompletableFuture());
    }
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> waiters.stream().noneMatch(CompletableFuture::isDone));
    assertTrue(get(owner.remove()));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> waiters.stream().allMatch(CompletableFuture::isDone));
    for (CompletableFuture<Void> w : waiters) {
      get(w); // released, not failed
    }
    assertFalse(get(owner.remove()));
  }

  @Test
  void aWaiterCutOffWhileTheBarrierIsRemovedIsReleasedOnReconnect() throws Exception {
    DistributedBarrier owner = new DistributedBarrier(fx.client(), "/gate");
    get(owner.set());
    CuttableProxy proxy = fx.proxy();
    RoostClient waiterClient = fx.clientVia(proxy, Duration.ofSeconds(4));
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    waiterClient.addConnectionStateListener((c, s) -> states.add(s));
    CompletableFuture<Boolean> released = new DistributedBarrier(waiterClient, "/gate")
        .waitOnBarrier(Duration.ofSeconds(20)).toCompletableFuture();
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
        .until(() -> get(owner.isSet()) && !released.isDone());
    proxy.cut();
    await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(
        ConnectionState.SUSPENDED));
    get(owner.remove());
    proxy.restore();
    // Same session: the re-registered watch reports the removal made while cut off.
    assertTrue(get(released));
    assertEquals(List.of(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED), states);
  }

  @Test
  void doubleBarrierEntersWhenAllArriveAndLeavesWhenAllHaveLeft() throws Exception {
    RoostClient observer = fx.client();
    List<DistributedDoubleBarrier> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      members.add(new DistributedDoubleBarrier(fx.client(), "/rounds/1", 3, "member-" + i));
    }
    CompletableFuture<Void> e0 = members.get(0).enter().toCompletableFuture();
    CompletableFuture<Void> e1 = members.get(1).enter().toCompletableFuture();
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
        .until(() -> get(observer.getChildren("/rounds/1")).size() == 2);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> !e0.isDone() && !e1.isDone());
    CompletableFuture<Void> e2 = members.get(2).enter().toCompletableFuture();
    get(CompletableFuture.allOf(e0, e1, e2));

    // Leaving: nobody is out before the last member leaves, whoever it is.
    CompletableFuture<Void> l0 = members.get(0).leave().toCompletableFuture();
    CompletableFuture<Void> l2 = members.get(2).leave().toCompletableFuture();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> !l0.isDone() && !l2.isDone());
    CompletableFuture<Void> l1 = members.get(1).leave().toCompletableFuture();
    get(CompletableFuture.allOf(l0, l1, l2));
    assertEquals(List.of(), get(observer.getChildren("/rounds/1")), "members or ready left");
  }

  @Test
  void anEnterThatTimesOutDoesNotCountAsArrived() throws Exception {
    RoostClient observer = fx.client();
    DistributedDoubleBarrier early = new DistributedDoubleBarrier(fx.client(), "/r", 2, "early");
    assertFalse(get(early.enter(Duration.ofMillis(200))));
    assertNull(get(observer.exists("/r/early")), "a member that gave up is still counted");
    DistributedDoubleBarrier a = new DistributedDoubleBarrier(fx.client(), "/r", 2);
    DistributedDoubleBarrier b = new DistributedDoubleBarrier(fx.client(), "/r", 2);
    CompletableFuture<Boolean> ea = a.enter(Duration.ofSeconds(10)).toCompletableFuture();
    assertTrue(get(b.enter(Duration.ofSeconds(10))));
    assertTrue(get(ea));
  }

  @Test
  void badArgumentsAreRefusedSayingWhat() throws Exception {
    RoostClient c = fx.client();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DistributedDoubleBarrier(c, "/b", 0));
    assertTrue(e.getMessage().contains("memberCount=0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new DistributedDoubleBarrier(c, "/b", 2, "ready"));
    assertTrue(e.getMessage().contains("ready"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new DistributedBarrier(c, "/a//b"));
    assertTrue(e.getMessage().contains("/a//b"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new DistributedBarrier(c, "/b").waitOnBarrier(Duration.ofMillis(-1)));
    assertTrue(e.getMessage().contains("maxWait"), e.getMessage());
  }
}

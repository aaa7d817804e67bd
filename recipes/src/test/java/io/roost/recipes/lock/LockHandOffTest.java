package io.roost.recipes.lock;

import static io.roost.recipes.testkit.RoostFixture.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.client.ConnectionState;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import io.roost.recipes.testkit.CuttableProxy;
import io.roost.recipes.testkit.RoostFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hand-off shortcut: a waiter whose watched node was the only one ahead takes the lock on that
 * node's deletion without reading the child list again, but only while the session that made its
 * own node lives.
 */
class LockHandOffTest {
  @RegisterExtension final RoostFixture fx = RoostFixture.perTest();

  @Test
  void theNextInLineHoldsAsSoonAsTheHolderReleases() throws Exception {
    RoostClient a = fx.client();
    RoostClient b = fx.client();
    Lease first = get(new Mutex(a, "/locks/h").acquire());
    CompletableFuture<Lease> second = new Mutex(b, "/locks/h").acquire().toCompletableFuture();
    await().atMost(Duration.ofSeconds(10)).until(() -> get(a.getChildren("/locks/h")).size() == 2);
    assertFalse(second.isDone());
    get(first.release());
    Lease l = second.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(l.fencingToken() > first.fencingToken());
    assertEquals(List.of(l.nodePath().substring("/locks/h/".length())),
        get(a.getChildren("/locks/h")));
  }

  @Test
  void aWaiterWhoseSessionWasLostDoesNotTakeTheLockWhenItsPredecessorGoes() throws Exception {
    RoostClient holder = fx.client();
    CuttableProxy proxy = fx.proxy();
    RoostClient waiter = fx.client(proxy, Duration.ofSeconds(2));
    List<ConnectionState> states = RoostFixture.states(waiter);
    Lease held = get(new Mutex(holder, "/locks/l").acquire());
    CompletableFuture<Lease> waiting =
        new Mutex(waiter, "/locks/l").acquire().toCompletableFuture();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> get(holder.getChildren("/locks/l")).size() == 2);

    // The waiter is cut off until the server expires its session and deletes its node.
    proxy.cut();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> get(holder.getChildren("/locks/l")).size() == 1);
    get(held.release());
    proxy.restore();

    // Back in a new session, the waiter learns its predecessor is gone; its own node is gone
    // too, so it must not think it holds the lock.
    await().atMost(Duration.ofSeconds(20)).until(waiting::isDone);
    assertTrue(waiting.isCompletedExceptionally(), "a waiter without a node took the lock");
    Throwable cause = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        waiting::join).getCause();
    assertInstanceOf(RoostException.class, cause);
    assertTrue(states.contains(ConnectionState.LOST), states.toString());
    assertTrue(get(holder.getChildren("/locks/l")).isEmpty());
  }
}

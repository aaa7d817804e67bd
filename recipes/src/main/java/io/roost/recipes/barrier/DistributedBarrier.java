package io.roost.recipes.barrier;

import io.roost.recipes.RecipePaths;
import io.roost.client.CreateOptions;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A distributed barrier: while its node exists, everyone who waits on it waits; removing the
 * node releases them all. Like Curator's {@code DistributedBarrier}, async first.
 *
 * <p>Waiters hold an exist watch on the node, so they are released by the deletion itself, not
 * by polling. The node is persistent: a barrier outlives the session that set it, so a setter
 * that dies leaves the barrier set until someone removes it.
 *
 * <p>Connection states: on SUSPENDED waiters keep waiting (their watch is set again when the
 * client reconnects, and a removal made meanwhile is reported then); a wait with a deadline ends
 * with false at its deadline. On LOST nothing changes for the barrier (its node is not tied to
 * a session); waiters keep waiting in the new session. Blocking form:
 * {@code client.blocking().await(barrier.waitOnBarrier(maxWait))}.
 */
public final class DistributedBarrier {
  private final RoostClient client;
  private final String path;

  /**
   * A barrier at {@code path}.
   *
   * @throws IllegalArgumentException if {@code client} is null or {@code path} is not an
   *     absolute path other than {@code /}
   */
  public DistributedBarrier(RoostClient client, String path) {
    if (client == null) {
      throw new IllegalArgumentException("client is null");
    }
    RecipePaths.check(path, "barrier path");
    this.client = client;
    this.path = path;
  }

  /** The barrier node's path. */
  public String path() {
    return path;
  }

  /** Sets the barrier (creates its node, and missing parents); setting it twice is fine. */
  public CompletionStage<Void> set() {
    return client.create(path, new byte[0], CreateOptions.persistent().withParents(true))
        .toCompletableFuture().thenApply(p -> (Void) null)
        .exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NodeExistsException
            ? CompletableFuture.completedFuture(null)
            : CompletableFuture.failedFuture(RoostException.unwrap(e)));
  }

  /** Removes the barrier, releasing every waiter; the stage says whether it was set. */
  public CompletionStage<Boolean> remove() {
    return client.deleteIfExists(path);
  }

  /** Whether the barrier is set now. */
  public CompletionStage<Boolean> isSet() {
    return client.exists(path).thenApply(stat -> stat != null);
  }

  /** Waits until the barrier is not set (at once if it is not), as long as it takes. */
  public CompletionStage<Void> waitOnBarrier() {
    return waitUntilGone(Waits.FOREVER).thenApply(b -> null);
  }

  /**
   * Waits at most {@code maxWait} until the barrier is not set; the stage gives true if it was
   * released, false if the time ran out first.
   *
   * @throws IllegalArgumentException if {@code maxWait} is null or negative
   */
  public CompletionStage<Boolean> waitOnBarrier(Duration maxWait) {
    return waitUntilGone(Waits.deadline(maxWait));
  }

  private CompletableFuture<Boolean> waitUntilGone(long deadline) {
    CompletableFuture<Boolean> out = new CompletableFuture<>();
    round(deadline, out);
    return out;
  }

  private void round(long deadline, CompletableFuture<Boolean> out) {
    CompletableFuture<Void> changed = new CompletableFuture<>();
    client.exists(path, event -> changed.complete(null)).whenComplete((stat, e) -> {
      if (e != null) {
        Waits.retryOrFail(client, e, deadline, out, () -> round(deadline, out));
      } else if (stat == null) {
        out.complete(true);
      } else {
        Waits.againOnEvent(client, changed, deadline, out, () -> round(deadline, out));
      }
    });
  }

  @Override
  public String toString() {
    return "DistributedBarrier{" + path + "}";
  }
}

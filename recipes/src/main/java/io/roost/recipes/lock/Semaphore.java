package io.roost.recipes.lock;

import io.roost.client.RoostClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A distributed counting semaphore: at most {@code permits} leases at a time on a path, granted
 * in arrival order. Each lease is a node of its holder's session, so a holder that dies gives
 * its lease back when its session ends. All users of a path must agree on {@code permits}.
 * Waiters watch the child list (a release anywhere may free a lease).
 */
public final class Semaphore {
  private final LockEngine engine;
  private final int permits;

  /**
   * @param permits leases available at once (at least 1)
   * @throws IllegalArgumentException if {@code permits} is below 1
   */
  public Semaphore(RoostClient client, String path, int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits=" + permits + " must be at least 1");
    }
    this.engine = new LockEngine(client, path);
    this.permits = permits;
  }

  /** Waits at most {@code timeout} (null: forever) for a lease. */
  public CompletionStage<Optional<Lease>> acquire(Duration timeout) {
    return engine.acquire("lease-", LockRule.semaphore(permits), timeout, new byte[0])
        .thenApply(Optional::ofNullable);
  }

  /** Gives a lease back. */
  public CompletionStage<Void> release(Lease lease) {
    return lease.release();
  }

  /** The number of leases. */
  public int permits() {
    return permits;
  }
}

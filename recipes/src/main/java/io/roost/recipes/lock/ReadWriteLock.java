package io.roost.recipes.lock;

import io.roost.client.RoostClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A distributed read/write lock: many readers or one writer. Contenders queue in arrival order
 * under one path; a writer waits for everyone before it, a reader only for the writers before
 * it (so a waiting writer is not starved by later readers). Leases behave as {@link Mutex}'s.
 */
public final class ReadWriteLock {
  static final String READ = "read-";
  static final String WRITE = "write-";

  private final LockEngine engine;

  /** A read/write lock on {@code path}. */
  public ReadWriteLock(RoostClient client, String path) {
    this.engine = new LockEngine(client, path);
  }

  static boolean isWriter(String name) {
    int dash = name.startsWith("_c_") ? name.indexOf('-', 3 + 36) + 1 : 0;
    return name.startsWith(WRITE, dash);
  }

  /** Waits at most {@code timeout} (null: forever) for a shared read lease. */
  public CompletionStage<Optional<Lease>> readLock(Duration timeout) {
    return engine.acquire(READ, LockRule.READ, timeout, new byte[0]).thenApply(Optional::ofNullable);
  }

  /** Waits at most {@code timeout} (null: forever) for the exclusive write lease. */
  public CompletionStage<Optional<Lease>> writeLock(Duration timeout) {
    return engine.acquire(WRITE, LockRule.MUTEX, timeout, new byte[0])
        .thenApply(Optional::ofNullable);
  }

  /** Releases a read or write lease. */
  public CompletionStage<Void> release(Lease lease) {
    return lease.release();
  }
}

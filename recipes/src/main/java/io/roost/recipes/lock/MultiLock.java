package io.roost.recipes.lock;

import io.roost.client.RoostException;
import io.roost.client.RoostClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Several mutexes taken as one: all or none. Paths are locked in sorted order, so two multi-locks
 * over overlapping paths cannot deadlock; if one lock is not had in time, those already taken
 * are released.
 */
public final class MultiLock {
  private final List<Mutex> mutexes = new ArrayList<>();

  /**
   * @param paths the lock paths (at least one; duplicates count once)
   * @throws IllegalArgumentException if {@code paths} is empty
   */
  public MultiLock(RoostClient client, List<String> paths) {
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("paths is empty: a multi-lock needs at least one path");
    }
    for (String p : new TreeSet<>(paths)) {
      mutexes.add(Mutex.nonReentrant(client, p));
    }
  }

  /** Waits at most {@code timeout} (null: forever) for every lock; the leases in path order. */
  public CompletionStage<Optional<List<Lease>>> acquire(Duration timeout) {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    return next(0, new ArrayList<>(), deadline, timeout == null);
  }

  private CompletionStage<Optional<List<Lease>>> next(int i, List<Lease> held, long deadline,
      boolean forever) {
    if (i == mutexes.size()) {
      return CompletableFuture.completedFuture(Optional.of(List.copyOf(held)));
    }
    Duration left = forever ? null : Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    return mutexes.get(i).tryAcquire(left).thenCompose(l -> {
      if (l.isEmpty()) {
        return releaseAll(held).thenApply(v -> Optional.<List<Lease>>empty());
      }
      held.add(l.get());
      return next(i + 1, held, deadline, forever);
    }).exceptionallyCompose(e -> releaseAll(held)
        .thenCompose(v -> CompletableFuture.failedFuture(RoostException.unwrap(e))));
  }

  /** Releases every lease of an acquisition. */
  public CompletionStage<Void> release(List<Lease> leases) {
    return releaseAll(leases);
  }

  private static CompletionStage<Void> releaseAll(List<Lease> leases) {
    CompletableFuture<?>[] all = leases.stream().map(l -> l.release().toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all);
  }
}

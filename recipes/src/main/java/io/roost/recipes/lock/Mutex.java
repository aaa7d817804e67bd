package io.roost.recipes.lock;

import io.roost.client.RoostException;
import io.micrometer.core.instrument.Timer;
import io.roost.client.RoostClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A distributed mutex: one holder at a time across every client using the same path. Waiters
 * queue in arrival order and each watches only the one before it.
 *
 * <p>Ownership is the {@link Lease}, not a Java thread: any thread may release it. A reentrant
 * mutex (the default) counts nested acquisitions by this same {@code Mutex} object and keeps one
 * node; a {@link #nonReentrant} one queues a second acquisition behind the first like any other
 * contender.
 *
 * <p>Connection states: on SUSPENDED the lease reports {@link Lease#isHeld()} false (another
 * process may hold the lock if the session expires), on RECONNECTED with the same session true
 * again, on LOST it is lost for good ({@link Lease#lost()} completes). Use
 * {@link Lease#guardedWrite} or the fencing token for writes that must not happen after a loss.
 */
public final class Mutex {
  private final LockEngine engine;
  private final RoostClient client;
  private final boolean reentrant;
  private final byte[] nodeData;
  private final Timer waitTimer;
  private final Timer holdTimer;
  private Lease lease;
  private int holds;
  private CompletableFuture<Lease> pending;

  /** A reentrant mutex on {@code path}. */
  public Mutex(RoostClient client, String path) {
    this(client, path, true, new byte[0]);
  }

  private Mutex(RoostClient client, String path, boolean reentrant, byte[] nodeData) {
    this.engine = new LockEngine(client, path);
    this.client = client;
    this.reentrant = reentrant;
    this.nodeData = nodeData.clone();
    this.waitTimer = Timer.builder("roost.recipes.lock.wait").tag("path", path)
        .register(client.meters());
    this.holdTimer = Timer.builder("roost.recipes.lock.hold").tag("path", path)
        .register(client.meters());
  }

  /** A mutex that does not count nested acquisitions. */
  public static Mutex nonReentrant(RoostClient client, String path) {
    return new Mutex(client, path, false, new byte[0]);
  }

  /**
   * A mutex that does not count nested acquisitions and stores {@code nodeData} in each of its
   * contender nodes (say, who the contender is).
   */
  public static Mutex nonReentrant(RoostClient client, String path, byte[] nodeData) {
    return new Mutex(client, path, false, nodeData);
  }

  /** Waits as long as it takes; completes with the lease. */
  public CompletionStage<Lease> acquire() {
    return tryAcquire(null).thenApply(Optional::orElseThrow);
  }

  /**
   * Waits at most {@code timeout} (null: forever); empty if the lock was not had in time (this
   * contender then leaves the queue).
   */
  public CompletionStage<Optional<Lease>> tryAcquire(Duration timeout) {
    if (reentrant) {
      synchronized (this) {
        if (lease != null && !lease.isReleased() && !lease.lost().toCompletableFuture().isDone()) {
          holds++;
          return CompletableFuture.completedFuture(Optional.of(lease));
        }
        if (pending != null) {
          // Another acquisition of this object is under way: share its outcome.
          return pending.thenCompose(l -> tryAcquire(timeout));
        }
      }
    }
    long t0 = System.nanoTime();
    CompletableFuture<Lease> f = engine.acquire("lock-", LockRule.MUTEX, timeout, nodeData)
        .toCompletableFuture();
    if (reentrant) {
      synchronized (this) {
        pending = f;
      }
    }
    return f.handle((l, e) -> {
      synchronized (this) {
        if (reentrant) {
          pending = null;
          if (l != null) {
            lease = l;
            holds = 1;
          }
        }
      }
      waitTimer.record(Duration.ofNanos(System.nanoTime() - t0));
      if (e != null) {
        throw new java.util.concurrent.CompletionException(RoostException.unwrap(e));
      }
      return Optional.ofNullable(l);
    });
  }

  /**
   * Releases one hold of {@code l}; the node goes when the last hold does. Any thread may call
   * it.
   *
   * @throws IllegalArgumentException if {@code l} is not a lease of this mutex
   */
  public CompletionStage<Void> release(Lease l) {
    java.util.Objects.requireNonNull(l, "lease");
    if (!l.nodePath().startsWith(engine.path() + "/")) {
      throw new IllegalArgumentException(l + " is not a lease of " + engine.path());
    }
    if (reentrant) {
      synchronized (this) {
        if (l == lease && --holds > 0) {
          return CompletableFuture.completedFuture(null);
        }
        if (l == lease) {
          lease = null;
        }
      }
    }
    holdTimer.record(Duration.ofNanos(l.heldNanos()));
    return l.release();
  }

  /** The lock path. */
  public String path() {
    return engine.path();
  }

  /** The contenders, holder first. */
  public CompletionStage<java.util.List<String>> contenders() {
    return engine.contenders();
  }

  @Override
  public String toString() {
    return (reentrant ? "Mutex{" : "NonReentrantMutex{") + engine.path() + ", " + client + "}";
  }
}

package io.roost.recipes.atomic;

import io.roost.recipes.RecipePaths;
import io.roost.client.CreateOptions;
import io.roost.client.NodeData;
import io.roost.client.RetryPolicy;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;

/**
 * A long shared by every client through one node, changed by optimistic compare-and-set: read
 * the value and its version, write the new value at that version, and on BadVersion (another
 * writer came first) wait a little and try again, a bounded number of times. A missing node
 * counts as 0.
 *
 * <p>Exact under connection loss: each write carries, after the 8-byte big-endian value, 16
 * random bytes unique to that attempt, so when the client retries a write whose answer was
 * lost it can tell its own write from another writer's (a retried write counts as done only if
 * the node holds exactly its bytes). Readers take the first 8 bytes, so Curator's
 * {@code DistributedAtomicLong} reads these nodes, and nodes it wrote read here.
 *
 * <p>Connection states: on SUSPENDED operations wait for the connection by the client's retry
 * policy and fail with its ConnectionLoss once that gives up (an add that failed so may or may
 * not have happened only if its last write's answer was lost and the retry could not run). On
 * LOST nothing is lost: the node is persistent. Blocking form:
 * {@code client.blocking().await(counter.increment())}.
 */
public final class DistributedAtomicLong {
  private static final int VALUE_BYTES = 8;

  private final RoostClient client;
  private final String path;
  private final RetryPolicy contention;

  /**
   * A counter at {@code path}, retrying on contention with jittered exponential backoff from
   * 1 ms to 100 ms, up to 100 times.
   *
   * @throws IllegalArgumentException if {@code client} is null or {@code path} is not an
   *     absolute path other than {@code /}
   */
  public DistributedAtomicLong(RoostClient client, String path) {
    this(client, path, RetryPolicy.exponentialBackoff(Duration.ofMillis(1),
        Duration.ofMillis(100), 100));
  }

  /**
   * A counter at {@code path} that retries on contention as {@code contention} says; when it
   * gives up, the operation fails with {@link ConcurrentModificationException}.
   *
   * @throws IllegalArgumentException if an argument is null or {@code path} is not an absolute
   *     path other than {@code /}
   */
  public DistributedAtomicLong(RoostClient client, String path, RetryPolicy contention) {
    if (client == null) {
      throw new IllegalArgumentException("client is null");
    }
    RecipePaths.check(path, "counter path");
    if (contention == null) {
      throw new IllegalArgumentException("contention retry policy is null");
    }
    this.client = client;
    this.path = path;
    this.contention = contention;
  }

  /** The node's path. */
  public String path() {
    return path;
  }

  /** The current value (0 if the node does not exist). */
  public CompletionStage<Long> get() {
    return client.getData(path).toCompletableFuture().thenApply(nd -> decode(nd.data()))
        .exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NoNodeException
            ? CompletableFuture.completedFuture(0L)
            : CompletableFuture.failedFuture(RoostException.unwrap(e)));
  }

  /** Adds one; the stage gives the new value. */
  public CompletionStage<Long> increment() {
    return add(1);
  }

  /** Subtracts one; the stage gives the new value. */
  public CompletionStage<Long> decrement() {
    return add(-1);
  }

  /** Adds {@code delta} (wrapping on overflow, like {@code AtomicLong}); gives the new value. */
  public CompletionStage<Long> add(long delta) {
    return update(current -> current + delta, System.nanoTime(), 0);
  }

  /** Sets the value whatever it is now. */
  public CompletionStage<Void> set(long value) {
    return update(current -> value, System.nanoTime(), 0).thenApply(v -> null);
  }

  /**
   * Sets {@code newValue} if the value is {@code expected}; the stage says whether it did (false
   * as soon as a read shows another value; BadVersion alone means "read again", not false).
   */
  public CompletionStage<Boolean> compareAndSet(long expected, long newValue) {
    return update(current -> current == expected ? newValue : null, System.nanoTime(), 0)
        .thenApply(v -> v != null);
  }

  /**
   * Reads, applies {@code f} (null: give up, completing with null) and writes at the version
   * read; on contention waits as the policy says and starts over.
   */
  private CompletableFuture<Long> update(LongFunction<Long> f, long startNanos, int tries) {
    return client.getData(path).toCompletableFuture()
        .exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NoNodeException
            ? CompletableFuture.completedFuture(null)
            : CompletableFuture.failedFuture(RoostException.unwrap(e)))
        .thenCompose((NodeData nd) -> {
          long current = nd == null ? 0 : decode(nd.data());
          Long next = f.apply(current);
          if (next == null) {
            return CompletableFuture.completedFuture(null);
          }
          byte[] data = encode(next);
          CompletionStage<?> write = nd == null
              ? client.create(path, data, CreateOptions.persistent().withParents(true)
                  .withIdempotent(true))
              : client.setData(path, data, nd.stat().version());
          return write.toCompletableFuture().thenApply(x -> next)
              .exceptionallyCompose(e -> {
                Throwable c = RoostException.unwrap(e);
                if (c instanceof RoostException.BadVersionException
                    || c instanceof RoostException.NodeExistsException
                    || c instanceof RoostException.NoNodeException) {
                  return afterContention(f, startNanos, tries);
                }
                return CompletableFuture.failedFuture(c);
              });
        });
  }

  private CompletableFuture<Long> afterContention(LongFunction<Long> f, long startNanos,
      int tries) {
    Duration delay = contention.nextDelay(tries, Duration.ofNanos(System.nanoTime()
        - startNanos));
    if (delay == null) {
      return CompletableFuture.failedFuture(new ConcurrentModificationException("counter "
          + path + " was changed by other writers on each of " + (tries + 1) + " tries; the"
          + " contention retry policy gave up"));
    }
    CompletableFuture<Long> out = new CompletableFuture<>();
    client.vertx().setTimer(Math.max(1, delay.toMillis()), id ->
        update(f, startNanos, tries + 1).whenComplete((v, e) -> {
          if (e != null) {
            out.completeExceptionally(RoostException.unwrap(e));
          } else {
            out.complete(v);
          }
        }));
    return out;
  }

  /** The value followed by 16 random bytes unique to this write. */
  private static byte[] encode(long value) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return ByteBuffer.allocate(VALUE_BYTES + 16).putLong(value).putLong(r.nextLong())
        .putLong(r.nextLong()).array();
  }

  private long decode(byte[] data) {
    if (data == null || data.length == 0) {
      return 0;
    }
    if (data.length < VALUE_BYTES) {
      throw new IllegalStateException("node " + path + " holds " + data.length + " bytes, not"
          + " a counter (a big-endian long in its first 8 bytes)");
    }
    return ByteBuffer.wrap(data).getLong();
  }

  @Override
  public String toString() {
    return "DistributedAtomicLong{" + path + "}";
  }
}

package io.roost.recipes.queue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What every Roost queue offers its consumers; the subclasses add their own ways to put.
 *
 * <p>Items are persistent sequential children of the queue node, named so that ordering the
 * names orders the items. Two ways to consume:
 * <ul>
 *   <li>{@link #take()}, {@link #take(Duration)}, {@link #poll()}: read the first item and
 *       delete it; the delete decides which consumer got it, so no two consumers ever get the
 *       same item. Once taken the item is only in the caller's hands: if the caller dies before
 *       it is done with it, the item is lost (at most once).
 *   <li>{@link #process(Function)}, {@link #process(Function, Duration)}: guaranteed delivery.
 *       The item is claimed (an ephemeral child node), the processor runs, and the item is
 *       removed only when the processor's stage succeeds. If the processor fails, the item goes
 *       back; if the consumer dies (its session ends), the claim vanishes and another consumer
 *       gets the item. An item is removed exactly once, but may be processed more than once
 *       (at least once), so processing should be idempotent.
 * </ul>
 * Both kinds of consumer may share a queue: a plain take skips claimed items.
 *
 * <p>Waiting consumers use watches, never polling; every method returns at once with a stage
 * that completes on the client's event loop (callbacks and processors must not block there).
 * For a blocking form, wait with {@code client.blocking().await(queue.take(maxWait))}, with a
 * {@code maxWait} below the client's blocking timeout.
 *
 * <p>Connection states: on SUSPENDED, waiting consumers keep waiting and requests are retried
 * by the client's retry policy; a wait with a deadline ends empty at its deadline. On LOST,
 * claims held by this client end (their items go to other consumers, and completing them here
 * fails with {@link ClaimLostException}); waiting consumers look again once RECONNECTED.
 *
 * <p>Metrics (tag {@code path}): {@code roost.recipes.queue.depth} (gauge, as this process last
 * listed the queue), {@code .puts}, {@code .takes}, {@code .completed}, {@code .released},
 * {@code .claims.lost} and {@code .takes.ambiguous} (counters).
 *
 * <p>Limits: a consumer lists every item, so a queue is meant for up to some tens of thousands
 * of items; the names of all of them must fit in one answer (jute.maxbuffer).
 */
public abstract sealed class AbstractDistributedQueue implements AutoCloseable
    permits DistributedQueue, DistributedPriorityQueue, DistributedDelayQueue,
    DistributedIdQueue {
  final QueueEngine engine;

  AbstractDistributedQueue(QueueEngine engine) {
    this.engine = engine;
  }

  /** The queue node's path. */
  public String path() {
    return engine.path;
  }

  /** Takes the first available item, waiting as long as it takes (or until closed). */
  public CompletionStage<QueueItem> take() {
    engine.checkOpen();
    return engine.next(engine::takeOne, QueueEngine.FOREVER, engine::putBack)
        .thenApply(Optional::orElseThrow);
  }

  /**
   * Takes the first available item, waiting at most {@code maxWait}; empty if none came.
   * If the caller cancels the returned stage just as an item is taken, the item is put back at
   * the end of the queue rather than lost.
   *
   * @throws IllegalArgumentException if {@code maxWait} is null or negative
   */
  public CompletionStage<Optional<QueueItem>> take(Duration maxWait) {
    engine.checkOpen();
    return engine.next(engine::takeOne, deadline(maxWait), engine::putBack);
  }

  /** Takes the first available item if there is one now; empty otherwise. */
  public CompletionStage<Optional<QueueItem>> poll() {
    return take(Duration.ZERO);
  }

  /**
   * Guaranteed delivery of the first available item, waiting as long as it takes: claims it,
   * runs {@code processor} on it (on the client's event loop: hand blocking work elsewhere and
   * return its stage) and removes it when the processor's stage succeeds. The returned stage
   * gives the item once it is removed; it fails with the processor's error (the item went back
   * to the queue) or with {@link ClaimLostException} (the claim ended first; the item is
   * another consumer's now).
   */
  public CompletionStage<QueueItem> process(
      Function<QueueItem, ? extends CompletionStage<?>> processor) {
    return process(processor, null).thenApply(Optional::orElseThrow);
  }

  /**
   * {@link #process(Function)}, waiting at most {@code maxWait} for an item (empty if none
   * came); the processing itself is not limited by {@code maxWait}.
   *
   * @throws IllegalArgumentException if {@code processor} is null or {@code maxWait} negative
   */
  public CompletionStage<Optional<QueueItem>> process(
      Function<QueueItem, ? extends CompletionStage<?>> processor, Duration maxWait) {
    if (processor == null) {
      throw new IllegalArgumentException("processor is null");
    }
    engine.checkOpen();
    long deadline = maxWait == null ? QueueEngine.FOREVER : deadline(maxWait);
    return engine.next(engine.claims::claim, deadline, c -> { })
        .thenCompose(c -> c.isEmpty()
            ? CompletableFuture.completedFuture(Optional.<QueueItem>empty())
            : engine.claims.run(c.get(), processor).thenApply(Optional::of));
  }

  /** How many items the queue holds, those being processed included. */
  public CompletionStage<Integer> size() {
    return engine.size();
  }

  /**
   * Stops this queue object: waiting takes fail with {@link IllegalStateException}; items being
   * processed are still completed. Deletes nothing.
   */
  @Override
  public void close() {
    engine.close();
  }

  static long deadline(Duration maxWait) {
    if (maxWait == null || maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait=" + maxWait + " must be zero or positive");
    }
    try {
      return System.nanoTime() + Math.min(maxWait.toNanos(), Long.MAX_VALUE / 4);
    } catch (ArithmeticException tooLong) {
      return QueueEngine.FOREVER;
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + engine.path + "}";
  }
}

package io.roost.recipes.queue;

import io.roost.recipes.RecipePaths;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roost.client.ConnectionState;
import io.roost.client.ConnectionStateListener;
import io.roost.client.CreateOptions;
import io.roost.client.NodeData;
import io.roost.client.Op;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import io.roost.client.WatchListener;
import io.roost.core.proto.CreateMode;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The machinery every queue shares: item nodes under the queue node, listing them in order,
 * taking one (the delete decides who got it), and waiting for a change with one child watch
 * instead of polling.
 *
 * <p>Waiting: every listing sets a child watch on the queue node with one listener, and every
 * item seen claimed gets a child watch on it (its claim ending is a change too). The listener
 * completes the current "changed" future and puts a new one in its place; a consumer captures
 * the current future before it lists, so a change after its listing always wakes it. Delayed
 * items add a Vert.x timer for the earliest due time. All of it is thread-safe: the client's
 * stages complete on its event loop, callers may be anywhere.
 */
final class QueueEngine {
  private static final System.Logger LOG = System.getLogger(QueueEngine.class.getName());
  /** A deadline meaning "wait as long as it takes". */
  static final long FOREVER = Long.MAX_VALUE;

  final RoostClient client;
  final String path;
  final char kind;
  final Clock clock;
  final WatchListener watcher = event -> signal();
  private final ConnectionStateListener stateListener = (c, s) -> {
    if (s == ConnectionState.RECONNECTED || s == ConnectionState.CLOSED) {
      signal(); // look again: changes may have been missed, or the client is gone (fail then)
    }
  };
  private final AtomicReference<CompletableFuture<Void>> changed =
      new AtomicReference<>(new CompletableFuture<>());
  private final AtomicLong depth = new AtomicLong();
  private final MeterRegistry meters;
  private final Gauge depthGauge;
  private final Counter puts;
  private final Counter takes;
  final Counter completed;
  final Counter released;
  final Counter claimsLost;
  private final Counter ambiguous;
  final Claims claims;
  private volatile boolean closed;

  /** Something a consumer does to one item: empty if it did not get it. */
  interface Attempt<T> {
    CompletableFuture<Optional<T>> attempt(ItemName name, CompletableFuture<?> out);
  }

  QueueEngine(RoostClient client, String path, char kind, Clock clock) {
    if (client == null) {
      throw new IllegalArgumentException("client is null");
    }
    RecipePaths.check(path, "queue path");
    if (clock == null) {
      throw new IllegalArgumentException("clock is null");
    }
    this.client = client;
    this.path = path;
    this.kind = kind;
    this.clock = clock;
    this.meters = client.meters();
    this.depthGauge = Gauge.builder("roost.recipes.queue.depth", depth, AtomicLong::get)
        .description("items in the queue as this process last listed it")
        .tag("path", path).register(meters);
    this.puts = counter("roost.recipes.queue.puts", "items put");
    this.takes = counter("roost.recipes.queue.takes", "items taken (plain take)");
    this.completed = counter("roost.recipes.queue.completed",
        "items processed and removed (guaranteed delivery)");
    this.released = counter("roost.recipes.queue.released",
        "items given back after their processing failed");
    this.claimsLost = counter("roost.recipes.queue.claims.lost",
        "guaranteed deliveries whose claim ended before their processing completed");
    this.ambiguous = counter("roost.recipes.queue.takes.ambiguous",
        "plain takes whose delete answer was lost and whose item was gone afterwards");
    this.claims = new Claims(this);
    client.addConnectionStateListener(stateListener);
  }


  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).tag("path", path).register(meters);
  }

  String itemPath(ItemName n) {
    return path + "/" + n.node();
  }

  // ---- putting ----

  /** Creates an item node named {@code prefix<seq>}; the stage gives its name. */
  CompletableFuture<String> put(String prefix, byte[] data) {
    checkOpen();
    return client.create(path + "/" + prefix, data,
        CreateOptions.of(CreateMode.PERSISTENT_SEQUENTIAL).withParents(true))
        .toCompletableFuture().thenApply(p -> {
          puts.increment();
          return p.substring(p.lastIndexOf('/') + 1);
        });
  }

  // ---- listing ----

  /** This queue's items, in order; sets the child watch (or, with no queue node, an exist one). */
  CompletableFuture<List<ItemName>> list() {
    return client.getChildren(path, watcher).toCompletableFuture()
        .thenApply(this::ordered)
        .exceptionallyCompose(e -> {
          if (!(RoostException.unwrap(e) instanceof RoostException.NoNodeException)) {
            return CompletableFuture.failedFuture(RoostException.unwrap(e));
          }
          // No queue node yet: the first put creates it, and this watch sees that.
          return client.exists(path, watcher).toCompletableFuture().thenApply(stat -> {
            if (stat != null) {
              signal();
            }
            depth.set(0);
            return List.of();
          });
        });
  }

  private List<ItemName> ordered(List<String> children) {
    List<ItemName> items = new ArrayList<>(children.size());
    for (String c : children) {
      ItemName n = ItemName.parse(c);
      if (n != null && n.kind() == kind) {
        items.add(n);
      }
    }
    items.sort(null);
    depth.set(items.size());
    return items;
  }

  /**
   * The item's data if nobody holds a claim on it; else null (and its claim is watched, so its
   * end wakes the waiters), also null if it is gone.
   */
  CompletableFuture<NodeData> readUnclaimed(String itemPath) {
    return client.getData(itemPath).toCompletableFuture().thenCompose(nd -> {
      if (nd.stat().numChildren() == 0) {
        return CompletableFuture.completedFuture(nd);
      }
      return client.exists(itemPath + "/" + Claims.CLAIM, watcher).toCompletableFuture()
          .thenApply(claim -> {
            if (claim == null) {
              signal(); // the claim ended between the two reads: look again
            }
            return (NodeData) null;
          });
    }).exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NoNodeException
        ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(RoostException.unwrap(e)));
  }

  /**
   * Runs a read that decides the outcome of a write whose answer a connection loss swallowed,
   * again after each connection problem, until it gives an answer or the client is closed: the
   * session either comes back (the read tells) or is lost (and with it anything the write
   * claimed).
   */
  <T> CompletableFuture<T> resolving(Supplier<CompletableFuture<T>> read) {
    return client.whenConnected(client.sessionTimeout()).toCompletableFuture()
        .thenCompose(v -> read.get())
        .exceptionallyCompose(e -> {
          Throwable c = RoostException.unwrap(e);
          if (c instanceof RoostException re && re.isRetryable()
              && client.state() != ConnectionState.CLOSED) {
            return resolving(read);
          }
          return CompletableFuture.failedFuture(c);
        });
  }

  // ---- taking ----

  /**
   * Runs {@code attempt} on the visible items in order until one succeeds; with none, waits for
   * a change (or the next due time) and looks again, until {@code deadlineNanos}
   * ({@link #FOREVER}: no deadline). If the caller abandoned {@code out} by the time an item was
   * got, {@code undo} puts it back.
   */
  <T> CompletableFuture<Optional<T>> next(Attempt<T> attempt, long deadlineNanos,
      Consumer<T> undo) {
    CompletableFuture<Optional<T>> out = new CompletableFuture<>();
    round(attempt, deadlineNanos, out, undo);
    return out;
  }

  private <T> void round(Attempt<T> attempt, long deadline, CompletableFuture<Optional<T>> out,
      Consumer<T> undo) {
    if (out.isDone()) {
      return;
    }
    if (closed) {
      out.completeExceptionally(closedError());
      return;
    }
    CompletableFuture<Void> sig = changed.get();
    long[] nextDue = {Long.MAX_VALUE};
    list().thenCompose(items -> {
      long now = clock.millis();
      List<ItemName> visible = new ArrayList<>(items.size());
      for (ItemName n : items) {
        if (n.visibleAt(now)) {
          visible.add(n);
        } else {
          nextDue[0] = Math.min(nextDue[0], n.key());
        }
      }
      return tryEach(attempt, visible, 0, out);
    }).whenComplete((found, e) -> {
      try {
        if (e != null) {
          retryWhenConnected(RoostException.unwrap(e), deadline, out, () -> round(attempt, deadline, out,
              undo));
        } else if (found.isPresent()) {
          if (!out.complete(found)) {
            undo.accept(found.get());
          }
        } else if (deadline != FOREVER && System.nanoTime() - deadline >= 0) {
          out.complete(Optional.empty());
        } else {
          waitForChange(sig, nextDue[0], deadline).thenRun(() -> round(attempt, deadline, out,
              undo));
        }
      } catch (RuntimeException stopped) {
        // e.g. the client was closed under us (its Vert.x rejects timers): fail, don't hang
        out.completeExceptionally(stopped);
      }
    });
  }

  private <T> CompletableFuture<Optional<T>> tryEach(Attempt<T> attempt, List<ItemName> items,
      int i, CompletableFuture<?> out) {
    if (i >= items.size() || out.isDone() || closed) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return attempt.attempt(items.get(i), out).thenCompose(r -> r.isPresent()
        ? CompletableFuture.completedFuture(r) : tryEach(attempt, items, i + 1, out));
  }

  /** After a connection problem: wait for the connection (within the deadline) and go on. */
  private <T> void retryWhenConnected(Throwable cause, long deadline,
      CompletableFuture<Optional<T>> out, Runnable again) {
    if (closed || !(cause instanceof RoostException re) || !re.isRetryable()
        || client.state() == ConnectionState.CLOSED) {
      out.completeExceptionally(cause);
      return;
    }
    long waitMs = client.sessionTimeout().toMillis();
    if (deadline != FOREVER) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        out.complete(Optional.empty());
        return;
      }
      waitMs = Math.min(waitMs, left);
    }
    client.whenConnected(Duration.ofMillis(Math.max(1, waitMs)))
        .whenComplete((v, e) -> again.run());
  }

  /** Completes at the next change, the next due time, or the deadline, whichever is first. */
  private CompletableFuture<Void> waitForChange(CompletableFuture<Void> sig, long nextDueMs,
      long deadline) {
    CompletableFuture<Void> wake = new CompletableFuture<>();
    long delayMs = Long.MAX_VALUE;
    if (nextDueMs != Long.MAX_VALUE) {
      delayMs = Math.max(1, nextDueMs - clock.millis());
    }
    if (deadline != FOREVER) {
      delayMs = Math.min(delayMs, Math.max(1, (deadline - System.nanoTime() + 999_999)
          / 1_000_000));
    }
    if (delayMs != Long.MAX_VALUE) {
      long timer = client.vertx().setTimer(delayMs, id -> wake.complete(null));
      wake.whenComplete((v, e) -> client.vertx().cancelTimer(timer));
    }
    sig.whenComplete((v, e) -> wake.complete(null));
    return wake;
  }

  /** Wakes every waiting consumer to look again. */
  void signal() {
    changed.getAndSet(new CompletableFuture<>()).complete(null);
  }

  /**
   * The plain take of one item: read it, then delete it at the version read. The delete decides
   * who got it: whoever's delete succeeds. A claimed item is skipped (its delete would fail:
   * the claim is a child).
   */
  CompletableFuture<Optional<QueueItem>> takeOne(ItemName n, CompletableFuture<?> out) {
    String p = itemPath(n);
    return readUnclaimed(p).thenCompose(nd -> {
      if (nd == null || out.isDone()) {
        return CompletableFuture.completedFuture(Optional.<QueueItem>empty());
      }
      // A multi, because the client never retries one: a retried plain delete that finds no
      // node counts as done, which here would hand one item to two consumers.
      return client.multi(List.of(Op.delete(p, nd.stat().version()))).toCompletableFuture()
          .thenApply(r -> {
            takes.increment();
            return Optional.of(item(n, nd));
          })
          .exceptionallyCompose(e -> {
            Throwable c = RoostException.unwrap(e);
            if (c instanceof RoostException.ConnectionLossException) {
              return resolveLostTake(p);
            }
            return lostTheRace(c) ? CompletableFuture.completedFuture(Optional.empty())
                : CompletableFuture.failedFuture(c);
          });
    });
  }

  /**
   * The answer to a take's delete was lost. If the item is still there the delete did not
   * happen; if it is gone, this consumer or another removed it and nothing can tell which:
   * counting it as not taken keeps "at most one consumer gets an item" (the item may be lost).
   */
  private CompletableFuture<Optional<QueueItem>> resolveLostTake(String p) {
    return resolving(() -> client.exists(p).toCompletableFuture()).thenApply(stat -> {
          if (stat == null) {
            ambiguous.increment();
            LOG.log(Level.WARNING, "the answer to the take of {0} was lost and the item is gone:"
                + " counted as taken by another consumer (it may be lost)", p);
          }
          return Optional.<QueueItem>empty();
        });
  }

  /** True for the errors that mean another consumer got there first. */
  static boolean lostTheRace(Throwable c) {
    return c instanceof RoostException.NoNodeException
        || c instanceof RoostException.BadVersionException
        || c instanceof RoostException.NotEmptyException
        || c instanceof RoostException.NodeExistsException;
  }

  static QueueItem item(ItemName n, NodeData nd) {
    return new QueueItem(n.node(), n.id(), nd.data(), nd.stat().version());
  }

  /** Puts an item that was taken but could not be handed over back at the end of the queue. */
  void putBack(QueueItem item) {
    ItemName n = ItemName.parse(item.name());
    put(n.prefix(), item.data()).whenComplete((name, e) -> {
      if (e != null) {
        LOG.log(Level.ERROR, "item {0}/{1} was taken for a caller that gave up, and putting it"
            + " back failed: it is lost ({2})", path, item.name(), RoostException.unwrap(e).toString());
      }
    });
  }

  // ---- inspecting ----

  /** How many items the queue holds (claimed ones included). */
  CompletableFuture<Integer> size() {
    return client.getChildren(path).toCompletableFuture()
        .thenApply(c -> ordered(c).size())
        .exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NoNodeException
            ? CompletableFuture.completedFuture(0) : CompletableFuture.failedFuture(RoostException.unwrap(e)));
  }

  // ---- closing ----

  void checkOpen() {
    if (closed) {
      throw closedError();
    }
  }

  private IllegalStateException closedError() {
    return new IllegalStateException("queue " + path + " was closed");
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    client.removeConnectionStateListener(stateListener);
    meters.remove(depthGauge);
    signal();
  }

}

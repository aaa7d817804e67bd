package io.roost.recipes.atomic;

import io.roost.recipes.RecipePaths;
import io.roost.client.ConnectionState;
import io.roost.client.ConnectionStateListener;
import io.roost.client.CreateOptions;
import io.roost.client.NodeData;
import io.roost.client.Op;
import io.roost.client.OpResult;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import io.roost.client.WatchListener;
import io.roost.core.proto.Stat;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A value (bytes) shared by every client through one node, kept up to date here by a data
 * watch, with compare-and-set on the node's version and change listeners. Like Curator's
 * {@code SharedValue}, async first.
 *
 * <p>{@link #value()} is the latest value this client has seen (no request). Listeners are
 * told, on the client's event loop, each time a newer value is seen, through the watch or this
 * client's own writes; under quick successive changes they may skip intermediate values, never
 * go back to an older one.
 *
 * <p>Connection states: on SUSPENDED {@link #value()} may be stale and writes fail or are
 * retried by the client; on RECONNECTED (after LOST too) the value is read again, and listeners
 * hear of a change made meanwhile. A {@link #trySetValue} whose answer a connection loss
 * swallowed is resolved by reading the node: if its version did not move the write is retried,
 * otherwise the stage fails with {@link RoostException.ConnectionLossException}: its outcome is
 * unknown (read {@link #value()} and decide).
 */
public final class SharedValue implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SharedValue.class.getName());
  private static final int MAX_TRIES = 3;

  /** What was seen, with the node's creation zxid (a re-created node starts at version 0). */
  private record Seen(long czxid, VersionedValue<byte[]> value) {
    boolean olderThan(Seen o) {
      return czxid < o.czxid || (czxid == o.czxid && value.version() < o.value.version());
    }
  }

  private final RoostClient client;
  private final String path;
  private final byte[] seed;
  private final AtomicReference<Seen> current = new AtomicReference<>();
  private final List<Consumer<VersionedValue<byte[]>>> listeners = new CopyOnWriteArrayList<>();
  private final WatchListener watcher = event -> refresh();
  private final ConnectionStateListener stateListener = (c, s) -> {
    if (s == ConnectionState.RECONNECTED) {
      refresh();
    }
  };
  private volatile boolean closed;

  /**
   * A shared value at {@code path}, created with {@code seed} by {@link #start()} if missing.
   *
   * @throws IllegalArgumentException if {@code client} is null or {@code path} is not an
   *     absolute path other than {@code /}
   */
  public SharedValue(RoostClient client, String path, byte[] seed) {
    if (client == null) {
      throw new IllegalArgumentException("client is null");
    }
    RecipePaths.check(path, "shared value path");
    this.client = client;
    this.path = path;
    this.seed = seed == null ? new byte[0] : seed.clone();
  }

  /** The node's path. */
  public String path() {
    return path;
  }

  /** Creates the node with the seed if missing (and its parents), reads it and starts watching. */
  public CompletionStage<Void> start() {
    client.addConnectionStateListener(stateListener);
    return client.create(path, seed, CreateOptions.persistent().withParents(true))
        .toCompletableFuture().thenApply(p -> (Void) null)
        .exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NodeExistsException
            ? CompletableFuture.completedFuture(null)
            : CompletableFuture.failedFuture(RoostException.unwrap(e)))
        .thenCompose(v -> read());
  }

  /**
   * The latest value seen by this client, with its version.
   *
   * @throws IllegalStateException before {@link #start()} has completed
   */
  public VersionedValue<byte[]> value() {
    Seen s = current.get();
    if (s == null) {
      throw new IllegalStateException("shared value " + path + " is not started: call start()"
          + " and wait for it");
    }
    return copy(s.value());
  }

  private static VersionedValue<byte[]> copy(VersionedValue<byte[]> v) {
    return new VersionedValue<>(v.version(), v.value().clone());
  }

  /** Sets the value whatever it is now (creating the node if it went). */
  public CompletionStage<Void> setValue(byte[] value) {
    return client.setData(path, value, -1).toCompletableFuture()
        .thenAccept(stat -> seen(stat, value))
        .exceptionallyCompose(e -> {
          if (!(RoostException.unwrap(e) instanceof RoostException.NoNodeException)) {
            return CompletableFuture.failedFuture(RoostException.unwrap(e));
          }
          return client.create(path, value, CreateOptions.persistent().withParents(true)
              .withIdempotent(true)).thenCompose(p -> read());
        });
  }

  /**
   * Sets the value only if the node is still at {@code expected}'s version; the stage says
   * whether it was. On false, {@link #value()} is refreshed.
   *
   * @throws IllegalArgumentException if {@code expected} is null
   */
  public CompletionStage<Boolean> trySetValue(VersionedValue<byte[]> expected, byte[] value) {
    if (expected == null) {
      throw new IllegalArgumentException("expected is null: pass value() as read");
    }
    return trySet(expected.version(), value, 1);
  }

  private CompletableFuture<Boolean> trySet(int version, byte[] value, int attempt) {
    // A multi, because the client never retries one: a retried versioned setData that finds the
    // same bytes at the next version counts as done, which could be another writer's.
    return client.multi(List.of(Op.setData(path, value, version))).toCompletableFuture()
        .thenApply(r -> {
          seen(((OpResult.DataSet) r.get(0)).stat(), value);
          return true;
        })
        .exceptionallyCompose(e -> {
          Throwable c = RoostException.unwrap(e);
          if (c instanceof RoostException.BadVersionException
              || c instanceof RoostException.NoNodeException) {
            return read().thenApply(v -> false);
          }
          if (c instanceof RoostException.ConnectionLossException && attempt < MAX_TRIES) {
            return client.whenConnected(client.sessionTimeout()).toCompletableFuture()
                .thenCompose(v -> client.exists(path))
                .thenCompose(stat -> stat != null && stat.version() == version
                    ? trySet(version, value, attempt + 1) : CompletableFuture.failedFuture(c));
          }
          return CompletableFuture.failedFuture(c);
        });
  }

  /** Tells {@code listener} of every newer value seen from now on. */
  public void addListener(Consumer<VersionedValue<byte[]>> listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    listeners.add(listener);
  }

  /** Stops telling {@code listener}. */
  public void removeListener(Consumer<VersionedValue<byte[]>> listener) {
    listeners.remove(listener);
  }

  /** Stops watching and telling listeners; the node stays. */
  @Override
  public void close() {
    closed = true;
    client.removeConnectionStateListener(stateListener);
    listeners.clear();
  }

  private void refresh() {
    if (!closed) {
      read().whenComplete((v, e) -> {
        if (e != null && !closed) {
          LOG.log(Level.DEBUG, "reading shared value {0}: {1}", path, e.toString());
        }
      });
    }
  }

  /** Reads the node and sets the watch again; a deleted node is watched for its return. */
  private CompletableFuture<Void> read() {
    if (closed) {
      return CompletableFuture.completedFuture(null);
    }
    return client.getData(path, watcher).toCompletableFuture()
        .thenAccept((NodeData nd) -> seen(nd.stat(), nd.data()))
        .exceptionallyCompose(e -> {
          if (!(RoostException.unwrap(e) instanceof RoostException.NoNodeException)) {
            return CompletableFuture.failedFuture(RoostException.unwrap(e));
          }
          return client.exists(path, watcher).thenAccept(stat -> {
            if (stat != null) {
              refresh(); // created again between the two reads
            }
          });
        });
  }

  private void seen(Stat stat, byte[] data) {
    Seen next = new Seen(stat.czxid(), new VersionedValue<>(stat.version(),
        data == null ? new byte[0] : data.clone()));
    while (true) {
      Seen prev = current.get();
      if (prev != null && !prev.olderThan(next)) {
        return;
      }
      if (current.compareAndSet(prev, next)) {
        break;
      }
    }
    if (closed) {
      return;
    }
    for (Consumer<VersionedValue<byte[]>> l : listeners) {
      try {
        l.accept(copy(next.value()));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a listener of shared value " + path + " failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "SharedValue{" + path + "}";
  }
}

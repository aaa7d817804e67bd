package io.roost.recipes.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roost.client.ConnectionState;
import io.roost.client.ConnectionStateListener;
import io.roost.client.NodeData;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import io.roost.client.WatchEvent;
import io.roost.client.WatchListener;
import io.roost.core.proto.Stat;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine under {@link NodeCache} and {@link TreeCache}: mirrors a node and its descendants
 * down to {@code maxDepth} into a Caffeine store, from one persistent watch (recursive when
 * {@code maxDepth > 0}) plus reads.
 *
 * <ul>
 *   <li>A created or changed node is read ({@code getData}) and the answer applied; a deleted
 *       node leaves the store. An answer older than what the store
 *       holds (lower mzxid of the same node, or an earlier incarnation) is ignored, so the store
 *       never goes back in time.
 *   <li>A <b>resync</b> walks the subtree (getData + getChildren) and emits the differences: at
 *       start, and on every RECONNECTED, because the server re-adds persistent watches without
 *       replaying what changed meanwhile. Nodes the walk did not find, and that no event
 *       confirmed during it, are removed at its end; a walk whose reads failed (the connection
 *       went again) removes nothing and the next RECONNECTED walks again.
 * </ul>
 *
 * <p>Why this converges: one connection delivers watch events and read answers in the server's
 * order, so an answer is never older than an event processed before it, and every change after
 * the watch is in place either produces an event or is found by the next walk.
 *
 * <p>Everything that changes the store runs on the client's event loop; the store itself is
 * safe to read from any thread.
 */
final class SubtreeMirror {
  private static final Logger LOG = System.getLogger(SubtreeMirror.class.getName());
  private static final long RETRY_MS = 500;
  /** Reads a resync keeps in flight at most (see {@link Walk}). */
  static final int WALK_READS_IN_FLIGHT = 256;

  private final RoostClient client;
  private final String root;
  private final int maxDepth;
  private final Cache<String, ChildData> store;
  private final List<CacheListener> listeners = new CopyOnWriteArrayList<>();
  private final WatchListener watch = this::onWatchEvent;
  private final ConnectionStateListener stateListener = (c, s) -> onState(s);
  private final CompletableFuture<Void> initialized = new CompletableFuture<>();
  private final CompletableFuture<Void> closedStage = new CompletableFuture<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final MeterRegistry meters;
  private final Gauge sizeGauge;
  private final Map<CacheEvent.Type, Counter> counters = new EnumMap<>(CacheEvent.Type.class);
  private volatile boolean closed;
  // On the event loop only:
  private boolean watching;
  private CompletableFuture<Void> watchAdded = CompletableFuture.completedFuture(null);
  private Walk walk;
  /** The most reads any walk had in flight at once (for tests). */
  private volatile int mostReadsInFlight;

  /**
   * @param kind the metric tag ({@code tree} or {@code node})
   * @param maximumSize the store's bound, or 0 for none
   */
  SubtreeMirror(RoostClient client, String root, int maxDepth, long maximumSize, String kind) {
    this.client = Objects.requireNonNull(client, "client");
    this.root = CachePaths.check(root, "path");
    this.maxDepth = maxDepth;
    Caffeine<Object, Object> b = Caffeine.newBuilder().executor(Runnable::run);
    if (maximumSize > 0) {
      b.maximumSize(maximumSize);
    }
    this.store = b.build();
    this.meters = client.meters();
    this.sizeGauge = Gauge.builder("roost.recipes.cache.size", store, Cache::estimatedSize)
        .description("nodes held by a cache").tag("path", root).tag("kind", kind)
        .register(meters);
    for (CacheEvent.Type t : CacheEvent.Type.values()) {
      counters.put(t, Counter.builder("roost.recipes.cache.events")
          .description("events a cache emitted").tag("path", root).tag("kind", kind)
          .tag("type", t.name().toLowerCase(java.util.Locale.ROOT)).register(meters));
    }
  }

  String root() {
    return root;
  }

  /** Adds the watch and loads; the stage completes when the first load is done. */
  CompletionStage<Void> start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the cache of " + root + " was already started");
    }
    client.executor().execute(() -> {
      if (!closed) {
        client.addConnectionStateListener(stateListener);
        addWatchThenResync();
      }
    });
    return initialized.copy();
  }

  boolean isInitialized() {
    return initialized.isDone() && !initialized.isCompletedExceptionally();
  }

  ChildData get(String path) {
    return store.getIfPresent(path);
  }

  /** Every cached node, by path. */
  Map<String, ChildData> all() {
    return store.asMap();
  }

  long size() {
    return store.estimatedSize();
  }

  /** The most reads a resync has had in flight at once so far. */
  int mostReadsInFlight() {
    return mostReadsInFlight;
  }

  void addListener(CacheListener l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
  }

  void removeListener(CacheListener l) {
    listeners.remove(l);
  }

  /** Stops watching; the store keeps its last contents. */
  CompletionStage<Void> close() {
    closed = true;
    try {
      client.executor().execute(() -> {
        client.removeConnectionStateListener(stateListener);
        initialized.completeExceptionally(new IllegalStateException("the cache of " + root
            + " was closed before its first load finished"));
        // After the watch's registration (if in flight), or the removal would find nothing.
        watchAdded.handle((v, e) -> null).thenCompose(v -> client.removeWatch(root,
            maxDepth > 0, watch)).whenComplete((v, e) -> closedStage.complete(null));
      });
    } catch (RejectedExecutionException e) {
      closedStage.complete(null); // the client's Vert.x is closed: no watch is left
    }
    meters.remove(sizeGauge);
    return closedStage.copy();
  }

  // ---- on the event loop from here on ----

  private void addWatchThenResync() {
    CompletableFuture<Void> f = client.addWatch(root, maxDepth > 0, watch).toCompletableFuture();
    watchAdded = f;
    f.whenComplete((v, e) -> {
      if (closed) {
        return;
      }
      if (e == null) {
        watching = true;
        resync();
      } else if (!retryable(e)) {
        initialized.completeExceptionally(RoostException.unwrap(e));
      } else {
        retryIfConnected(this::addWatchThenResync);
      }
    });
  }

  /**
   * After a read or watch failed for the connection's sake: the next RECONNECTED tries again,
   * but if the client is already connected again (the failure came late), try after a pause.
   */
  private void retryIfConnected(Runnable again) {
    ConnectionState s = client.state();
    if (s != null && s.isConnected()) {
      client.vertx().setTimer(RETRY_MS, id -> {
        if (!closed && client.state() != null && client.state().isConnected()) {
          again.run();
        }
      });
    }
  }

  private void onState(ConnectionState s) {
    if (closed || s != ConnectionState.RECONNECTED) {
      return; // SUSPENDED and LOST: keep serving the last known data until connected again
    }
    if (watching) {
      resync();
    } else {
      addWatchThenResync();
    }
  }

  private void onWatchEvent(WatchEvent e) {
    int depth = CachePaths.depth(root, e.path());
    if (closed || depth < 0 || depth > maxDepth) {
      return;
    }
    switch (e.type()) {
      case NODE_CREATED, NODE_DATA_CHANGED -> refresh(e.path());
      case NODE_DELETED -> remove(e.path());
      default -> { } // child-list events (non-recursive watch): the children report themselves
    }
  }

  private void refresh(String path) {
    client.getData(path).whenComplete((d, e) -> {
      if (closed) {
        return;
      }
      if (e == null) {
        apply(path, d);
      } else if (!(RoostException.unwrap(e) instanceof RoostException.NoNodeException)) {
        // NoNode: deleted since, and its NODE_DELETED came first. Anything else: the
        // connection went; the resync on RECONNECTED reads it again.
        LOG.log(Level.DEBUG, "cache {0}: reading {1} failed: {2}", root, path, RoostException.unwrap(e));
      }
    });
  }

  /** Applies a read of {@code path}, unless it is older than what the store holds. */
  private void apply(String path, NodeData read) {
    if (walk != null) {
      walk.seen.add(path);
    }
    ChildData now = new ChildData(path, read.data(), read.stat());
    ChildData old = store.getIfPresent(path);
    if (old == null) {
      store.put(path, now);
      emit(CacheEvent.Type.NODE_ADDED, path, now, null);
      return;
    }
    Stat o = old.stat();
    Stat n = now.stat();
    if (n.czxid() != o.czxid()) {
      if (n.czxid() > o.czxid()) {
        // Deleted and created again while we could not see it: say both.
        store.put(path, now);
        emit(CacheEvent.Type.NODE_REMOVED, path, old, null);
        emit(CacheEvent.Type.NODE_ADDED, path, now, null);
      }
    } else if (n.mzxid() > o.mzxid()) {
      store.put(path, now);
      emit(CacheEvent.Type.NODE_UPDATED, path, now, old);
    } else if (n.mzxid() == o.mzxid() && n.pzxid() > o.pzxid()) {
      store.put(path, now); // only child-list fields moved: fresher stat, no event
    }
  }

  /**
   * A node was deleted. Only leaves can be deleted, and the deletions of its children reached
   * us first (one connection, the server's order), so it has no cached descendants left.
   */
  private void remove(String path) {
    ChildData old = store.asMap().remove(path);
    if (old != null) {
      emit(CacheEvent.Type.NODE_REMOVED, path, old, null);
    }
  }

  private void removeDeepestFirst(List<String> paths) {
    paths.sort(Comparator.comparingInt((String p) -> CachePaths.depth("/", p)).reversed()
        .thenComparing(Comparator.naturalOrder()));
    for (String p : paths) {
      ChildData old = store.asMap().remove(p);
      if (old != null) {
        emit(CacheEvent.Type.NODE_REMOVED, p, old, null);
      }
    }
  }

  private void resync() {
    walk = new Walk();
    walk.visit(root, 0);
  }

  private void emit(CacheEvent.Type type, String path, ChildData data, ChildData previous) {
    counters.get(type).increment();
    CacheEvent event = new CacheEvent(type, path, data, previous);
    for (CacheListener l : listeners) {
      try {
        l.event(event);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "a listener of the cache of " + root + " failed on " + event, ex);
      }
    }
  }

  /**
   * One full read of the subtree; superseded when another starts. It keeps at most
   * {@link #WALK_READS_IN_FLIGHT} reads in flight, so a large subtree (a cache on a million nodes
   * re-reads all of them on every RECONNECTED) is read a window at a time instead of as one
   * burst of requests queued in the client and the server at once.
   */
  private final class Walk {
    final Set<String> seen = new HashSet<>();
    /** Reads not issued yet, because the window is full. */
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    /** Reads issued or waiting whose answer has not been handled. */
    private int outstanding;
    private int inFlight;
    private boolean pumping;
    private boolean failed;

    void visit(String path, int depth) {
      outstanding++;
      issue(() -> client.getData(path).whenComplete((d, e) -> {
        answered();
        if (closed) {
          return;
        }
        if (e != null) {
          failed |= retryable(e);
        } else {
          seen.add(path);
          apply(path, d);
          if (depth < maxDepth) {
            outstanding++;
            issue(() -> client.getChildren(path).whenComplete((kids, e2) -> {
              answered();
              if (closed) {
                return;
              }
              if (e2 != null) {
                failed |= retryable(e2);
              } else {
                for (String k : kids) {
                  visit(CachePaths.child(path, k), depth + 1);
                }
              }
              done();
            }));
          }
        }
        done();
      }));
    }

    private void issue(Runnable read) {
      waiting.add(read);
      pump();
    }

    private void answered() {
      inFlight--;
      pump();
    }

    /**
     * Issues waiting reads while the window has room. A loop, not recursion: a read that fails
     * at once (the connection is gone) is answered inside {@code run()}.
     */
    private void pump() {
      if (pumping) {
        return;
      }
      pumping = true;
      try {
        if (closed || walk != this) {
          waiting.clear(); // superseded or closed: the rest is not worth reading
          return;
        }
        while (inFlight < WALK_READS_IN_FLIGHT && !waiting.isEmpty()) {
          inFlight++;
          mostReadsInFlight = Math.max(mostReadsInFlight, inFlight);
          waiting.poll().run();
        }
      } finally {
        pumping = false;
      }
    }

    private void done() {
      if (--outstanding > 0 || walk != this) {
        return;
      }
      walk = null;
      if (failed) {
        retryIfConnected(() -> {
          if (walk == null) {
            resync();
          }
        });
        return; // else the connection went again: the next RECONNECTED walks again
      }
      List<String> missing = new ArrayList<>();
      for (String p : store.asMap().keySet()) {
        if (!seen.contains(p)) {
          missing.add(p);
        }
      }
      removeDeepestFirst(missing);
      if (!initialized.isDone()) {
        emit(CacheEvent.Type.INITIALIZED, root, null, null);
        initialized.complete(null);
      }
    }
  }

  private static boolean retryable(Throwable e) {
    return RoostException.unwrap(e) instanceof RoostException re && re.isRetryable();
  }

}

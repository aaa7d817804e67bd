package io.roost.recipes.cache;

import io.roost.client.RoostClient;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * A live copy of a subtree: path → data and stat for the root and every descendant (down to
 * {@link Builder#maxDepth}), kept current from one persistent recursive watch plus reads, with
 * listeners for {@code NODE_ADDED}, {@code NODE_UPDATED}, {@code NODE_REMOVED} and
 * {@code INITIALIZED}.
 *
 * <p><b>Guarantees.</b> After {@link #start()} completes the cache holds the subtree as of its
 * first load, and it <em>converges</em>: once changes stop and the client is connected, it
 * holds exactly what the servers hold. Events for one path come in the order of the changes, on
 * the client's event loop; quick successive changes of one node may reach the cache as one
 * {@code NODE_UPDATED} (each change is read, and a read sees the latest data). The root need not
 * exist; it is added when created.
 *
 * <p><b>Connection states.</b> On SUSPENDED and on LOST the cache keeps serving its last
 * contents, which may be stale. On every RECONNECTED (the same session, or a new one after
 * LOST) it reads the whole subtree again and emits the differences as events, so changes made
 * while it was cut off (which the server does not replay to persistent watches) are seen.
 *
 * <p><b>Store.</b> A Caffeine cache without eviction by default. With
 * {@link Builder#maximumSize} it is bounded: nodes beyond the bound are evicted silently, a
 * lookup of an evicted node returns null although the node exists, and its next change comes as
 * {@code NODE_ADDED}. Use a bound only to cap memory when a partial view is acceptable.
 *
 * <p><b>Metrics</b> (in the client's registry, tagged with the path and {@code kind=tree}):
 * gauge {@code roost.recipes.cache.size}, counter {@code roost.recipes.cache.events} by type.
 *
 * <p>Reads of the contents are safe from any thread.
 */
public final class TreeCache implements AutoCloseable {
  private final SubtreeMirror mirror;

  private TreeCache(Builder b) {
    this.mirror = new SubtreeMirror(b.client, b.path, b.maxDepth, b.maximumSize, "tree");
  }

  /**
   * A builder for a cache of the subtree at {@code path} ("/" for the whole tree).
   *
   * @throws IllegalArgumentException if {@code path} is not an absolute node path
   */
  public static Builder builder(RoostClient client, String path) {
    return new Builder(client, path);
  }

  /**
   * Adds the watch and loads the subtree; the stage completes at {@code INITIALIZED}, or fails
   * if the watch cannot be added for a reason other than the connection (such as NoAuth). If the
   * connection is down it completes after the next reconnect.
   *
   * @throws IllegalStateException if already started
   */
  public CompletionStage<Void> start() {
    return mirror.start();
  }

  /** True once the first load finished. */
  public boolean isInitialized() {
    return mirror.isInitialized();
  }

  /** The cache's root path. */
  public String path() {
    return mirror.root();
  }

  /** The cached node at {@code path}, or null if the cache holds none. */
  public ChildData currentData(String path) {
    return mirror.get(path);
  }

  /**
   * The cached children of {@code path}, by name in name order; empty if there are none or the
   * cache does not hold {@code path} (check with {@link #currentData}). Scans the cache: cost
   * grows with its size.
   */
  public SortedMap<String, ChildData> currentChildren(String path) {
    CachePaths.check(path, "path");
    SortedMap<String, ChildData> out = new TreeMap<>();
    String prefix = path.equals("/") ? "/" : path + "/";
    for (Map.Entry<String, ChildData> e : mirror.all().entrySet()) {
      String p = e.getKey();
      if (p.startsWith(prefix) && p.length() > prefix.length()
          && p.indexOf('/', prefix.length()) < 0) {
        out.put(p.substring(prefix.length()), e.getValue());
      }
    }
    return Collections.unmodifiableSortedMap(out);
  }

  /** Every cached node, by path in path order (a copy). */
  public SortedMap<String, ChildData> currentTree() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(mirror.all()));
  }

  /** The number of cached nodes. */
  public long size() {
    return mirror.size();
  }

  /** The most reads a full re-read of the subtree has had in flight at once (for tests). */
  int mostReadsInFlight() {
    return mirror.mostReadsInFlight();
  }

  /** Adds a listener (see {@link CacheListener}); events already emitted are not replayed. */
  public void addListener(CacheListener listener) {
    mirror.addListener(listener);
  }

  /** Removes a listener. */
  public void removeListener(CacheListener listener) {
    mirror.removeListener(listener);
  }

  /** Stops watching (the contents stay as they were); completes when the watch is removed. */
  public CompletionStage<Void> closeAsync() {
    return mirror.close();
  }

  /** Stops watching without waiting; see {@link #closeAsync()}. */
  @Override
  public void close() {
    closeAsync();
  }

  /** Builds a {@link TreeCache}; bad settings throw IllegalArgumentException naming them. */
  public static final class Builder {
    private final RoostClient client;
    private final String path;
    private int maxDepth = Integer.MAX_VALUE;
    private long maximumSize;

    private Builder(RoostClient client, String path) {
      this.client = java.util.Objects.requireNonNull(client, "client");
      this.path = CachePaths.check(path, "path");
    }

    /**
     * Caches nodes at most {@code maxDepth} levels below the root (0: the root alone, 1: the
     * root and its children); default unlimited.
     */
    public Builder maxDepth(int maxDepth) {
      if (maxDepth < 0) {
        throw new IllegalArgumentException("maxDepth=" + maxDepth + " must be 0 or more");
      }
      this.maxDepth = maxDepth;
      return this;
    }

    /**
     * Bounds the store to {@code maximumSize} nodes (see the class comment for what a bound
     * costs); default unbounded.
     */
    public Builder maximumSize(long maximumSize) {
      if (maximumSize <= 0) {
        throw new IllegalArgumentException("maximumSize=" + maximumSize
            + " must be positive (leave it unset for an unbounded cache)");
      }
      this.maximumSize = maximumSize;
      return this;
    }

    /** The cache, not started. */
    public TreeCache build() {
      return new TreeCache(this);
    }
  }
}

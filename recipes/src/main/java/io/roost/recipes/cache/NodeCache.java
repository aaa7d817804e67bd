package io.roost.recipes.cache;

import io.roost.client.RoostClient;
import java.util.concurrent.CompletionStage;

/**
 * A live copy of one node's data and stat, with listeners for its creation
 * ({@code NODE_ADDED}), data changes ({@code NODE_UPDATED}) and deletion ({@code NODE_REMOVED}).
 * The node need not exist.
 *
 * <p>It is the {@link TreeCache} engine at depth 0, on one persistent watch on the node (not a
 * recursive one: changes below the node would reach the client only to be dropped). The same
 * guarantees hold: it converges to the server's node, events come in order on the client's
 * event loop, quick successive changes may arrive as one update; on SUSPENDED and LOST it keeps
 * the last known data, and on every RECONNECTED it reads the node again and emits the
 * difference. Metrics as for the tree cache, tagged {@code kind=node}.
 */
public final class NodeCache implements AutoCloseable {
  private final SubtreeMirror mirror;

  /**
   * @param path the node to mirror
   * @throws IllegalArgumentException if {@code path} is not an absolute node path
   */
  public NodeCache(RoostClient client, String path) {
    this.mirror = new SubtreeMirror(client, path, 0, 0, "node");
  }

  /**
   * Adds the watch and reads the node; the stage completes when the first read is done (see
   * {@link TreeCache#start()}).
   *
   * @throws IllegalStateException if already started
   */
  public CompletionStage<Void> start() {
    return mirror.start();
  }

  /** The node's path. */
  public String path() {
    return mirror.root();
  }

  /** The node as last read, or null if it does not exist (or the first read is not done). */
  public ChildData current() {
    return mirror.get(mirror.root());
  }

  /** Adds a listener; it gets {@code INITIALIZED} once, after the first read. */
  public void addListener(CacheListener listener) {
    mirror.addListener(listener);
  }

  /** Removes a listener. */
  public void removeListener(CacheListener listener) {
    mirror.removeListener(listener);
  }

  /** Stops watching; completes when the watch is removed. */
  public CompletionStage<Void> closeAsync() {
    return mirror.close();
  }

  /** Stops watching without waiting; see {@link #closeAsync()}. */
  @Override
  public void close() {
    closeAsync();
  }
}

package io.roost.recipes.cache;

import java.util.Objects;

/**
 * A change a cache saw, or the end of its first load.
 *
 * @param type what happened
 * @param path the node it happened to (the cache's root for {@link Type#INITIALIZED})
 * @param data the node now (for {@link Type#NODE_REMOVED}: as last cached; null for
 *     {@link Type#INITIALIZED})
 * @param previous for {@link Type#NODE_UPDATED}, the node as cached before; else null
 */
public record CacheEvent(Type type, String path, ChildData data, ChildData previous) {
  /** What happened. */
  public enum Type {
    /** A node appeared in the cache (created, or found by a resync). */
    NODE_ADDED,
    /** A cached node's data changed. */
    NODE_UPDATED,
    /** A node left the cache (deleted, or missing in a resync). */
    NODE_REMOVED,
    /** The first full load finished: the cache holds the subtree as of that load. */
    INITIALIZED
  }

  /** Checks the fields. */
  public CacheEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(path, "path");
  }
}

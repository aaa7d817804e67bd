package io.roost.recipes.cache;

/**
 * Told about a cache's changes, in the order the cache applied them (so in order per path), on
 * the client's event-loop thread: it must not block. An exception it throws is logged and does
 * not stop the other listeners.
 */
@FunctionalInterface
public interface CacheListener {
  /** One change; the cache already holds the new state when this is called. */
  void event(CacheEvent event);
}

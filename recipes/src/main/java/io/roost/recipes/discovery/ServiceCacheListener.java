package io.roost.recipes.discovery;

/**
 * Told about a service's instance changes, in order per instance, on the client's event-loop
 * thread: it must not block. An exception it throws is logged and does not stop the others.
 */
@FunctionalInterface
public interface ServiceCacheListener {
  /** One change; the cache's {@link ServiceCache#instances()} already includes it. */
  void changed(ServiceEvent event);
}

package io.roost.recipes.discovery;

import java.util.Objects;

/**
 * A change of a service's instances as a {@link ServiceCache} saw it.
 *
 * @param type what happened
 * @param instance the instance now (for {@link Type#REMOVED}: as last seen)
 */
public record ServiceEvent(Type type, ServiceInstance instance) {
  /** What happened. */
  public enum Type {
    /** An instance was registered (or registered again after its owner's session loss). */
    ADDED,
    /** An instance's address, port or metadata changed. */
    UPDATED,
    /** An instance went: unregistered, or its owner's session ended. */
    REMOVED
  }

  /** Checks the fields. */
  public ServiceEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(instance, "instance");
  }
}

package io.roost.core.tree;

/**
 * Receives the events a change to the tree produces, in the order they happen, so watches can fire.
 * Event types are {@link io.roost.core.proto.EventType} values.
 */
@FunctionalInterface
public interface ChangeSink {
  /** A sink that ignores everything (replay at start-up, tests). */
  ChangeSink NONE = (path, type) -> {};

  /** Called once per event: the node at {@code path} changed in the way {@code eventType} says. */
  void changed(String path, int eventType);
}

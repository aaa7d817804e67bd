package io.roost.recipes.group;

/**
 * Told about a group's membership changes, in order per member, on the client's event-loop
 * thread: it must not block. An exception it throws is logged and does not stop the others.
 */
@FunctionalInterface
public interface GroupListener {
  /** One change; the group's view already includes it. */
  void changed(GroupEvent event);
}

package io.roost.recipes.group;

import java.util.Objects;

/**
 * A change of a group's membership as a {@link Group} saw it.
 *
 * @param type what happened
 * @param memberId the member it happened to
 * @param payload the member's payload now (for {@link Type#LEFT}: as last seen); the array
 *     the group holds, not a copy: do not modify it
 */
public record GroupEvent(Type type, String memberId, byte[] payload) {
  /** What happened. */
  public enum Type {
    /** A member joined (or was found by a resync, or rejoined with a new node). */
    JOINED,
    /** A member's payload changed. */
    UPDATED,
    /** A member left: it closed, or its session ended. */
    LEFT
  }

  /** Checks the fields. */
  public GroupEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(memberId, "memberId");
    Objects.requireNonNull(payload, "payload");
  }
}

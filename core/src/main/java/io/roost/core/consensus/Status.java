package io.roost.core.consensus;

/**
 * Where a server stands, reported in a {@link Ready} whenever it changes.
 *
 * @param role what the server is doing
 * @param leader the leader it follows or is (0 while looking)
 * @param epoch the leader's epoch once established (0 before)
 * @param serving true once the server is synchronized and may serve clients: a leader whose
 *     NEWLEADER a quorum acknowledged, a follower or observer that got UPTODATE
 */
public record Status(Role role, int leader, int epoch, boolean serving) {
  /** The status of a server that has just started. */
  public static final Status LOOKING = new Status(Role.LOOKING, 0, 0, false);
}

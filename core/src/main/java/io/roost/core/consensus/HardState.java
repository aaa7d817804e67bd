package io.roost.core.consensus;

/**
 * What a server must keep across crashes besides its log, persisted durably before any message
 * of the same {@link Ready} is sent.
 *
 * @param acceptedEpoch the highest epoch this server has promised to a leader (ZAB's accepted
 *     epoch); it never goes down
 * @param acceptedLeader the leader it promised {@code acceptedEpoch} to (0 if none), so that a
 *     repeated promise of the same epoch goes to the same leader only
 * @param currentEpoch the epoch of the last leader whose initial history this server acknowledged
 *     (NEWLEADER); its log is that leader's history plus a prefix of its proposals
 */
public record HardState(int acceptedEpoch, int acceptedLeader, int currentEpoch) {
  /** A server that has never joined an ensemble. */
  public static final HardState INITIAL = new HardState(0, 0, 0);

  /** Validates the epochs. */
  public HardState {
    if (acceptedEpoch < 0 || currentEpoch < 0 || currentEpoch > acceptedEpoch) {
      throw new IllegalArgumentException("inconsistent hard state: acceptedEpoch="
          + acceptedEpoch + ", currentEpoch=" + currentEpoch);
    }
  }
}

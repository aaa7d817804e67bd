package io.roost.core.consensus;

/** What a server is doing in the ensemble; the names are the ones {@code srvr} reports. */
public enum Role {
  /** Electing a leader (or, for an observer, looking for one). */
  LOOKING,
  /** Following a leader: voting member of the quorum. */
  FOLLOWING,
  /** Leading the ensemble. */
  LEADING,
  /** Receiving committed transactions from a leader without voting. */
  OBSERVING;

  /** The lower-case name ZooKeeper's {@code Mode:} line uses. */
  public String mode() {
    return switch (this) {
      case LEADING -> "leader";
      case FOLLOWING -> "follower";
      case OBSERVING -> "observer";
      case LOOKING -> "looking";
    };
  }
}

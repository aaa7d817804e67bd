package io.roost.core.consensus;

/**
 * Timing and size settings of the consensus core, in ticks (the driver's {@code tickTime}) and
 * entries. Build with {@link #builder()}; bad combinations are rejected with the setting's name.
 *
 * @param initLimit ticks a new leader has to reach a quorum of synchronized followers, and a
 *     follower to get synchronized, before going back to election (ZooKeeper's initLimit)
 * @param syncLimit ticks without hearing from the leader after which a follower looks for a new
 *     one, and without hearing from a quorum after which a leader steps down (syncLimit)
 * @param voteResendTicks ticks between re-sends of this server's vote while looking
 * @param finalizeTicks ticks a looking server waits, once a quorum agrees with its vote, for a
 *     better vote before deciding (ZooKeeper's finalize wait); 0 decides at once
 * @param retransmitTicks ticks without progress from a follower before the leader re-sends
 * @param maxBatch most entries in one {@link PeerMessage.Append}
 * @param maxInFlight most entries sent to a follower beyond what it acknowledged
 * @param retainEntries committed entries kept in memory below the last compaction point so that
 *     a follower slightly behind gets a DIFF instead of a SNAP; a follower or observer that lacks
 *     more applied entries than this gets a SNAP even if the leader's log still holds them
 * @param maxCounter the largest zxid counter a leader uses; past it the leader steps down so the
 *     next epoch starts a fresh counter (set small in tests)
 */
public record ConsensusOptions(int initLimit, int syncLimit, int voteResendTicks,
    int finalizeTicks, int retransmitTicks, int maxBatch, int maxInFlight, int retainEntries,
    long maxCounter) {

  /** Validates every field. */
  public ConsensusOptions {
    positive("initLimit", initLimit);
    positive("syncLimit", syncLimit);
    positive("voteResendTicks", voteResendTicks);
    if (finalizeTicks < 0) {
      throw new IllegalArgumentException("finalizeTicks=" + finalizeTicks + " is negative");
    }
    positive("retransmitTicks", retransmitTicks);
    positive("maxBatch", maxBatch);
    positive("maxInFlight", maxInFlight);
    if (maxInFlight < maxBatch) {
      throw new IllegalArgumentException("maxInFlight=" + maxInFlight
          + " is smaller than maxBatch=" + maxBatch);
    }
    if (retainEntries < 0) {
      throw new IllegalArgumentException("retainEntries=" + retainEntries + " is negative");
    }
    if (maxCounter < 2 || maxCounter > 0xfffffffeL) {
      throw new IllegalArgumentException("maxCounter=" + maxCounter
          + " is outside 2..4294967294");
    }
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + "=" + value + " must be positive");
    }
  }

  /** A builder with ZooKeeper-like defaults (initLimit 10, syncLimit 5). */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ConsensusOptions}; {@link #build()} validates. */
  public static final class Builder {
    private int initLimit = 10;
    private int syncLimit = 5;
    private int voteResendTicks = 1;
    private int finalizeTicks = 1;
    private int retransmitTicks = 2;
    private int maxBatch = 1_000;
    private int maxInFlight = 10_000;
    private int retainEntries = 10_000;
    private long maxCounter = 0xfffffffeL;

    private Builder() {}

    /** See {@link ConsensusOptions#initLimit()}. */
    public Builder initLimit(int ticks) {
      this.initLimit = ticks;
      return this;
    }

    /** See {@link ConsensusOptions#syncLimit()}. */
    public Builder syncLimit(int ticks) {
      this.syncLimit = ticks;
      return this;
    }

    /** See {@link ConsensusOptions#voteResendTicks()}. */
    public Builder voteResendTicks(int ticks) {
      this.voteResendTicks = ticks;
      return this;
    }

    /** See {@link ConsensusOptions#finalizeTicks()}. */
    public Builder finalizeTicks(int ticks) {
      this.finalizeTicks = ticks;
      return this;
    }

    /** See {@link ConsensusOptions#retransmitTicks()}. */
    public Builder retransmitTicks(int ticks) {
      this.retransmitTicks = ticks;
      return this;
    }

    /** See {@link ConsensusOptions#maxBatch()}. */
    public Builder maxBatch(int entries) {
      this.maxBatch = entries;
      return this;
    }

    /** See {@link ConsensusOptions#maxInFlight()}. */
    public Builder maxInFlight(int entries) {
      this.maxInFlight = entries;
      return this;
    }

    /** See {@link ConsensusOptions#retainEntries()}. */
    public Builder retainEntries(int entries) {
      this.retainEntries = entries;
      return this;
    }

    /** See {@link ConsensusOptions#maxCounter()}. */
    public Builder maxCounter(long counter) {
      this.maxCounter = counter;
      return this;
    }

    /** Validates and builds. */
    public ConsensusOptions build() {
      return new ConsensusOptions(initLimit, syncLimit, voteResendTicks, finalizeTicks,
          retransmitTicks, maxBatch, maxInFlight, retainEntries, maxCounter);
    }
  }
}

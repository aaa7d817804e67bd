package io.roost.core.tree;

/**
 * How a node's kind is encoded in its {@code ephemeralOwner}, as ZooKeeper encodes it: a session id
 * for ephemerals, {@link #CONTAINER_OWNER} for containers, and a marked TTL for TTL nodes.
 */
public final class NodeKinds {
  /** ephemeralOwner of container nodes. */
  public static final long CONTAINER_OWNER = 0x8000000000000000L;
  /** High byte that marks a TTL node; the TTL in milliseconds is in the low bits. */
  public static final long TTL_MARK = 0xff00000000000000L;
  /** Largest TTL the encoding holds (milliseconds). */
  public static final long MAX_TTL = 0x000000ffffffffffL;

  private NodeKinds() {}

  /** The ephemeralOwner value for a TTL node with the given TTL. */
  public static long ttlOwner(long ttlMs) {
    if (ttlMs <= 0 || ttlMs > MAX_TTL) {
      throw new IllegalArgumentException("ttl=" + ttlMs + " is outside 1.." + MAX_TTL);
    }
    return TTL_MARK | ttlMs;
  }

  /** True when the owner marks a container node. */
  public static boolean isContainer(long owner) {
    return owner == CONTAINER_OWNER;
  }

  /** True when the owner marks a TTL node. */
  public static boolean isTtl(long owner) {
    return owner != CONTAINER_OWNER && (owner & TTL_MARK) == TTL_MARK;
  }

  /** The TTL of a TTL node, in milliseconds. */
  public static long ttlOf(long owner) {
    return owner & ~TTL_MARK;
  }

  /** True when the owner is a session id, i.e. the node is an ephemeral. */
  public static boolean isEphemeral(long owner) {
    return owner != 0 && !isContainer(owner) && !isTtl(owner);
  }
}

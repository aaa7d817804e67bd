package io.roost.client;

import io.roost.core.proto.ACL;
import io.roost.core.proto.CreateMode;
import io.roost.core.proto.Id;
import io.roost.core.proto.Perms;
import java.util.List;
import java.util.Objects;

/**
 * How a node is created: mode, ACL, TTL, whether missing parents are created, and how a retry
 * after a lost connection stays safe. Immutable; each {@code with...} returns a copy.
 *
 * <p><b>Retries are safe by default.</b> A create whose answer was lost may have happened. For a
 * sequential node the client cannot tell its node from another client's, so sequential creates
 * are <em>protected</em> unless told otherwise: the name gets a prefix {@code _c_<uuid>-} unique
 * to the call, and a retry first looks for a child with that prefix, so a lost answer never
 * leaves an orphan (Curator's protected mode, on by default here). For any other mode, a retry
 * that meets NodeExists checks whether the node is the one this call created (same ephemeral
 * owner for ephemerals, same data for others when {@link #idempotent()} is on) and then counts
 * as a success.
 */
public final class CreateOptions {
  /** Everyone may do anything: ZooKeeper's OPEN_ACL_UNSAFE. */
  public static final List<ACL> OPEN_ACL = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

  private static final CreateOptions PERSISTENT =
      new CreateOptions(CreateMode.PERSISTENT, OPEN_ACL, -1, false, null, false);

  private final CreateMode mode;
  private final List<ACL> acl;
  private final long ttlMs;
  private final boolean parents;
  private final Boolean protection;
  private final boolean idempotent;

  private CreateOptions(CreateMode mode, List<ACL> acl, long ttlMs, boolean parents,
      Boolean protection, boolean idempotent) {
    this.mode = mode;
    this.acl = acl;
    this.ttlMs = ttlMs;
    this.parents = parents;
    this.protection = protection;
    this.idempotent = idempotent;
  }

  /** A persistent node with an open ACL. */
  public static CreateOptions persistent() {
    return PERSISTENT;
  }

  /** Options for {@code mode} with an open ACL. */
  public static CreateOptions of(CreateMode mode) {
    return PERSISTENT.withMode(mode);
  }

  /** The same options with another mode. */
  public CreateOptions withMode(CreateMode mode) {
    return new CreateOptions(Objects.requireNonNull(mode, "mode"), acl, ttlMs, parents,
        protection, idempotent);
  }

  /** The same options with another ACL (not empty). */
  public CreateOptions withAcl(List<ACL> acl) {
    Objects.requireNonNull(acl, "acl");
    if (acl.isEmpty()) {
      throw new IllegalArgumentException("acl is empty: a node needs at least one ACL entry");
    }
    return new CreateOptions(mode, List.copyOf(acl), ttlMs, parents, protection, idempotent);
  }

  /** The same options with a TTL (for the TTL modes), in milliseconds. */
  public CreateOptions withTtl(long ttlMs) {
    if (ttlMs <= 0) {
      throw new IllegalArgumentException("ttlMs=" + ttlMs + " must be positive");
    }
    return new CreateOptions(mode, acl, ttlMs, parents, protection, idempotent);
  }

  /** The same options, creating missing parents as persistent nodes (containers if asked). */
  public CreateOptions withParents(boolean parents) {
    return new CreateOptions(mode, acl, ttlMs, parents, protection, idempotent);
  }

  /**
   * The same options with protection forced on or off (default: on for sequential modes only).
   * Without it, a sequential create retried after a lost answer may leave an orphan node.
   */
  public CreateOptions withProtection(boolean protection) {
    return new CreateOptions(mode, acl, ttlMs, parents, protection, idempotent);
  }

  /**
   * The same options; when idempotent, a NodeExists on a retry, or on the first try, counts as
   * success if the existing node holds the same data (and, for an ephemeral, belongs to this
   * session).
   */
  public CreateOptions withIdempotent(boolean idempotent) {
    return new CreateOptions(mode, acl, ttlMs, parents, protection, idempotent);
  }

  /** The create mode. */
  public CreateMode mode() {
    return mode;
  }

  /** The ACL. */
  public List<ACL> acl() {
    return acl;
  }

  /** The TTL in milliseconds, or -1. */
  public long ttlMs() {
    return ttlMs;
  }

  /** Whether missing parents are created. */
  public boolean parents() {
    return parents;
  }

  /** Whether the name is protected (explicitly, or by default for sequential modes). */
  public boolean protection() {
    return protection != null ? protection : mode.isSequential();
  }

  /** Whether an existing node with the same data counts as success. */
  public boolean idempotent() {
    return idempotent;
  }

  void validate() {
    if (mode.isTtl() && ttlMs <= 0) {
      throw new IllegalArgumentException("mode " + mode + " needs a TTL: use withTtl(ms)");
    }
    if (!mode.isTtl() && ttlMs > 0) {
      throw new IllegalArgumentException("a TTL of " + ttlMs + " ms needs a TTL mode, not "
          + mode);
    }
  }
}

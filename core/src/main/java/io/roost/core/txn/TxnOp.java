package io.roost.core.txn;

import io.roost.core.proto.ACL;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One deterministic change to the replicated state, produced by the prepare step from a client
 * request. Everything a replica needs to apply it is inside: resolved names, new versions, owners.
 * Applying the same ops in the same order gives every replica the same tree.
 */
public sealed interface TxnOp {

  /**
   * Creates a node. {@code parentCversion} is the parent's cversion after this create;
   * {@code ephemeralOwner} is a session id, {@link io.roost.core.tree.NodeKinds#CONTAINER_OWNER} or
   * a TTL-encoded owner, or 0.
   */
  record Create(String path, byte[] data, List<ACL> acl, long ephemeralOwner, int parentCversion)
      implements TxnOp {
    /** Copies the list so the op stays immutable. */
    public Create {
      acl = List.copyOf(acl);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Create c
          && path.equals(c.path)
          && Arrays.equals(data, c.data)
          && acl.equals(c.acl)
          && ephemeralOwner == c.ephemeralOwner
          && parentCversion == c.parentCversion;
    }

    @Override
    public int hashCode() {
      return Objects.hash(path, Arrays.hashCode(data), acl, ephemeralOwner, parentCversion);
    }

    @Override
    public String toString() {
      return "Create[" + path + ", " + (data == null ? 0 : data.length) + " bytes, owner=0x"
          + Long.toHexString(ephemeralOwner) + ", parentCversion=" + parentCversion + "]";
    }
  }

  /** Deletes a node (which the prepare step checked is childless). */
  record Delete(String path) implements TxnOp {}

  /** Replaces a node's data; {@code version} is the node's version after the change. */
  record SetData(String path, byte[] data, int version) implements TxnOp {
    @Override
    public boolean equals(Object o) {
      return o instanceof SetData s && path.equals(s.path) && Arrays.equals(data, s.data)
          && version == s.version;
    }

    @Override
    public int hashCode() {
      return Objects.hash(path, Arrays.hashCode(data), version);
    }

    @Override
    public String toString() {
      return "SetData[" + path + ", " + (data == null ? 0 : data.length) + " bytes, version="
          + version + "]";
    }
  }

  /** Replaces a node's ACL; {@code aversion} is the node's ACL version after the change. */
  record SetAcl(String path, List<ACL> acl, int aversion) implements TxnOp {
    /** Copies the list so the op stays immutable. */
    public SetAcl {
      acl = List.copyOf(acl);
    }
  }

  /** A version check inside a multi; changes nothing when applied. */
  record Check(String path, int version) implements TxnOp {}

  /**
   * Opens a session. The password travels in the transaction so that every replica can validate a
   * reconnecting client.
   */
  record CreateSession(int timeoutMs, byte[] password) implements TxnOp {
    @Override
    public boolean equals(Object o) {
      return o instanceof CreateSession c && timeoutMs == c.timeoutMs
          && Arrays.equals(password, c.password);
    }

    @Override
    public int hashCode() {
      return 31 * timeoutMs + Arrays.hashCode(password);
    }

    @Override
    public String toString() {
      return "CreateSession[timeout=" + timeoutMs + "]";
    }
  }

  /** Ends the transaction's session and removes its ephemeral nodes. */
  record CloseSession() implements TxnOp {}

  /** Several ops applied atomically under one zxid. */
  record Multi(List<TxnOp> ops) implements TxnOp {
    /** Copies the list so the op stays immutable. */
    public Multi {
      ops = List.copyOf(ops);
    }
  }
}

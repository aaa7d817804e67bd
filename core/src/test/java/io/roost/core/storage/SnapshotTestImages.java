package io.roost.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Id;
import io.roost.core.proto.Perms;
import io.roost.core.state.NodeImage;
import io.roost.core.state.StateImage;
import io.roost.core.state.StateMachine;
import io.roost.core.tree.ChangeSink;
import io.roost.core.tree.NodeKinds;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test helper: states built by applying transactions, and image comparison. */
final class SnapshotTestImages {
  static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));
  static final List<ACL> DIGEST = List.of(
      new ACL(Perms.READ | Perms.ADMIN, new Id("digest", "bob:Xn0w1Zs2ub/2tJ5K1k4mqT0bXVA=")),
      new ACL(Perms.READ, new Id("ip", "10.0.0.0/8")));
  static final long SESSION_A = 0x1000000000001L;
  static final long SESSION_B = 0x1000000000002L;

  private SnapshotTestImages() {}

  /** Applies transactions one at a time with increasing zxids. */
  static final class Builder {
    final StateMachine sm = new StateMachine();
    long zxid;

    Builder apply(long session, TxnOp op) {
      zxid++;
      sm.apply(new Transaction(session, 1, zxid, 1_700_000_000_000L + zxid * 7, op),
          ChangeSink.NONE);
      return this;
    }

    Builder create(String path, byte[] data, List<ACL> acl, long owner) {
      String parent = path.lastIndexOf('/') == 0 ? "/" : path.substring(0, path.lastIndexOf('/'));
      int cversion = sm.tree().get(parent).cversion() + 1;
      return apply(owner > 0 ? owner : 0, new TxnOp.Create(path, data, acl, owner, cversion));
    }

    Builder create(String path, String data) {
      return create(path, data.getBytes(StandardCharsets.UTF_8), OPEN, 0);
    }
  }

  /**
   * A state with two sessions, nested nodes, an ephemeral, a container, a TTL node, null and empty
   * data, binary data, a second ACL, a set-data, a set-ACL and a delete.
   */
  static StateMachine sample() {
    Builder b = new Builder();
    b.apply(SESSION_A, new TxnOp.CreateSession(30_000, bytes(16, 3)));
    b.apply(SESSION_B, new TxnOp.CreateSession(4_000, bytes(16, 9)));
    b.create("/app", "config v1");
    b.create("/app/null", null, OPEN, 0);
    b.create("/app/empty", new byte[0], OPEN, 0);
    b.create("/app/binary", bytes(300, 1), DIGEST, 0);
    b.create("/app/eph", "owned".getBytes(StandardCharsets.UTF_8), OPEN, SESSION_A);
    b.create("/app/container", new byte[0], OPEN, NodeKinds.CONTAINER_OWNER);
    b.create("/app/ttl", new byte[] {1}, OPEN, NodeKinds.ttlOwner(60_000));
    b.create("/app/gone", "x");
    b.apply(0, new TxnOp.Delete("/app/gone"));
    b.apply(0, new TxnOp.SetData("/app", "config v2".getBytes(StandardCharsets.UTF_8), 1));
    b.apply(0, new TxnOp.SetAcl("/app/empty", DIGEST, 1));
    b.create("/app/\u00e9t\u00e9", "unicode name");
    return b.sm;
  }

  /** A state whose last zxid is {@code zxid}: one node created by one transaction. */
  static StateImage imageAt(long zxid) {
    StateMachine sm = new StateMachine();
    sm.apply(new Transaction(0, 1, zxid, 1000, new TxnOp.Create("/at" + Long.toHexString(zxid),
        new byte[] {(byte) zxid}, OPEN, 0, 1)), ChangeSink.NONE);
    return sm.image();
  }

  static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int k = 0; k < n; k++) {
      b[k] = (byte) (k * 31 + seed);
    }
    return b;
  }

  /** Asserts that two images hold exactly the same state, field by field and byte by byte. */
  static void assertSameImage(StateImage expected, StateImage actual) {
    assertEquals(expected.lastZxid(), actual.lastZxid(), "lastZxid");
    assertEquals(expected.digest(), actual.digest(), "digest");
    assertEquals(expected.sessions(), actual.sessions(), "sessions");
    assertEquals(expected.nodes().size(), actual.nodes().size(), "node count");
    for (int k = 0; k < expected.nodes().size(); k++) {
      NodeImage e = expected.nodes().get(k);
      NodeImage a = actual.nodes().get(k);
      String p = e.path();
      assertEquals(p, a.path(), "path of node " + k);
      assertArrayEquals(e.data(), a.data(), "data of " + p);
      assertEquals(e.acl(), a.acl(), "acl of " + p);
      assertEquals(e.czxid(), a.czxid(), "czxid of " + p);
      assertEquals(e.mzxid(), a.mzxid(), "mzxid of " + p);
      assertEquals(e.ctime(), a.ctime(), "ctime of " + p);
      assertEquals(e.mtime(), a.mtime(), "mtime of " + p);
      assertEquals(e.version(), a.version(), "version of " + p);
      assertEquals(e.cversion(), a.cversion(), "cversion of " + p);
      assertEquals(e.aversion(), a.aversion(), "aversion of " + p);
      assertEquals(e.ephemeralOwner(), a.ephemeralOwner(), "ephemeralOwner of " + p);
      assertEquals(e.pzxid(), a.pzxid(), "pzxid of " + p);
    }
  }
}

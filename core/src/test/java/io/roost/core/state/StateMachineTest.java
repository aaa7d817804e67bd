package io.roost.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.proto.ACL;
import io.roost.core.proto.EventType;
import io.roost.core.proto.Id;
import io.roost.core.proto.Perms;
import io.roost.core.tree.ChangeSink;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StateMachineTest {
  private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

  private static Transaction txn(long zxid, long session, TxnOp op) {
    return new Transaction(session, 1, zxid, 1000 + zxid, op);
  }

  /** A random but valid history: creates, setData and deletes over a small namespace. */
  private static List<Transaction> randomHistory(long seed, int count) {
    Random rnd = new Random(seed);
    StateMachine shadow = new StateMachine();
    List<Transaction> out = new ArrayList<>();
    long zxid = 0;
    for (int i = 0; i < count; i++) {
      String path = "/n" + rnd.nextInt(8) + (rnd.nextBoolean() ? "" : "/c" + rnd.nextInt(4));
      var node = shadow.tree().get(path);
      TxnOp op;
      if (node == null) {
        String parent = path.lastIndexOf('/') == 0 ? "/" : path.substring(0, path.lastIndexOf('/'));
        var p = shadow.tree().get(parent);
        if (p == null) {
          continue;
        }
        op = new TxnOp.Create(path, new byte[] {(byte) i}, OPEN, 0, p.cversion() + 1);
      } else if (rnd.nextInt(3) == 0 && node.childCount() == 0) {
        op = new TxnOp.Delete(path);
      } else {
        op = new TxnOp.SetData(path, new byte[] {(byte) i, 1}, node.version() + 1);
      }
      Transaction t = txn(++zxid, 7, op);
      shadow.apply(t, ChangeSink.NONE);
      out.add(t);
    }
    return out;
  }

  @Test
  void aNodeTakesChildrenAgainAfterItsLastOneIsDeleted() {
    // Leaves share one empty children set; the first child makes a set, the last one frees it.
    StateMachine sm = new StateMachine();
    sm.apply(txn(1, 7, new TxnOp.Create("/p", new byte[0], OPEN, 0, 1)), ChangeSink.NONE);
    sm.apply(txn(2, 7, new TxnOp.Create("/q", new byte[0], OPEN, 0, 2)), ChangeSink.NONE);
    assertTrue(sm.tree().get("/p").childCount() == 0);
    sm.apply(txn(3, 7, new TxnOp.Create("/p/a", new byte[0], OPEN, 0, 1)), ChangeSink.NONE);
    sm.apply(txn(4, 7, new TxnOp.Delete("/p/a")), ChangeSink.NONE);
    assertTrue(sm.tree().get("/p").childCount() == 0);
    assertTrue(sm.tree().get("/q").childCount() == 0, "a sibling's set is its own");
    sm.apply(txn(5, 7, new TxnOp.Create("/p/b", new byte[0], OPEN, 0, 3)), ChangeSink.NONE);
    assertEquals(java.util.Set.of("b"), java.util.Set.copyOf(sm.tree().get("/p").childNames()));
    assertEquals(1, sm.tree().get("/p").stat().numChildren());
    assertTrue(sm.tree().get("/q").childCount() == 0);
  }

  @Test
  void replicasApplyingTheSameHistoryHaveTheSameDigest() {
    for (long seed = 1; seed <= 20; seed++) {
      List<Transaction> history = randomHistory(seed, 300);
      StateMachine a = new StateMachine();
      StateMachine b = new StateMachine();
      for (Transaction t : history) {
        a.apply(t, ChangeSink.NONE);
      }
      for (Transaction t : history) {
        b.apply(t, ChangeSink.NONE);
      }
      assertEquals(a.digest(), b.digest(), "seed " + seed);
      assertEquals(a.tree().nodeCount(), b.tree().nodeCount(), "seed " + seed);
      assertEquals(a.lastZxid(), b.lastZxid());
    }
  }

  @Test
  void anImageRestoresTheSameStateAndHistoryContinuesIdentically() {
    List<Transaction> history = randomHistory(77, 400);
    StateMachine live = new StateMachine();
    live.apply(txn(1_000_000, 5, new TxnOp.CreateSession(4000, new byte[16])), ChangeSink.NONE);
    for (Transaction t : history.subList(0, 200)) {
      live.apply(new Transaction(t.sessionId(), t.cxid(), t.zxid() + 1_000_000, t.time(), t.op()),
          ChangeSink.NONE);
    }
    StateImage image = live.image();
    StateMachine restored = StateMachine.fromImage(image);
    assertEquals(live.digest(), restored.digest());
    assertEquals(live.lastZxid(), restored.lastZxid());
    assertEquals(live.sessions(), restored.sessions());
    assertEquals(live.tree().nodeCount(), restored.tree().nodeCount());
    for (Transaction t : history.subList(200, history.size())) {
      Transaction shifted =
          new Transaction(t.sessionId(), t.cxid(), t.zxid() + 1_000_000, t.time(), t.op());
      live.apply(shifted, ChangeSink.NONE);
      restored.apply(shifted, ChangeSink.NONE);
    }
    assertEquals(live.digest(), restored.digest());
  }

  @Test
  void anImageWithAWrongDigestIsRefused() {
    StateMachine sm = new StateMachine();
    sm.apply(txn(1, 0, new TxnOp.Create("/a", new byte[] {1}, OPEN, 0, 1)), ChangeSink.NONE);
    StateImage image = sm.image();
    StateImage tampered =
        new StateImage(image.lastZxid(), image.digest() + 1, image.sessions(), image.nodes());
    assertThrows(IllegalStateException.class, () -> StateMachine.fromImage(tampered));
  }

  @Test
  void digestTracksEveryChange() {
    StateMachine sm = new StateMachine();
    long empty = sm.digest();
    sm.apply(txn(1, 0, new TxnOp.Create("/a", new byte[] {1}, OPEN, 0, 1)), ChangeSink.NONE);
    long withA = sm.digest();
    assertNotEquals(empty, withA);
    sm.apply(txn(2, 0, new TxnOp.SetData("/a", new byte[] {2}, 1)), ChangeSink.NONE);
    assertNotEquals(withA, sm.digest());
    sm.apply(txn(3, 0, new TxnOp.Delete("/a")), ChangeSink.NONE);
    // The root's cversion and pzxid moved, so the tree is not the empty tree again.
    assertNotEquals(empty, sm.digest());

    // A fresh tree rebuilt to the same contents has the same digest: the digest is a function of
    // contents, not of how they were reached.
    StateMachine other = new StateMachine();
    other.apply(txn(1, 0, new TxnOp.Create("/a", new byte[] {1}, OPEN, 0, 1)), ChangeSink.NONE);
    assertEquals(withA, other.digest());
  }

  @Test
  void createSetsStatAndParent() {
    StateMachine sm = new StateMachine();
    List<String> events = new ArrayList<>();
    sm.apply(txn(5, 0, new TxnOp.Create("/a", new byte[] {1, 2, 3}, OPEN, 0, 1)),
        (p, t) -> events.add(t + " " + p));
    var stat = sm.tree().get("/a").stat();
    assertEquals(5, stat.czxid());
    assertEquals(5, stat.mzxid());
    assertEquals(5, stat.pzxid());
    assertEquals(1005, stat.ctime());
    assertEquals(3, stat.dataLength());
    assertEquals(0, stat.version());
    var root = sm.tree().get("/").stat();
    assertEquals(1, root.cversion());
    assertEquals(5, root.pzxid());
    assertEquals(List.of(EventType.NODE_CREATED + " /a", EventType.NODE_CHILDREN_CHANGED + " /"),
        events);
  }

  @Test
  void closingASessionRemovesItsEphemeralsOnce() {
    StateMachine sm = new StateMachine();
    long session = 0x42;
    sm.apply(txn(1, session, new TxnOp.CreateSession(5000, new byte[16])), ChangeSink.NONE);
    assertEquals(5000, sm.session(session).timeoutMs());
    sm.apply(txn(2, session, new TxnOp.Create("/e1", null, OPEN, session, 1)), ChangeSink.NONE);
    sm.apply(txn(3, session, new TxnOp.Create("/e2", null, OPEN, session, 2)), ChangeSink.NONE);
    assertEquals(2, sm.tree().ephemeralsOf(session).size());
    List<String> deleted = new ArrayList<>();
    sm.apply(txn(4, session, new TxnOp.CloseSession()), (p, t) -> {
      if (t == EventType.NODE_DELETED) {
        deleted.add(p);
      }
    });
    assertEquals(List.of("/e2", "/e1"), deleted);
    assertNull(sm.session(session));
    assertTrue(sm.tree().ephemeralsOf(session).isEmpty());
    assertEquals(4, sm.tree().get("/").cversion());
  }

  @Test
  void multiAppliesUnderOneZxid() {
    StateMachine sm = new StateMachine();
    var outcomes = sm.apply(txn(9, 0, new TxnOp.Multi(List.of(
        new TxnOp.Create("/m", null, OPEN, 0, 1),
        new TxnOp.Create("/m/c", null, OPEN, 0, 1),
        new TxnOp.SetData("/m", new byte[] {1}, 1)))), ChangeSink.NONE);
    assertEquals(3, outcomes.size());
    assertEquals(9, sm.tree().get("/m").czxid());
    assertEquals(9, sm.tree().get("/m/c").czxid());
    assertEquals(1, sm.tree().get("/m").version());
  }

  @Test
  void refusesAZxidThatDoesNotAdvance() {
    StateMachine sm = new StateMachine();
    sm.apply(txn(3, 0, new TxnOp.Create("/a", null, OPEN, 0, 1)), ChangeSink.NONE);
    assertThrows(IllegalStateException.class,
        () -> sm.apply(txn(3, 0, new TxnOp.Create("/b", null, OPEN, 0, 2)), ChangeSink.NONE));
  }

  @Test
  void refusesAnOpThatDoesNotFitTheTree() {
    StateMachine sm = new StateMachine();
    assertThrows(IllegalStateException.class, () ->
        sm.apply(txn(1, 0, new TxnOp.Create("/x/y", null, OPEN, 0, 1)), ChangeSink.NONE));
    assertThrows(IllegalStateException.class, () ->
        sm.apply(txn(2, 0, new TxnOp.Delete("/nope")), ChangeSink.NONE));
  }

  @Test
  void installReplacesTheStateInPlaceAndTheSameObjectKeepsApplying() {
    StateMachine leader = new StateMachine();
    leader.apply(txn(1, 1, new TxnOp.CreateSession(3000, new byte[16])), ChangeSink.NONE);
    leader.apply(txn(2, 1, new TxnOp.Create("/a", new byte[] {1}, OPEN, 0, 1)), ChangeSink.NONE);
    leader.apply(txn(3, 1, new TxnOp.Create("/e", new byte[0], OPEN, 1, 2)), ChangeSink.NONE);
    StateMachine follower = new StateMachine();
    follower.apply(txn(1, 0, new TxnOp.Create("/stale", new byte[0], OPEN, 0, 1)),
        ChangeSink.NONE);
    var tree = follower.tree();
    follower.install(leader.image());
    assertSame(tree, follower.tree(), "the same tree object, so readers see the new content");
    assertEquals(leader.digest(), follower.digest());
    assertEquals(3, follower.lastZxid());
    assertNull(follower.tree().get("/stale"));
    assertNotNull(follower.session(1));
    assertEquals(java.util.Set.of("/e"), follower.tree().ephemeralsOf(1));
    TxnOp next = new TxnOp.Create("/b", new byte[0], OPEN, 0, 3);
    leader.apply(txn(4, 1, next), ChangeSink.NONE);
    follower.apply(txn(4, 1, next), ChangeSink.NONE);
    assertEquals(leader.digest(), follower.digest());
  }

  @Test
  void aBadImageLeavesTheStateAsItWas() {
    StateMachine sm = new StateMachine();
    sm.apply(txn(1, 0, new TxnOp.Create("/keep", new byte[0], OPEN, 0, 1)), ChangeSink.NONE);
    long digest = sm.digest();
    StateImage good = new StateMachine().image();
    StateImage bad = new StateImage(9, good.digest() + 1, good.sessions(), good.nodes());
    assertThrows(IllegalStateException.class, () -> sm.install(bad));
    assertEquals(digest, sm.digest());
    assertNotNull(sm.tree().get("/keep"));
  }
}

package io.roost.core.consensus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Id;
import io.roost.core.state.NodeImage;
import io.roost.core.state.StateImage;
import io.roost.core.state.StateMachine;
import io.roost.core.tree.ChangeSink;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerCodecTest {
  private static final List<ACL> OPEN = List.of(new ACL(31, new Id("world", "anyone")));
  private static final long SESSION = 0x1000000000001L;

  /** Every record type except Snap, with values that use the high bits of every field. */
  static List<PeerMessage> everyPlainMessage() {
    long big = 0x7fff_0001_8000_0002L;
    return List.of(
        new PeerMessage.Vote(42, 3, 7, Transaction.zxid(7, 99), Role.LOOKING, 0),
        new PeerMessage.Vote(Long.MAX_VALUE, 5, Integer.MAX_VALUE, -1, Role.FOLLOWING, 6),
        new PeerMessage.Vote(0, 1, 0, 0, Role.LEADING, Integer.MIN_VALUE),
        new PeerMessage.Vote(-1, 2, 1, big, Role.OBSERVING, 1),
        new PeerMessage.FollowerInfo(0x7ffffffe, big),
        new PeerMessage.LeaderInfo(9, true),
        new PeerMessage.LeaderInfo(10, false),
        new PeerMessage.AckEpoch(9, 8, Transaction.zxid(8, 0xffffffffL)),
        new PeerMessage.Append(3, Transaction.zxid(3, 4), List.of(), Transaction.zxid(3, 2)),
        new PeerMessage.Append(3, Transaction.zxid(2, 17), transactions(3), Long.MIN_VALUE),
        new PeerMessage.NewLeader(4, Transaction.zxid(3, 12)),
        new PeerMessage.AckNewLeader(-4),
        new PeerMessage.UpToDate(4, big),
        new PeerMessage.Ack(4, Transaction.zxid(4, 1)),
        new PeerMessage.Nack(4, Transaction.zxid(2, 0)),
        new PeerMessage.Commit(4, Transaction.zxid(4, 3)),
        new PeerMessage.Ping(Integer.MAX_VALUE, big, Long.MAX_VALUE),
        new PeerMessage.Pong(4, 7, Transaction.zxid(4, 9)));
  }

  /** Transactions of several op types in epoch {@code epoch}, a nested multi among them. */
  static List<Transaction> transactions(int epoch) {
    byte[] data = "payload \u00e9".getBytes(StandardCharsets.UTF_8);
    return List.of(
        new Transaction(SESSION, 1, Transaction.zxid(epoch, 1), 1_700_000_000_001L,
            new TxnOp.CreateSession(30_000, new byte[] {1, 2, 3, 4})),
        new Transaction(SESSION, 2, Transaction.zxid(epoch, 2), 1_700_000_000_002L,
            new TxnOp.Create("/app", data, OPEN, 0, 1)),
        new Transaction(SESSION, 3, Transaction.zxid(epoch, 3), 1_700_000_000_003L,
            new TxnOp.Multi(List.of(new TxnOp.Check("/app", 0),
                new TxnOp.SetData("/app", null, 1),
                new TxnOp.Create("/app/e", new byte[0], OPEN, SESSION, 1)))));
  }

  /** A real applied state: a session, a node with data, an ephemeral with empty data. */
  static StateImage image() {
    StateMachine sm = new StateMachine();
    for (Transaction t : transactions(1)) {
      sm.apply(t, ChangeSink.NONE);
    }
    return sm.image();
  }

  private static PeerMessage roundTrip(PeerMessage m) {
    return PeerCodec.decode(PeerCodec.encode(m));
  }

  private static List<byte[]> everyEncoding() {
    List<byte[]> all = new ArrayList<>();
    for (PeerMessage m : everyPlainMessage()) {
      all.add(PeerCodec.encode(m));
    }
    all.add(PeerCodec.encode(new PeerMessage.Snap(2, image())));
    return all;
  }

  @Test
  void everyMessageTypeRoundTrips() {
    for (PeerMessage m : everyPlainMessage()) {
      assertEquals(m, roundTrip(m), "round trip of " + m);
    }
  }

  @Test
  void snapRoundTripsTheImageExactly() {
    StateImage image = image();
    PeerMessage.Snap back = assertInstanceOf(PeerMessage.Snap.class,
        roundTrip(new PeerMessage.Snap(12, image)));
    assertEquals(12, back.epoch());
    StateImage got = back.image();
    assertEquals(image.lastZxid(), got.lastZxid());
    assertEquals(image.digest(), got.digest());
    assertEquals(image.sessions(), got.sessions()); // SessionInfo compares passwords by content
    List<NodeImage> want = sorted(image.nodes());
    List<NodeImage> have = sorted(got.nodes());
    assertEquals(want.size(), have.size());
    for (int i = 0; i < want.size(); i++) {
      NodeImage w = want.get(i);
      NodeImage h = have.get(i);
      assertEquals(w.path(), h.path());
      assertArrayEquals(w.data(), h.data(), w.path());
      assertEquals(w.acl(), h.acl(), w.path());
      assertEquals(List.of(w.czxid(), w.mzxid(), w.ctime(), w.mtime(), w.ephemeralOwner(),
          w.pzxid()), List.of(h.czxid(), h.mzxid(), h.ctime(), h.mtime(), h.ephemeralOwner(),
          h.pzxid()), w.path());
      assertEquals(List.of(w.version(), w.cversion(), w.aversion()),
          List.of(h.version(), h.cversion(), h.aversion()), w.path());
    }
    // The receiver can rebuild the state from it; fromImage checks the digest against the nodes.
    assertEquals(image.digest(), StateMachine.fromImage(got).digest());
  }

  private static List<NodeImage> sorted(List<NodeImage> nodes) {
    List<NodeImage> copy = new ArrayList<>(nodes);
    copy.sort(Comparator.comparing(NodeImage::path));
    return copy;
  }

  @Test
  void typeBytesAreStableAndDistinct() {
    // The wire must not change when records are added or reordered: pin the table.
    Set<Integer> seen = new HashSet<>();
    for (byte[] bytes : everyEncoding()) {
      seen.add(bytes[0] & 0xff);
    }
    assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), seen);
    assertEquals(1, PeerCodec.encode(new PeerMessage.Vote(0, 1, 0, 0, Role.LOOKING, 0))[0]);
    assertEquals(6, PeerCodec.encode(new PeerMessage.Snap(1, image()))[0]);
    assertEquals(13, PeerCodec.encode(new PeerMessage.Ping(1, 1, 1))[0]);
    assertEquals(14, PeerCodec.encode(new PeerMessage.Pong(1, 1, 1))[0]);
    byte[] ack = PeerCodec.encode(new PeerMessage.Ack(0x01020304, 0x0506070809101112L));
    assertArrayEquals(new byte[] {10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x10, 0x11, 0x12}, ack);
  }

  @Test
  void rolesUseExplicitCodesNotOrdinals() {
    int roleAt = 1 + 8 + 4 + 4 + 8;
    assertEquals(1, PeerCodec.encode(new PeerMessage.Vote(0, 1, 0, 0, Role.LOOKING, 0))[roleAt]);
    assertEquals(2,
        PeerCodec.encode(new PeerMessage.Vote(0, 1, 0, 0, Role.FOLLOWING, 0))[roleAt]);
    assertEquals(3, PeerCodec.encode(new PeerMessage.Vote(0, 1, 0, 0, Role.LEADING, 0))[roleAt]);
    assertEquals(4,
        PeerCodec.encode(new PeerMessage.Vote(0, 1, 0, 0, Role.OBSERVING, 0))[roleAt]);
    byte[] bad = PeerCodec.encode(new PeerMessage.Vote(0, 1, 0, 0, Role.LOOKING, 0));
    bad[roleAt] = 0;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PeerCodec.decode(bad));
    assertTrue(e.getMessage().contains("senderRole"), e.getMessage());
  }

  @Test
  void truncationAtEveryOffsetIsRejected() {
    for (byte[] full : everyEncoding()) {
      for (int len = 0; len < full.length; len++) {
        int n = len;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PeerCodec.decode(full, 0, n), "type " + full[0] + " cut to " + n + " bytes");
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
      }
    }
  }

  @Test
  void trailingBytesAreRejected() {
    for (byte[] full : everyEncoding()) {
      byte[] longer = java.util.Arrays.copyOf(full, full.length + 1);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PeerCodec.decode(longer));
      assertTrue(e.getMessage().contains("unexpected bytes"), e.getMessage());
    }
  }

  @Test
  void unknownTypeBytesAreRejected() {
    for (int type : new int[] {0, 15, 99, 255}) {
      byte[] body = PeerCodec.encode(new PeerMessage.Ping(1, 2, 3));
      body[0] = (byte) type;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PeerCodec.decode(body));
      assertTrue(e.getMessage().contains("unknown peer message type " + type), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> PeerCodec.decode(new byte[0]));
  }

  @Test
  void hugeOrNegativeDeclaredCountsAreRejectedBeforeAllocating() {
    // Append: type, epoch, prevZxid, then a count claiming two billion transactions.
    for (int count : new int[] {Integer.MAX_VALUE, -1, 3}) {
      ByteBuffer b = ByteBuffer.allocate(1 + 4 + 8 + 4 + 8);
      b.put((byte) 5).putInt(1).putLong(2).putInt(count).putLong(3);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PeerCodec.decode(b.array()));
      assertTrue(e.getMessage().contains("Append.txns"), e.getMessage());
    }
    // Snap and a transaction: lengths beyond the input or negative.
    for (int length : new int[] {Integer.MAX_VALUE, -1, 1000}) {
      ByteBuffer snap = ByteBuffer.allocate(1 + 4 + 4 + 40);
      snap.put((byte) 6).putInt(1).putInt(length);
      assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerCodec.decode(snap.array()))
          .getMessage().contains("Snap.image"));
      ByteBuffer append = ByteBuffer.allocate(1 + 4 + 8 + 4 + 4 + 40);
      append.put((byte) 5).putInt(1).putLong(2).putInt(1).putInt(length);
      assertTrue(assertThrows(IllegalArgumentException.class,
          () -> PeerCodec.decode(append.array())).getMessage().contains("Append.txns[0]"));
    }
  }

  @Test
  void damagedTransactionsAndSnapshotsAreIllegalArguments() {
    byte[] append = PeerCodec.encode(new PeerMessage.Append(3, 0, transactions(3), 0));
    append[1 + 4 + 8 + 4 + 4] = 99; // the first transaction's format version
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PeerCodec.decode(append));
    assertTrue(e.getMessage().contains("Append.txns[0]"), e.getMessage());

    byte[] snap = PeerCodec.encode(new PeerMessage.Snap(2, image()));
    snap[snap.length - 30] ^= 0x40; // inside the last node; the CRC32C trailer catches it
    e = assertThrows(IllegalArgumentException.class, () -> PeerCodec.decode(snap));
    assertTrue(e.getMessage().contains("Snap.image"), e.getMessage());
  }

  @Test
  void randomDamageNeverEscapesAsAnotherException() {
    Random random = new Random(20240611L);
    List<byte[]> encodings = everyEncoding();
    for (int round = 0; round < 3000; round++) {
      byte[] body = encodings.get(random.nextInt(encodings.size())).clone();
      int flips = 1 + random.nextInt(3);
      for (int i = 0; i < flips; i++) {
        body[random.nextInt(body.length)] = (byte) random.nextInt(256);
      }
      try {
        PeerCodec.decode(body);
      } catch (IllegalArgumentException expected) {
        // Damage is allowed to be caught; anything else (index, state, OOM) fails the test.
      }
    }
  }

  @Test
  void offsetOverloadDecodesASliceAndChecksItsBounds() {
    byte[] body = PeerCodec.encode(new PeerMessage.Commit(5, 6));
    byte[] padded = new byte[body.length + 7];
    System.arraycopy(body, 0, padded, 3, body.length);
    assertEquals(new PeerMessage.Commit(5, 6), PeerCodec.decode(padded, 3, body.length));
    assertThrows(IllegalArgumentException.class, () -> PeerCodec.decode(padded, 5, padded.length));
    assertThrows(IllegalArgumentException.class, () -> PeerCodec.decode(padded, -1, 2));
  }
}

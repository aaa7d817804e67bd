package io.roost.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Id;
import io.roost.core.proto.ProtocolException;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TxnCodecTest {
  private static final List<ACL> ACLS = List.of(new ACL(31, new Id("world", "anyone")),
      new ACL(1, new Id("digest", "bob:hash=")));

  /** One transaction of every op type, with the awkward values: null, empty, unicode, extremes. */
  static List<TxnOp> everyOp() {
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
    return List.of(
        new TxnOp.Create("/a", data, ACLS, 0, 1),
        new TxnOp.Create("/a/\u00e9\u6f22", null, ACLS, 0x1234_5678_9abcL, Integer.MAX_VALUE),
        new TxnOp.Create("/empty", new byte[0], List.of(), -1L, -1),
        new TxnOp.Delete("/a/b"),
        new TxnOp.SetData("/a", data, 7),
        new TxnOp.SetData("/a", null, 8),
        new TxnOp.SetData("/a", new byte[0], 9),
        new TxnOp.SetAcl("/a", ACLS, 3),
        new TxnOp.Check("/a", -1),
        new TxnOp.CreateSession(30_000, new byte[16]),
        new TxnOp.CreateSession(1, null),
        new TxnOp.CloseSession(),
        new TxnOp.Multi(List.of()),
        new TxnOp.Multi(List.of(new TxnOp.Check("/a", 1), new TxnOp.Delete("/b"),
            new TxnOp.Multi(List.of(new TxnOp.SetData("/c", null, 2),
                new TxnOp.Multi(List.of(new TxnOp.CloseSession())))))));
  }

  private static Transaction roundTrip(Transaction t) {
    byte[] bytes = TxnCodec.encode(t);
    return TxnCodec.decode(bytes, 0, bytes.length);
  }

  @Test
  void everyOpTypeRoundTrips() {
    long zxid = 1;
    for (TxnOp op : everyOp()) {
      Transaction t = new Transaction(0x10000abcdL, 42, zxid++, 1_700_000_000_123L, op);
      assertEquals(t, roundTrip(t), "round trip of " + op);
    }
    Transaction extremes = new Transaction(Long.MIN_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
        -1, new TxnOp.CloseSession());
    assertEquals(extremes, roundTrip(extremes));
  }

  @Test
  void nullAndEmptyDataStayDistinct() {
    Transaction withNull = new Transaction(1, 1, 1, 1, new TxnOp.SetData("/a", null, 1));
    Transaction withEmpty = new Transaction(1, 1, 1, 1, new TxnOp.SetData("/a", new byte[0], 1));
    assertFalse(Arrays.equals(TxnCodec.encode(withNull), TxnCodec.encode(withEmpty)));
    assertNull(((TxnOp.SetData) roundTrip(withNull).op()).data());
    byte[] empty = ((TxnOp.SetData) roundTrip(withEmpty).op()).data();
    assertNotNull(empty);
    assertEquals(0, empty.length);
    TxnOp.Create created = (TxnOp.Create) roundTrip(
        new Transaction(1, 1, 1, 1, new TxnOp.Create("/n", null, ACLS, 0, 0))).op();
    assertNull(created.data());
    assertNull(((TxnOp.CreateSession) roundTrip(
        new Transaction(1, 1, 1, 1, new TxnOp.CreateSession(5, null))).op()).password());
  }

  @Test
  void nestedMultiKeepsItsStructure() {
    TxnOp inner = new TxnOp.Multi(List.of(new TxnOp.Delete("/x"), new TxnOp.Check("/y", 3)));
    TxnOp outer = new TxnOp.Multi(List.of(new TxnOp.Create("/x", new byte[] {1}, ACLS, 0, 1),
        inner, new TxnOp.SetAcl("/z", ACLS, 2)));
    TxnOp.Multi back = (TxnOp.Multi) roundTrip(new Transaction(1, 2, 3, 4, outer)).op();
    assertEquals(3, back.ops().size());
    assertEquals(inner, back.ops().get(1));
    assertEquals(outer, back);
  }

  @Test
  void encodingIsDeterministicAndStartsWithTheVersionAndOpType() {
    Transaction t = new Transaction(5, 6, 7, 8, new TxnOp.Delete("/gone"));
    byte[] a = TxnCodec.encode(t);
    byte[] b = TxnCodec.encode(new Transaction(5, 6, 7, 8, new TxnOp.Delete("/gone")));
    assertArrayEquals(a, b);
    assertEquals(TxnCodec.FORMAT_VERSION, a[0]);
    // version (1) + session (8) + cxid (4) + zxid (8) + time (8), then one op-type byte
    assertEquals(TxnCodec.DELETE, a[29]);
    assertEquals(30 + 4 + "/gone".length(), a.length, "a delete is compact");
  }

  @Test
  void decodeHonoursOffsetAndLength() {
    Transaction t = new Transaction(1, 2, 3, 4, new TxnOp.Check("/c", 9));
    byte[] bytes = TxnCodec.encode(t);
    byte[] padded = new byte[bytes.length + 10];
    System.arraycopy(bytes, 0, padded, 7, bytes.length);
    assertEquals(t, TxnCodec.decode(padded, 7, bytes.length));
  }

  @Test
  void malformedInputIsRejectedWithAProtocolException() {
    byte[] good = TxnCodec.encode(new Transaction(1, 2, 3, 4, new TxnOp.Delete("/a")));
    byte[] badVersion = good.clone();
    badVersion[0] = 9;
    assertTrue(assertThrows(ProtocolException.class,
        () -> TxnCodec.decode(badVersion, 0, badVersion.length)).getMessage()
        .contains("version 9"));
    byte[] badType = good.clone();
    badType[29] = 99;
    assertTrue(assertThrows(ProtocolException.class,
        () -> TxnCodec.decode(badType, 0, badType.length)).getMessage()
        .contains("op type 99"));
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThrows(ProtocolException.class, () -> TxnCodec.decode(trailing, 0, trailing.length));
    for (int len = 0; len < good.length; len++) {
      int n = len;
      assertThrows(ProtocolException.class, () -> TxnCodec.decode(good, 0, n),
          "truncated to " + n + " bytes");
    }
    assertThrows(ProtocolException.class, () -> TxnCodec.decode(new byte[0], 0, 0));
  }

  @Test
  void nullPathIsRejectedBothWays() {
    assertThrows(IllegalArgumentException.class,
        () -> TxnCodec.encode(new Transaction(1, 1, 1, 1, new TxnOp.Delete(null))));
    byte[] good = TxnCodec.encode(new Transaction(1, 2, 3, 4, new TxnOp.Delete("/a")));
    byte[] nullPath = Arrays.copyOf(good, 34);
    nullPath[30] = nullPath[31] = nullPath[32] = nullPath[33] = (byte) 0xff;
    assertTrue(assertThrows(ProtocolException.class,
        () -> TxnCodec.decode(nullPath, 0, nullPath.length)).getMessage().contains("null path"));
  }

  @Test
  void multisNestedTooDeeplyAreRefused() {
    TxnOp op = new TxnOp.CloseSession();
    for (int k = 0; k < TxnCodec.MAX_MULTI_DEPTH; k++) {
      op = new TxnOp.Multi(List.of(op));
    }
    Transaction deepest = new Transaction(1, 1, 1, 1, op);
    assertEquals(deepest, roundTrip(deepest));
    Transaction tooDeep = new Transaction(1, 1, 1, 1, new TxnOp.Multi(List.of(op)));
    assertThrows(IllegalArgumentException.class, () -> TxnCodec.encode(tooDeep));

    // Hand-made bytes: a multi of one multi of one multi ... far deeper than allowed.
    byte[] head = TxnCodec.encode(new Transaction(1, 1, 1, 1, new TxnOp.CloseSession()));
    int levels = 100_000;
    byte[] bytes = Arrays.copyOf(head, 29 + levels * 5 + 1);
    for (int k = 0; k < levels; k++) {
      int at = 29 + k * 5;
      bytes[at] = TxnCodec.MULTI;
      bytes[at + 4] = 1;
    }
    bytes[bytes.length - 1] = TxnCodec.CLOSE_SESSION;
    assertTrue(assertThrows(ProtocolException.class,
        () -> TxnCodec.decode(bytes, 0, bytes.length)).getMessage().contains("nest"));
  }

  @Test
  void randomBytesOnlyEverThrowProtocolException() {
    long seed = 20240611L;
    Random rnd = new Random(seed);
    List<byte[]> valid = new ArrayList<>();
    long zxid = 1;
    for (TxnOp op : everyOp()) {
      valid.add(TxnCodec.encode(new Transaction(rnd.nextLong(), rnd.nextInt(), zxid++,
          rnd.nextLong(), op)));
    }
    int decoded = 0;
    for (int round = 0; round < 200_000; round++) {
      byte[] bytes;
      if (round % 2 == 0) {
        bytes = new byte[rnd.nextInt(80)];
        rnd.nextBytes(bytes);
        if (bytes.length > 0 && rnd.nextBoolean()) {
          bytes[0] = TxnCodec.FORMAT_VERSION; // get past the version check more often
        }
        if (bytes.length > 29 && rnd.nextBoolean()) {
          bytes[29] = (byte) (1 + rnd.nextInt(8));
        }
      } else {
        // Mutate a valid encoding: flip bytes, cut it short or extend it.
        bytes = valid.get(rnd.nextInt(valid.size())).clone();
        int flips = 1 + rnd.nextInt(3);
        for (int f = 0; f < flips; f++) {
          bytes[rnd.nextInt(bytes.length)] = (byte) rnd.nextInt(256);
        }
        if (rnd.nextInt(4) == 0) {
          bytes = Arrays.copyOf(bytes, rnd.nextInt(bytes.length + 8));
        }
      }
      try {
        TxnCodec.decode(bytes, 0, bytes.length);
        decoded++;
      } catch (ProtocolException expected) {
        // the only failure allowed
      } catch (Throwable t) {
        fail("seed " + seed + " round " + round + ": " + Arrays.toString(bytes) + " threw " + t,
            t);
      }
    }
    assertTrue(decoded > 0, "the fuzz should also produce some decodable inputs");
  }
}

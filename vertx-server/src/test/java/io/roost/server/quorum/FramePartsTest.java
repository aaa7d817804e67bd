package io.roost.server.quorum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A frame too large for one transport frame goes in parts and comes back whole, or not at all. */
class FramePartsTest {
  private static byte[] payload(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] frame(byte channel, byte[] payload) {
    byte[] f = new byte[payload.length + 1];
    f[0] = channel;
    System.arraycopy(payload, 0, f, 1, payload.length);
    return f;
  }

  @Test
  void partsAreWithinTheLimitAndReassembleToTheFrame() {
    for (int size : new int[] {0, 1, 90, 91, 92, 1000, 4099}) {
      byte[] p = payload(size, size);
      List<byte[]> parts = FrameParts.split((byte) 0, p, 100);
      assertEquals((size + 1 + 90) / 91, parts.size(), "parts of a " + size + "-byte payload");
      assertEquals(size + 1 <= 100 ? 1 : parts.size(), FrameParts.count(size + 1, 100));
      FrameParts in = new FrameParts();
      byte[] whole = null;
      for (int i = 0; i < parts.size(); i++) {
        assertTrue(parts.get(i).length <= 100, "part longer than the limit");
        assertEquals(FrameParts.PART, parts.get(i)[0]);
        whole = in.offer(parts.get(i));
        assertEquals(i == parts.size() - 1, whole != null, "whole only after the last part");
      }
      assertArrayEquals(frame((byte) 0, p), whole);
      assertFalse(in.assembling());
    }
  }

  @Test
  void aMissingPartDropsTheFrameAndTheNextTransferStillArrives() {
    List<byte[]> parts = FrameParts.split((byte) 0, payload(500, 1), 100);
    FrameParts in = new FrameParts();
    assertNull(in.offer(parts.get(0)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> in.offer(parts.get(2)));
    assertTrue(e.getMessage().contains("expected offset 91"), e.getMessage());
    assertFalse(in.assembling(), "the broken frame is dropped");
    assertThrows(IllegalArgumentException.class, () -> in.offer(parts.get(3)),
        "a later part without its first");

    byte[] again = payload(300, 2);
    byte[] whole = null;
    for (byte[] part : FrameParts.split((byte) 0, again, 100)) {
      whole = in.offer(part);
    }
    assertArrayEquals(frame((byte) 0, again), whole);
  }

  @Test
  void aNewFirstPartRestartsTheTransfer() {
    FrameParts in = new FrameParts();
    in.offer(FrameParts.split((byte) 0, payload(500, 3), 100).get(0));
    byte[] second = payload(150, 4);
    byte[] whole = null;
    for (byte[] part : FrameParts.split((byte) 2, second, 100)) {
      whole = in.offer(part);
    }
    assertArrayEquals(frame((byte) 2, second), whole);
  }

  @Test
  void malformedPartsAreRejected() {
    FrameParts in = new FrameParts();
    assertThrows(IllegalArgumentException.class, () -> in.offer(new byte[] {3, 0, 0}));
    // Part 0 claiming a total smaller than what it carries.
    byte[] bad = FrameParts.split((byte) 0, payload(50, 5), 100).get(0);
    bad[4] = 10;
    assertThrows(IllegalArgumentException.class, () -> in.offer(bad));
    // A part whose bytes run past the total.
    List<byte[]> parts = FrameParts.split((byte) 0, payload(150, 6), 100);
    in.offer(parts.get(0));
    byte[] tooLong = new byte[parts.get(1).length + 5];
    System.arraycopy(parts.get(1), 0, tooLong, 0, parts.get(1).length);
    assertThrows(IllegalArgumentException.class, () -> in.offer(tooLong));
    assertThrows(IllegalArgumentException.class,
        () -> FrameParts.split((byte) 0, new byte[10], FrameParts.HEADER));
  }
}

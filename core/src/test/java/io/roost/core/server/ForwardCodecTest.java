package io.roost.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.roost.core.proto.Id;
import io.roost.core.proto.ProtocolException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardCodecTest {
  @Test
  void everyRequestRoundTrips() {
    LeaderRequest.Write w = new LeaderRequest.Write(0x0200000000000007L, 42, 15,
        new byte[] {1, 2, 3}, List.of(new Id("ip", "127.0.0.1"), new Id("digest", "u:x")));
    LeaderRequest.Write back = (LeaderRequest.Write) ForwardCodec.decodeRequest(
        ForwardCodec.encode(w));
    assertEquals(w.sessionId(), back.sessionId());
    assertEquals(w.cxid(), back.cxid());
    assertEquals(w.op(), back.op());
    assertArrayEquals(w.body(), back.body());
    assertEquals(w.ids(), back.ids());
    LeaderRequest.CreateSession cs = new LeaderRequest.CreateSession(9, 4000, new byte[16]);
    LeaderRequest.CreateSession csBack = (LeaderRequest.CreateSession)
        ForwardCodec.decodeRequest(ForwardCodec.encode(cs));
    assertEquals(cs.sessionId(), csBack.sessionId());
    assertEquals(cs.timeoutMs(), csBack.timeoutMs());
    assertArrayEquals(cs.password(), csBack.password());
    for (LeaderRequest r : List.of(new LeaderRequest.CloseSession(5, 6),
        new LeaderRequest.Sync(7, 8), new LeaderRequest.Touch(List.of(1L, 2L, 3L)),
        new LeaderRequest.Touch(List.of()))) {
      assertEquals(r, ForwardCodec.decodeRequest(ForwardCodec.encode(r)));
    }
  }

  @Test
  void everyReplyRoundTrips() {
    for (FollowerReply r : List.of(new FollowerReply.Rejected(1, 2, -101, -1),
        new FollowerReply.Rejected(1, 3, -110, 4), new FollowerReply.Synced(1, 4, 0x500000009L))) {
      assertEquals(r, ForwardCodec.decodeReply(ForwardCodec.encode(r)));
    }
  }

  @Test
  void truncatedOrPaddedMessagesAreRejected() {
    byte[] full = ForwardCodec.encode(new LeaderRequest.Write(1, 2, 1, new byte[] {9},
        List.of(new Id("ip", "10.0.0.1"))));
    for (int len = 0; len < full.length; len++) {
      byte[] cut = Arrays.copyOf(full, len);
      assertThrows(ProtocolException.class, () -> ForwardCodec.decodeRequest(cut),
          "truncated to " + len);
    }
    byte[] padded = Arrays.copyOf(full, full.length + 1);
    assertThrows(ProtocolException.class, () -> ForwardCodec.decodeRequest(padded));
    byte[] hugeList = ForwardCodec.encode(new LeaderRequest.Touch(List.of()));
    hugeList[7] = (byte) 0x7f; // claims 127 ids with no bytes for them
    assertThrows(ProtocolException.class, () -> ForwardCodec.decodeRequest(hugeList));
    assertThrows(ProtocolException.class,
        () -> ForwardCodec.decodeReply(new byte[] {0, 0, 0, 99}));
  }
}

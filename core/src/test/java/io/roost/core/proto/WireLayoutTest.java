package io.roost.core.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact bytes, computed by hand from the jute definitions, for the records whose layout matters most. */
class WireLayoutTest {

    private static final String WORLD_ANYONE_ALL = "0000001f" + "00000005 776f726c64" + "00000006 616e796f6e65";

    @Test
    void replyHeader() {
        ReplyHeader h = new ReplyHeader(7, 0x0000000100000002L, Code.NO_NODE.code());
        assertEquals(hex("00000007 0000000100000002 ffffff9b"), Hex.of(RecordRoundTripTest.write(h)));
    }

    @Test
    void requestHeaderOfAPing() {
        RequestHeader h = new RequestHeader(Xid.PING, OpCode.ping);
        assertEquals(hex("fffffffe 0000000b"), Hex.of(RecordRoundTripTest.write(h)));
    }

    @Test
    void connectRequestWithReadOnly() {
        ConnectRequest r = new ConnectRequest(0, 0x10L, 30_000, 0L, new byte[16], true, true);
        String expected = hex("00000000 0000000000000010 00007530 0000000000000000 00000010"
                + "00".repeat(16) + "01");
        assertEquals(expected, Hex.of(RecordRoundTripTest.write(r)));
        assertEquals(45, RecordRoundTripTest.write(r).length);
    }

    @Test
    void connectRequestWithoutReadOnly() {
        ConnectRequest r = new ConnectRequest(0, 0x10L, 30_000, 0L, new byte[16], false, false);
        String expected = hex("00000000 0000000000000010 00007530 0000000000000000 00000010" + "00".repeat(16));
        assertEquals(expected, Hex.of(RecordRoundTripTest.write(r)));
    }

    @Test
    void oldClientConnectRequestReadsAsReadOnlyAbsent() {
        byte[] old = Hex.bytes("00000000 0000000000000000 00001388 0000000000000000 00000000");
        ConnectRequest r = ConnectRequest.read(new JuteInput(old));
        assertFalse(r.readOnlyPresent());
        assertFalse(r.readOnly());
        assertEquals(5000, r.timeOut());
    }

    @Test
    void connectRequestReadOnlyByteIsRead() {
        byte[] withFlag = Hex.bytes("00000000 0000000000000000 00001388 0000000000000000 00000000 01");
        ConnectRequest r = ConnectRequest.read(new JuteInput(withFlag));
        assertTrue(r.readOnlyPresent());
        assertTrue(r.readOnly());
    }

    @Test
    void connectResponseMirrorsReadOnlyPresence() {
        ConnectResponse with = new ConnectResponse(0, 4000, 0x0102030405060708L, new byte[16], false, true);
        assertEquals(hex("00000000 00000fa0 0102030405060708 00000010" + "00".repeat(16) + "00"),
                Hex.of(RecordRoundTripTest.write(with)));
        ConnectResponse without = new ConnectResponse(0, 4000, 0x0102030405060708L, new byte[16], false, false);
        assertEquals(hex("00000000 00000fa0 0102030405060708 00000010" + "00".repeat(16)),
                Hex.of(RecordRoundTripTest.write(without)));
    }

    @Test
    void watcherEvent() {
        WatcherEvent e = new WatcherEvent(EventType.NODE_DELETED, KeeperState.SYNC_CONNECTED, "/x");
        assertEquals(hex("00000002 00000003 00000002 2f78"), Hex.of(RecordRoundTripTest.write(e)));
    }

    @Test
    void stat() {
        Stat s = new Stat(1L, 2L, 3L, 4L, 5, 6, 7, 8L, 9, 10, 11L);
        assertEquals(hex("0000000000000001 0000000000000002 0000000000000003 0000000000000004"
                + "00000005 00000006 00000007 0000000000000008 00000009 0000000a 000000000000000b"),
                Hex.of(RecordRoundTripTest.write(s)));
        assertEquals(68, RecordRoundTripTest.write(s).length);
    }

    @Test
    void createRequestWithAcl() {
        CreateRequest c = new CreateRequest("/a", "x".getBytes(StandardCharsets.UTF_8),
                List.of(new ACL(Perms.ALL, new Id("world", "anyone"))), CreateMode.EPHEMERAL.flag());
        assertEquals(hex("00000002 2f61 00000001 78 00000001" + WORLD_ANYONE_ALL + "00000001"),
                Hex.of(RecordRoundTripTest.write(c)));
    }

    @Test
    void multiWithTwoOpsAndEndMarker() {
        MultiRequest m = new MultiRequest(List.of(
                new MultiRequest.Op(OpCode.create, new CreateRequest("/a", "x".getBytes(StandardCharsets.UTF_8),
                        List.of(new ACL(Perms.ALL, new Id("world", "anyone"))), 0)),
                new MultiRequest.Op(OpCode.delete, new DeleteRequest("/b", -1))));
        String expected = hex(
                "00000001 00 ffffffff"                                             // header: create
                + "00000002 2f61 00000001 78 00000001" + WORLD_ANYONE_ALL + "00000000"
                + "00000002 00 ffffffff"                                           // header: delete
                + "00000002 2f62 ffffffff"
                + "ffffffff 01 ffffffff");                                         // end marker
        byte[] bytes = RecordRoundTripTest.write(m);
        assertEquals(expected, Hex.of(bytes));
        assertEquals(m, RequestCodec.decode(OpCode.multi, new JuteInput(bytes)));
    }

    @Test
    void failedMultiResponse() {
        // First op fine (0), second failed (NoNode), third never ran (RuntimeInconsistency).
        MultiResponse r = new MultiResponse(List.of(
                new ErrorResponse(0), new ErrorResponse(Code.NO_NODE.code()),
                new ErrorResponse(Code.RUNTIME_INCONSISTENCY.code())));
        String expected = hex(
                "ffffffff 00 00000000 00000000"
                + "ffffffff 00 ffffff9b ffffff9b"
                + "ffffffff 00 fffffffe fffffffe"
                + "ffffffff 01 ffffffff");
        assertEquals(expected, Hex.of(RecordRoundTripTest.write(r)));
    }

    @Test
    void successfulMultiResponseHeadersCarryTypeAndZeroErr() {
        MultiResponse r = new MultiResponse(List.of(
                new CreateResponse("/a"), new OpResult.Delete(), new OpResult.Check(),
                new StatResponse(new Stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))));
        String expected = hex(
                "00000001 00 00000000 00000002 2f61"
                + "00000002 00 00000000"
                + "0000000d 00 00000000"
                + "00000005 00 00000000" + "00".repeat(68)
                + "ffffffff 01 ffffffff");
        assertEquals(expected, Hex.of(RecordRoundTripTest.write(r)));
    }

    @Test
    void multiResponseRejectsUnknownResultRecords() {
        MultiResponse r = new MultiResponse(List.of(new SyncResponse("/x")));
        assertThrows(IllegalArgumentException.class, () -> RecordRoundTripTest.write(r));
    }

    @Test
    void multiResponseReadRejectsUnknownResultType() {
        byte[] bytes = Hex.bytes("00000009 00 00000000 00000002 2f61 ffffffff 01 ffffffff");
        assertThrows(ProtocolException.class, () -> MultiResponse.read(new JuteInput(bytes)));
    }

    @Test
    void multiRequestRejectsOpsThatCannotBeInAMulti() {
        byte[] sync = Hex.bytes("00000009 00 ffffffff 00000002 2f61 ffffffff 01 ffffffff");
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> MultiRequest.read(new JuteInput(sync)));
        assertTrue(e.getMessage().contains("sync"), e.getMessage());
    }

    @Test
    void multiRequestWithoutEndMarkerIsRejected() {
        byte[] noEnd = Hex.bytes("00000002 00 ffffffff 00000002 2f62 ffffffff");
        assertThrows(ProtocolException.class, () -> MultiRequest.read(new JuteInput(noEnd)));
    }

    private static String hex(String spaced) {
        return spaced.replace(" ", "");
    }
}

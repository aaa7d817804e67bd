package io.roost.core.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every record survives write-then-read unchanged, consumes exactly its own bytes, and fails cleanly when cut short. */
class RecordRoundTripTest {

    static final Stat STAT = new Stat(0x100000001L, 0x100000002L, 1_700_000_000_000L, 1_700_000_000_123L,
            3, 4, 5, 0x8000000000000000L, 6, 7, 0x100000003L);
    static final List<ACL> ACLS = List.of(
            new ACL(Perms.ALL, new Id("world", "anyone")),
            new ACL(Perms.READ | Perms.ADMIN, new Id("digest", "bob:x")));
    static final byte[] DATA = "hello".getBytes(StandardCharsets.UTF_8);

    static Stream<Arguments> records() {
        List<Arguments> cases = new ArrayList<>();
        add(cases, new Id("ip", "10.0.0.0/8"), Id::read);
        add(cases, new Id(null, null), Id::read);
        add(cases, new ACL(Perms.CREATE, new Id("auth", "")), ACL::read);
        add(cases, STAT, Stat::read);
        add(cases, new ConnectRequest(0, 0x200000005L, 30_000, 0x1234L, new byte[16], true, true), ConnectRequest::read);
        add(cases, new ConnectRequest(0, 0L, 4_000, 0L, new byte[0], false, false), ConnectRequest::read);
        add(cases, new ConnectResponse(0, 6_000, 0x99L, DATA, false, true), ConnectResponse::read);
        add(cases, new ConnectResponse(0, 0, 0L, new byte[16], false, false), ConnectResponse::read);
        add(cases, new RequestHeader(42, OpCode.getData), RequestHeader::read);
        add(cases, new ReplyHeader(Xid.NOTIFICATION, -1L, Code.NO_NODE.code()), ReplyHeader::read);
        add(cases, new WatcherEvent(EventType.NODE_DATA_CHANGED, KeeperState.SYNC_CONNECTED, "/a/b"), WatcherEvent::read);
        add(cases, new AuthPacket(0, "digest", "bob:secret".getBytes(StandardCharsets.UTF_8)), AuthPacket::read);
        add(cases, new CreateRequest("/n", DATA, ACLS, CreateMode.EPHEMERAL_SEQUENTIAL.flag()), CreateRequest::read);
        add(cases, new CreateRequest("/n", null, null, 0), CreateRequest::read);
        add(cases, new CreateTTLRequest("/t", DATA, ACLS, CreateMode.PERSISTENT_WITH_TTL.flag(), 60_000L), CreateTTLRequest::read);
        add(cases, new DeleteRequest("/d", -1), DeleteRequest::read);
        add(cases, new ExistsRequest("/e", true), ExistsRequest::read);
        add(cases, new GetDataRequest("/g", false), GetDataRequest::read);
        add(cases, new SetDataRequest("/s", DATA, 7), SetDataRequest::read);
        add(cases, new SetDataRequest("/s", null, -1), SetDataRequest::read);
        add(cases, new GetACLRequest("/acl"), GetACLRequest::read);
        add(cases, new SetACLRequest("/acl", ACLS, 2), SetACLRequest::read);
        add(cases, new GetChildrenRequest("/", true), GetChildrenRequest::read);
        add(cases, new SyncRequest("/sync"), SyncRequest::read);
        add(cases, new CheckVersionRequest("/c", 9), CheckVersionRequest::read);
        add(cases, new CheckWatchesRequest("/w", WatcherType.ANY), CheckWatchesRequest::read);
        add(cases, new RemoveWatchesRequest("/w", WatcherType.PERSISTENT_RECURSIVE), RemoveWatchesRequest::read);
        add(cases, new GetEphemeralsRequest("/app"), GetEphemeralsRequest::read);
        add(cases, new GetAllChildrenNumberRequest("/count"), GetAllChildrenNumberRequest::read);
        add(cases, new AddWatchRequest("/p", AddWatchMode.PERSISTENT_RECURSIVE), AddWatchRequest::read);
        add(cases, new SetWatches(0x300000001L, List.of("/d1", "/d2"), List.of("/e"), List.of()), SetWatches::read);
        add(cases, new SetWatches(0L, null, null, null), SetWatches::read);
        add(cases, new SetWatches2(0x300000001L, List.of("/d"), List.of("/e"), List.of("/c"), List.of("/p"), List.of("/r", "/r2")),
                SetWatches2::read);
        add(cases, new CreateResponse("/n0000000001"), CreateResponse::read);
        add(cases, new Create2Response("/n0000000002", STAT), Create2Response::read);
        add(cases, new StatResponse(STAT), StatResponse::read);
        add(cases, new GetDataResponse(DATA, STAT), GetDataResponse::read);
        add(cases, new GetDataResponse(null, STAT), GetDataResponse::read);
        add(cases, new GetACLResponse(ACLS, STAT), GetACLResponse::read);
        add(cases, new GetChildrenResponse(List.of("a", "b", "ü")), GetChildrenResponse::read);
        add(cases, new GetChildren2Response(List.of("x"), STAT), GetChildren2Response::read);
        add(cases, new SyncResponse("/sync"), SyncResponse::read);
        add(cases, new GetEphemeralsResponse(List.of("/app/e1", "/app/e2")), GetEphemeralsResponse::read);
        add(cases, new GetAllChildrenNumberResponse(12345), GetAllChildrenNumberResponse::read);
        add(cases, new ErrorResponse(Code.NO_WATCHER.code()), ErrorResponse::read);
        add(cases, new ClientInfo("ip", "127.0.0.1"), ClientInfo::read);
        add(cases, new WhoAmIResponse(List.of(new ClientInfo("ip", "127.0.0.1"), new ClientInfo("digest", "bob"))),
                WhoAmIResponse::read);
        add(cases, new WhoAmIResponse(null), WhoAmIResponse::read);
        add(cases, new MultiHeader(OpCode.create, false, -1), MultiHeader::read);
        add(cases, new MultiRequest(List.of(
                new MultiRequest.Op(OpCode.create, new CreateRequest("/m", DATA, ACLS, 0)),
                new MultiRequest.Op(OpCode.create2, new CreateRequest("/m2", null, ACLS, 1)),
                new MultiRequest.Op(OpCode.createContainer, new CreateRequest("/mc", null, ACLS, 4)),
                new MultiRequest.Op(OpCode.createTTL, new CreateTTLRequest("/mt", DATA, ACLS, 5, 1000L)),
                new MultiRequest.Op(OpCode.delete, new DeleteRequest("/m", 0)),
                new MultiRequest.Op(OpCode.setData, new SetDataRequest("/m", DATA, -1)),
                new MultiRequest.Op(OpCode.check, new CheckVersionRequest("/m", 1)),
                new MultiRequest.Op(OpCode.getData, new GetDataRequest("/m", false)),
                new MultiRequest.Op(OpCode.getChildren, new GetChildrenRequest("/m", false)))), MultiRequest::read);
        add(cases, new MultiRequest(List.of()), MultiRequest::read);
        add(cases, new MultiResponse(List.of(
                new CreateResponse("/m"),
                new Create2Response("/m2", STAT),
                new StatResponse(STAT),
                new OpResult.Delete(),
                new OpResult.Check(),
                new GetDataResponse(DATA, STAT),
                new GetChildrenResponse(List.of("k")),
                new ErrorResponse(Code.NO_NODE.code()))), MultiResponse::read);
        return cases.stream();
    }

    private static <T extends Record> void add(List<Arguments> cases, T record, Function<JuteInput, T> reader) {
        cases.add(Arguments.of(record.getClass().getSimpleName(), record, reader));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("records")
    void writeThenReadGivesTheSameRecord(String type, Record record, Function<JuteInput, Record> reader) {
        byte[] bytes = write(record);
        JuteInput in = new JuteInput(bytes);
        Record back = reader.apply(in);
        assertEquals(record, back);
        assertEquals(record.hashCode(), back.hashCode());
        assertEquals(0, in.remaining(), "read must consume exactly what write produced");
        // Equal records must encode identically too.
        assertEquals(Hex.of(bytes), Hex.of(write(back)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("records")
    void everyTruncationFailsWithProtocolException(String type, Record record, Function<JuteInput, Record> reader) {
        byte[] bytes = write(record);
        for (int len = 0; len < bytes.length; len++) {
            if (isOptionalTail(record, len, bytes.length)) {
                continue;
            }
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThrows(ProtocolException.class, () -> reader.apply(new JuteInput(cut)),
                    type + " cut to " + len + " of " + bytes.length + " bytes");
        }
    }

    /** The connect records legitimately end before their optional readOnly byte. */
    private static boolean isOptionalTail(Record record, int len, int full) {
        return (record instanceof ConnectRequest c && c.readOnlyPresent()
                || record instanceof ConnectResponse r && r.readOnlyPresent()) && len == full - 1;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("records")
    void byteArraysAreComparedByContent(String type, Record record, Function<JuteInput, Record> reader) {
        // Two independent decodes hold distinct arrays yet must be equal.
        byte[] bytes = write(record);
        Record a = reader.apply(new JuteInput(bytes));
        Record b = reader.apply(new JuteInput(bytes));
        assertEquals(a, b);
        assertEquals(a.toString(), b.toString());
    }

    @org.junit.jupiter.api.Test
    void recordsWithDifferentDataAreNotEqual() {
        assertNotEquals(new SetDataRequest("/s", "a".getBytes(StandardCharsets.UTF_8), 1),
                new SetDataRequest("/s", "b".getBytes(StandardCharsets.UTF_8), 1));
        assertNotEquals(new GetDataResponse(new byte[0], STAT), new GetDataResponse(null, STAT));
        assertNotEquals(new ConnectRequest(0, 0, 1, 0, new byte[16], false, false),
                new ConnectRequest(0, 0, 1, 0, new byte[16], false, true));
        byte[] one = {1};
        byte[] same = {1};
        assertNotSame(one, same);
        assertEquals(new AuthPacket(0, "digest", one), new AuthPacket(0, "digest", same));
    }

    @org.junit.jupiter.api.Test
    void credentialsAreNotPrinted() {
        String s = new AuthPacket(0, "digest", "bob:secret".getBytes(StandardCharsets.UTF_8)).toString();
        assertEquals(-1, s.indexOf("secret"), s);
        assertEquals(-1, s.indexOf("73656372"), s);
    }

    static byte[] write(Record r) {
        JuteOutput out = new JuteOutput();
        r.write(out);
        return out.toByteArray();
    }
}

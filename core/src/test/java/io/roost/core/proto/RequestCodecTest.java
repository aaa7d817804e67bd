package io.roost.core.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestCodecTest {

    private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

    /** Every client op code decodes to the record the server's handler expects. */
    @Test
    void everyClientOpDecodesToItsRecord() {
        CreateRequest create = new CreateRequest("/c", new byte[] {1}, OPEN, 0);
        MultiRequest multi = new MultiRequest(List.of(new MultiRequest.Op(OpCode.getData, new GetDataRequest("/g", true))));
        assertDecodes(OpCode.create, create);
        assertDecodes(OpCode.create2, create);
        assertDecodes(OpCode.createContainer, new CreateRequest("/c", null, OPEN, 4));
        assertDecodes(OpCode.createTTL, new CreateTTLRequest("/t", null, OPEN, 5, 100L));
        assertDecodes(OpCode.delete, new DeleteRequest("/d", 3));
        assertDecodes(OpCode.exists, new ExistsRequest("/e", true));
        assertDecodes(OpCode.getData, new GetDataRequest("/g", false));
        assertDecodes(OpCode.setData, new SetDataRequest("/s", new byte[] {2}, -1));
        assertDecodes(OpCode.getACL, new GetACLRequest("/a"));
        assertDecodes(OpCode.setACL, new SetACLRequest("/a", OPEN, 0));
        assertDecodes(OpCode.getChildren, new GetChildrenRequest("/k", false));
        assertDecodes(OpCode.getChildren2, new GetChildrenRequest("/k", true));
        assertDecodes(OpCode.sync, new SyncRequest("/y"));
        assertDecodes(OpCode.check, new CheckVersionRequest("/v", 1));
        assertDecodes(OpCode.multi, multi);
        assertDecodes(OpCode.multiRead, multi);
        assertDecodes(OpCode.checkWatches, new CheckWatchesRequest("/w", WatcherType.DATA));
        assertDecodes(OpCode.removeWatches, new RemoveWatchesRequest("/w", WatcherType.CHILDREN));
        assertDecodes(OpCode.getEphemerals, new GetEphemeralsRequest("/"));
        assertDecodes(OpCode.getAllChildrenNumber, new GetAllChildrenNumberRequest("/n"));
        assertDecodes(OpCode.addWatch, new AddWatchRequest("/p", AddWatchMode.PERSISTENT));
        assertDecodes(OpCode.setWatches, new SetWatches(5L, List.of("/a"), List.of(), List.of("/b")));
        assertDecodes(OpCode.setWatches2, new SetWatches2(5L, List.of(), List.of(), List.of(), List.of("/p"), List.of("/r")));
        assertDecodes(OpCode.auth, new AuthPacket(0, "digest", "u:p".getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertDecodes(int opCode, Record expected) {
        byte[] bytes = RecordRoundTripTest.write(expected);
        JuteInput in = new JuteInput(bytes);
        Record decoded = RequestCodec.decode(opCode, in);
        assertInstanceOf(expected.getClass(), decoded, OpCode.name(opCode));
        assertEquals(expected, decoded, OpCode.name(opCode));
        assertEquals(0, in.remaining(), OpCode.name(opCode));
    }

    @ParameterizedTest
    @ValueSource(ints = {OpCode.ping, OpCode.closeSession, OpCode.whoAmI})
    void headerOnlyOpsHaveNoBodyAndConsumeNothing(int opCode) {
        JuteInput in = new JuteInput(new byte[] {1, 2, 3});
        assertNull(RequestCodec.decode(opCode, in));
        assertEquals(0, in.position());
    }

    @ParameterizedTest
    @ValueSource(ints = {999, OpCode.notification, OpCode.reconfig, OpCode.sasl, OpCode.createSession,
        OpCode.deleteContainer, OpCode.error, 10})
    void unknownOpCodeIsReportedWithTheCode(int opCode) {
        UnknownOpCodeException e = assertThrows(UnknownOpCodeException.class,
                () -> RequestCodec.decode(opCode, new JuteInput(new byte[0])));
        assertEquals(opCode, e.opCode());
        assertInstanceOf(ProtocolException.class, e);
    }

    @Test
    void unknownOp999MessageNamesIt() {
        UnknownOpCodeException e = assertThrows(UnknownOpCodeException.class,
                () -> RequestCodec.decode(999, new JuteInput(new byte[8])));
        assertEquals(999, e.opCode());
        assertEquals("unknown op code 999", e.getMessage());
    }

    @Test
    void malformedBodyIsAProtocolException() {
        // getData with a path length pointing past the end.
        byte[] bad = Hex.bytes("00000010 2f61 01");
        assertThrows(ProtocolException.class, () -> RequestCodec.decode(OpCode.getData, new JuteInput(bad)));
    }

    /** Random garbage must never escape as anything but ProtocolException (fixed seed: replayable). */
    @Test
    void randomBytesOnlyEverFailWithProtocolException() {
        int[] ops = {OpCode.create, OpCode.createTTL, OpCode.delete, OpCode.exists, OpCode.getData, OpCode.setData,
            OpCode.getACL, OpCode.setACL, OpCode.getChildren, OpCode.sync, OpCode.check, OpCode.multi,
            OpCode.checkWatches, OpCode.addWatch, OpCode.setWatches, OpCode.setWatches2, OpCode.auth};
        Random random = new Random(20240601L);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(40)];
            random.nextBytes(junk);
            // Small lengths and counts make deeper parses likely.
            if (junk.length >= 4 && random.nextBoolean()) {
                junk[0] = 0;
                junk[1] = 0;
                junk[2] = 0;
            }
            int op = ops[random.nextInt(ops.length)];
            try {
                RequestCodec.decode(op, new JuteInput(junk));
            } catch (ProtocolException expected) {
                // fine
            } catch (RuntimeException e) {
                throw new AssertionError("op " + OpCode.name(op) + " on " + Hex.of(junk) + " threw " + e, e);
            }
        }
    }
}

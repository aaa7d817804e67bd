package io.roost.core.proto;

import java.util.Map;

/**
 * The one table from op code to request-body decoder. The server reads a {@link RequestHeader}, then
 * calls {@link #decode} with its type; nothing else in Roost switches on op codes to parse requests.
 */
public final class RequestCodec {

    /** Reads one request body. */
    @FunctionalInterface
    private interface Decoder {
        Record read(JuteInput in);
    }

    /** Ops whose request is the header alone. */
    private static final Decoder NO_BODY = in -> null;

    private static final Map<Integer, Decoder> DECODERS = Map.ofEntries(
            op(OpCode.create, CreateRequest::read),
            op(OpCode.create2, CreateRequest::read),
            op(OpCode.createContainer, CreateRequest::read),
            op(OpCode.createTTL, CreateTTLRequest::read),
            op(OpCode.delete, DeleteRequest::read),
            op(OpCode.exists, ExistsRequest::read),
            op(OpCode.getData, GetDataRequest::read),
            op(OpCode.setData, SetDataRequest::read),
            op(OpCode.getACL, GetACLRequest::read),
            op(OpCode.setACL, SetACLRequest::read),
            op(OpCode.getChildren, GetChildrenRequest::read),
            op(OpCode.getChildren2, GetChildrenRequest::read),
            op(OpCode.sync, SyncRequest::read),
            op(OpCode.check, CheckVersionRequest::read),
            op(OpCode.multi, MultiRequest::read),
            op(OpCode.multiRead, MultiRequest::read),
            op(OpCode.checkWatches, CheckWatchesRequest::read),
            op(OpCode.removeWatches, RemoveWatchesRequest::read),
            op(OpCode.getEphemerals, GetEphemeralsRequest::read),
            op(OpCode.getAllChildrenNumber, GetAllChildrenNumberRequest::read),
            op(OpCode.addWatch, AddWatchRequest::read),
            op(OpCode.setWatches, SetWatches::read),
            op(OpCode.setWatches2, SetWatches2::read),
            op(OpCode.auth, AuthPacket::read),
            op(OpCode.ping, NO_BODY),
            op(OpCode.closeSession, NO_BODY),
            op(OpCode.whoAmI, NO_BODY));

    private RequestCodec() {
    }

    private static Map.Entry<Integer, Decoder> op(int opCode, Decoder decoder) {
        return Map.entry(opCode, decoder);
    }

    /**
     * Decodes the body of a request whose header carried {@code opCode}.
     *
     * @param opCode the type from the {@link RequestHeader}
     * @param in     the input positioned just after the header
     * @return the decoded body, or null for ops without a body (ping, closeSession, whoAmI), in which
     *         case nothing is consumed
     * @throws UnknownOpCodeException if Roost has no decoder for {@code opCode} (reply Unimplemented)
     * @throws ProtocolException      if the body is malformed
     */
    public static Record decode(int opCode, JuteInput in) {
        Decoder decoder = DECODERS.get(opCode);
        if (decoder == null) {
            throw new UnknownOpCodeException(opCode);
        }
        return decoder.read(in);
    }
}

package io.roost.core.proto;

import java.util.List;

/**
 * Reply to whoAmI.
 *
 * @param clientInfo the session's identities
 */
public record WhoAmIResponse(List<ClientInfo> clientInfo) implements Record {

    /**
     * Reads one {@code WhoAmIResponse} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static WhoAmIResponse read(JuteInput in) {
        return new WhoAmIResponse(ClientInfo.readVector(in));
    }

    @Override
    public void write(JuteOutput out) {
        ClientInfo.writeVector(out, clientInfo);
    }
}

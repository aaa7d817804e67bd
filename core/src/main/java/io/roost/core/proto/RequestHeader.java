package io.roost.core.proto;

/**
 * Precedes every client request after the handshake.
 *
 * @param xid the client-chosen request id, or a special {@link Xid}
 * @param type the {@link OpCode}
 */
public record RequestHeader(int xid, int type) implements Record {

    /**
     * Reads one {@code RequestHeader} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static RequestHeader read(JuteInput in) {
        int xid = in.readInt();
        int type = in.readInt();
        return new RequestHeader(xid, type);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(xid);
        out.writeInt(type);
    }
}

package io.roost.core.proto;

/**
 * Precedes every server reply; the body follows only when {@code err} is 0.
 *
 * @param xid the xid of the request answered, or a special {@link Xid}
 * @param zxid the last zxid the server has applied
 * @param err the {@link Code} value, 0 on success
 */
public record ReplyHeader(int xid, long zxid, int err) implements Record {

    /**
     * Reads one {@code ReplyHeader} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static ReplyHeader read(JuteInput in) {
        int xid = in.readInt();
        long zxid = in.readLong();
        int err = in.readInt();
        return new ReplyHeader(xid, zxid, err);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(xid);
        out.writeLong(zxid);
        out.writeInt(err);
    }
}

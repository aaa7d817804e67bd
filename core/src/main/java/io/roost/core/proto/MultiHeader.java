package io.roost.core.proto;

/**
 * Precedes each op (and each result) in a multi; a header with {@code done} set ends the list.
 *
 * @param type the op code of the following body, -1 at the end
 * @param done true only for the end marker
 * @param err -1 in requests; the result code in responses
 */
public record MultiHeader(int type, boolean done, int err) implements Record {

    /**
     * Reads one {@code MultiHeader} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static MultiHeader read(JuteInput in) {
        int type = in.readInt();
        boolean done = in.readBool();
        int err = in.readInt();
        return new MultiHeader(type, done, err);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(type);
        out.writeBool(done);
        out.writeInt(err);
    }
}

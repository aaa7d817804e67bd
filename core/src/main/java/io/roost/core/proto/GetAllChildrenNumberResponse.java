package io.roost.core.proto;

/**
 * Reply to getAllChildrenNumber.
 *
 * @param totalNumber the number of descendants
 */
public record GetAllChildrenNumberResponse(int totalNumber) implements Record {

    /**
     * Reads one {@code GetAllChildrenNumberResponse} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static GetAllChildrenNumberResponse read(JuteInput in) {
        return new GetAllChildrenNumberResponse(in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(totalNumber);
    }
}

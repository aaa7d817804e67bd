package io.roost.core.proto;

import java.util.List;

/**
 * Reply to getChildren.
 *
 * @param children the child names
 */
public record GetChildrenResponse(List<String> children) implements Record {

    /**
     * Reads one {@code GetChildrenResponse} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static GetChildrenResponse read(JuteInput in) {
        return new GetChildrenResponse(in.readStringVector());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeStringVector(children);
    }
}

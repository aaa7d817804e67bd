package io.roost.core.proto;

import java.util.List;

/**
 * Reply to getChildren2.
 *
 * @param children the child names
 * @param stat the node's stat
 */
public record GetChildren2Response(List<String> children, Stat stat) implements Record {

    /**
     * Reads one {@code GetChildren2Response} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static GetChildren2Response read(JuteInput in) {
        List<String> children = in.readStringVector();
        Stat stat = Stat.read(in);
        return new GetChildren2Response(children, stat);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeStringVector(children);
        stat.write(out);
    }
}

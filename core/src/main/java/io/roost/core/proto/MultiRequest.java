package io.roost.core.proto;

import java.util.ArrayList;
import java.util.List;

/**
 * Body of multi and multiRead requests: a list of ops, each preceded by a {@link MultiHeader}, ended by
 * a header with {@code done} set.
 *
 * @param ops the ops in order
 */
public record MultiRequest(List<Op> ops) implements Record {

    /**
     * One op inside a multi.
     *
     * @param type    the op code of the body
     * @param request the decoded body, e.g. a {@link CreateRequest} for {@link OpCode#create}
     */
    public record Op(int type, Record request) {
    }

    /**
     * Reads ops until the end marker.
     *
     * @param in the input positioned at the first MultiHeader
     * @return the request
     * @throws ProtocolException if an op type may not appear in a multi, or the input is malformed
     */
    public static MultiRequest read(JuteInput in) {
        List<Op> ops = new ArrayList<>();
        for (MultiHeader h = MultiHeader.read(in); !h.done(); h = MultiHeader.read(in)) {
            ops.add(new Op(h.type(), readBody(h.type(), in)));
        }
        return new MultiRequest(ops);
    }

    private static Record readBody(int type, JuteInput in) {
        return switch (type) {
            case OpCode.create, OpCode.create2, OpCode.createContainer -> CreateRequest.read(in);
            case OpCode.createTTL -> CreateTTLRequest.read(in);
            case OpCode.delete -> DeleteRequest.read(in);
            case OpCode.setData -> SetDataRequest.read(in);
            case OpCode.check -> CheckVersionRequest.read(in);
            case OpCode.getData -> GetDataRequest.read(in);
            case OpCode.getChildren -> GetChildrenRequest.read(in);
            default -> throw new ProtocolException("op " + OpCode.name(type) + " is not allowed inside a multi");
        };
    }

    /** Writes each op with its header, then the end marker. */
    @Override
    public void write(JuteOutput out) {
        for (Op op : ops) {
            new MultiHeader(op.type(), false, -1).write(out);
            op.request().write(out);
        }
        new MultiHeader(-1, true, -1).write(out);
    }
}

package io.roost.core.proto;

import java.util.ArrayList;
import java.util.List;

/**
 * Reply to multi and multiRead: one result per op, each preceded by a {@link MultiHeader}, ended by a
 * header with {@code done} set.
 *
 * <p>Results are ordinary records, and the header type follows from the record's class:
 * {@link CreateResponse} → create, {@link Create2Response} → create2, {@link StatResponse} → setData,
 * {@link OpResult.Delete} → delete, {@link OpResult.Check} → check, {@link GetDataResponse} → getData,
 * {@link GetChildrenResponse} → getChildren, {@link ErrorResponse} → error (with its code in the header
 * and again in the body).
 *
 * @param results the results in op order
 */
public record MultiResponse(List<Record> results) implements Record {

    /**
     * Reads results until the end marker.
     *
     * @param in the input positioned at the first MultiHeader
     * @return the response
     * @throws ProtocolException if a result type is not valid in a multi, or the input is malformed
     */
    public static MultiResponse read(JuteInput in) {
        List<Record> results = new ArrayList<>();
        for (MultiHeader h = MultiHeader.read(in); !h.done(); h = MultiHeader.read(in)) {
            results.add(switch (h.type()) {
                case OpCode.create -> CreateResponse.read(in);
                case OpCode.create2 -> Create2Response.read(in);
                case OpCode.setData -> StatResponse.read(in);
                case OpCode.delete -> OpResult.Delete.read(in);
                case OpCode.check -> OpResult.Check.read(in);
                case OpCode.getData -> GetDataResponse.read(in);
                case OpCode.getChildren -> GetChildrenResponse.read(in);
                case OpCode.error -> ErrorResponse.read(in);
                default -> throw new ProtocolException(
                        "result type " + OpCode.name(h.type()) + " is not valid in a multi response");
            });
        }
        return new MultiResponse(results);
    }

    /**
     * Writes each result with its header, then the end marker.
     *
     * @throws IllegalArgumentException if a result is not one of the record types listed above
     */
    @Override
    public void write(JuteOutput out) {
        for (Record result : results) {
            int err = result instanceof ErrorResponse e ? e.err() : 0;
            new MultiHeader(typeOf(result), false, err).write(out);
            result.write(out);
        }
        new MultiHeader(-1, true, -1).write(out);
    }

    private static int typeOf(Record result) {
        if (result instanceof CreateResponse) {
            return OpCode.create;
        } else if (result instanceof Create2Response) {
            return OpCode.create2;
        } else if (result instanceof StatResponse) {
            return OpCode.setData;
        } else if (result instanceof OpResult.Delete) {
            return OpCode.delete;
        } else if (result instanceof OpResult.Check) {
            return OpCode.check;
        } else if (result instanceof GetDataResponse) {
            return OpCode.getData;
        } else if (result instanceof GetChildrenResponse) {
            return OpCode.getChildren;
        } else if (result instanceof ErrorResponse) {
            return OpCode.error;
        }
        throw new IllegalArgumentException("a multi result cannot be a " + result.getClass().getSimpleName());
    }
}

package io.roost.core.proto;

import java.util.List;

/**
 * Body of a setACL request.
 *
 * @param path the node path
 * @param acl the new ACL
 * @param version the expected ACL version (aversion), -1 for any
 */
public record SetACLRequest(String path, List<ACL> acl, int version) implements Record {

    /**
     * Reads one {@code SetACLRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static SetACLRequest read(JuteInput in) {
        String path = in.readString();
        List<ACL> acl = ACL.readAclVector(in);
        int version = in.readInt();
        return new SetACLRequest(path, acl, version);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        ACL.writeAclVector(out, acl);
        out.writeInt(version);
    }
}

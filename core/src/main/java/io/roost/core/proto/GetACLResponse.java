package io.roost.core.proto;

import java.util.List;

/**
 * Reply to getACL.
 *
 * @param acl the node's ACL
 * @param stat the node's stat
 */
public record GetACLResponse(List<ACL> acl, Stat stat) implements Record {

    /**
     * Reads one {@code GetACLResponse} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static GetACLResponse read(JuteInput in) {
        List<ACL> acl = ACL.readAclVector(in);
        Stat stat = Stat.read(in);
        return new GetACLResponse(acl, stat);
    }

    @Override
    public void write(JuteOutput out) {
        ACL.writeAclVector(out, acl);
        stat.write(out);
    }
}

package io.roost.core.proto;

import java.util.List;

/**
 * One ACL entry: permission bits granted to an identity.
 *
 * @param perms the {@link Perms} bits
 * @param id who they are granted to
 */
public record ACL(int perms, Id id) implements Record {

    /**
     * Reads one {@code ACL} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static ACL read(JuteInput in) {
        int perms = in.readInt();
        Id id = Id.read(in);
        return new ACL(perms, id);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(perms);
        id.write(out);
    }

    /**
     * Reads a vector of ACLs: an int count (-1 means null) then the entries.
     *
     * @param in the input positioned at the count
     * @return a mutable list, or null
     * @throws ProtocolException if the count is impossible or an entry is malformed
     */
    public static List<ACL> readAclVector(JuteInput in) {
        // An ACL is at least 12 bytes: perms plus two string lengths.
        return in.readVector("ACL vector", 12, ACL::read);
    }

    /**
     * Writes a vector of ACLs: the count (-1 for null) then each entry.
     *
     * @param out  the writer
     * @param acls the ACLs, or null
     */
    public static void writeAclVector(JuteOutput out, List<ACL> acls) {
        if (acls == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(acls.size());
        for (ACL acl : acls) {
            acl.write(out);
        }
    }
}

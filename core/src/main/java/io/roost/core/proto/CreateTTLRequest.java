package io.roost.core.proto;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Body of a createTTL request.
 *
 * @param path the node path
 * @param data the node's data, may be null
 * @param acl the node's ACL
 * @param flags the {@link CreateMode} flag
 * @param ttl the time to live in milliseconds
 */
public record CreateTTLRequest(String path, byte[] data, List<ACL> acl, int flags, long ttl) implements Record {

    /**
     * Reads one {@code CreateTTLRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static CreateTTLRequest read(JuteInput in) {
        String path = in.readString();
        byte[] data = in.readBuffer();
        List<ACL> acl = ACL.readAclVector(in);
        int flags = in.readInt();
        long ttl = in.readLong();
        return new CreateTTLRequest(path, data, acl, flags, ttl);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBuffer(data);
        ACL.writeAclVector(out, acl);
        out.writeInt(flags);
        out.writeLong(ttl);
    }

    /** Compares all fields, byte arrays by content. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CreateTTLRequest other)) {
            return false;
        }
        return Objects.equals(path, other.path)
                && Arrays.equals(data, other.data)
                && Objects.equals(acl, other.acl)
                && flags == other.flags
                && ttl == other.ttl;
    }

    /** Hashes all fields, byte arrays by content. */
    @Override
    public int hashCode() {
        int h = 0;
        h = 31 * h + Objects.hashCode(path);
        h = 31 * h + Arrays.hashCode(data);
        h = 31 * h + Objects.hashCode(acl);
        h = 31 * h + flags;
        h = 31 * h + Long.hashCode(ttl);
        return h;
    }

    /** Shows all fields; byte arrays as length and hex. */
    @Override
    public String toString() {
        return "CreateTTLRequest[path=" + path
                + ", data=" + Bytes.hex(data)
                + ", acl=" + acl
                + ", flags=" + flags
                + ", ttl=" + ttl + "]";
    }
}

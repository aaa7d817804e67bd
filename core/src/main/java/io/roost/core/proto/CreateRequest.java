package io.roost.core.proto;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Body of create, create2 and createContainer requests.
 *
 * @param path the node path
 * @param data the node's data, may be null
 * @param acl the node's ACL
 * @param flags the {@link CreateMode} flag
 */
public record CreateRequest(String path, byte[] data, List<ACL> acl, int flags) implements Record {

    /**
     * Reads one {@code CreateRequest} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static CreateRequest read(JuteInput in) {
        String path = in.readString();
        byte[] data = in.readBuffer();
        List<ACL> acl = ACL.readAclVector(in);
        int flags = in.readInt();
        return new CreateRequest(path, data, acl, flags);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBuffer(data);
        ACL.writeAclVector(out, acl);
        out.writeInt(flags);
    }

    /** Compares all fields, byte arrays by content. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CreateRequest other)) {
            return false;
        }
        return Objects.equals(path, other.path)
                && Arrays.equals(data, other.data)
                && Objects.equals(acl, other.acl)
                && flags == other.flags;
    }

    /** Hashes all fields, byte arrays by content. */
    @Override
    public int hashCode() {
        int h = 0;
        h = 31 * h + Objects.hashCode(path);
        h = 31 * h + Arrays.hashCode(data);
        h = 31 * h + Objects.hashCode(acl);
        h = 31 * h + flags;
        return h;
    }

    /** Shows all fields; byte arrays as length and hex. */
    @Override
    public String toString() {
        return "CreateRequest[path=" + path
                + ", data=" + Bytes.hex(data)
                + ", acl=" + acl
                + ", flags=" + flags + "]";
    }
}

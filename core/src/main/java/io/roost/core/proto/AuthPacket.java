package io.roost.core.proto;

import java.util.Arrays;
import java.util.Objects;

/**
 * An addAuth request, sent with xid -4.
 *
 * @param type unused by ZooKeeper, always 0
 * @param scheme the auth scheme, e.g. "digest"
 * @param auth the credentials, e.g. "user:password" in UTF-8
 */
public record AuthPacket(int type, String scheme, byte[] auth) implements Record {

    /**
     * Reads one {@code AuthPacket} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static AuthPacket read(JuteInput in) {
        int type = in.readInt();
        String scheme = in.readString();
        byte[] auth = in.readBuffer();
        return new AuthPacket(type, scheme, auth);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(type);
        out.writeString(scheme);
        out.writeBuffer(auth);
    }

    /** Compares all fields, byte arrays by content. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AuthPacket other)) {
            return false;
        }
        return type == other.type
                && Objects.equals(scheme, other.scheme)
                && Arrays.equals(auth, other.auth);
    }

    /** Hashes all fields, byte arrays by content. */
    @Override
    public int hashCode() {
        int h = 0;
        h = 31 * h + type;
        h = 31 * h + Objects.hashCode(scheme);
        h = 31 * h + Arrays.hashCode(auth);
        return h;
    }

    /** Shows all fields; byte arrays as length and hex, credentials redacted. */
    @Override
    public String toString() {
        return "AuthPacket[type=" + type
                + ", scheme=" + scheme
                + ", auth=" + Bytes.redacted(auth) + "]";
    }
}

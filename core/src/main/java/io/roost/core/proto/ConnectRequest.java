package io.roost.core.proto;

import java.util.Arrays;

/**
 * The client's first frame (sent without a RequestHeader).
 *
 * <p>Old clients omit the trailing {@code readOnly} byte; {@code readOnlyPresent} records whether it was
 * on the wire so the server can mirror the client in its {@link ConnectResponse}.
 *
 * @param protocolVersion always 0
 * @param lastZxidSeen    the last zxid the client saw (0 for a new client)
 * @param timeOut         the session timeout the client asks for, in milliseconds
 * @param sessionId       the session to resume, or 0 for a new session
 * @param passwd          the session password when resuming (16 bytes), else zero bytes
 * @param readOnly        whether the client accepts a read-only server
 * @param readOnlyPresent whether the {@code readOnly} byte is on the wire
 */
public record ConnectRequest(int protocolVersion, long lastZxidSeen, int timeOut, long sessionId,
                             byte[] passwd, boolean readOnly, boolean readOnlyPresent) implements Record {

    /**
     * Reads a ConnectRequest; if the input ends before the {@code readOnly} byte, both
     * {@code readOnly} and {@code readOnlyPresent} are false.
     *
     * @param in the whole first frame
     * @return the request
     * @throws ProtocolException if the input is malformed or truncated before {@code readOnly}
     */
    public static ConnectRequest read(JuteInput in) {
        int protocolVersion = in.readInt();
        long lastZxidSeen = in.readLong();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        boolean present = in.remaining() > 0;
        boolean readOnly = present && in.readBool();
        return new ConnectRequest(protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly, present);
    }

    /** Writes the fields in wire order; the {@code readOnly} byte only when {@code readOnlyPresent}. */
    @Override
    public void write(JuteOutput out) {
        out.writeInt(protocolVersion);
        out.writeLong(lastZxidSeen);
        out.writeInt(timeOut);
        out.writeLong(sessionId);
        out.writeBuffer(passwd);
        if (readOnlyPresent) {
            out.writeBool(readOnly);
        }
    }

    /** Compares all fields, the password by content. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ConnectRequest other)) {
            return false;
        }
        return protocolVersion == other.protocolVersion
                && lastZxidSeen == other.lastZxidSeen
                && timeOut == other.timeOut
                && sessionId == other.sessionId
                && Arrays.equals(passwd, other.passwd)
                && readOnly == other.readOnly
                && readOnlyPresent == other.readOnlyPresent;
    }

    /** Hashes all fields, the password by content. */
    @Override
    public int hashCode() {
        int h = protocolVersion;
        h = 31 * h + Long.hashCode(lastZxidSeen);
        h = 31 * h + timeOut;
        h = 31 * h + Long.hashCode(sessionId);
        h = 31 * h + Arrays.hashCode(passwd);
        h = 31 * h + Boolean.hashCode(readOnly);
        h = 31 * h + Boolean.hashCode(readOnlyPresent);
        return h;
    }

    /** Shows all fields with the password redacted. */
    @Override
    public String toString() {
        return "ConnectRequest[protocolVersion=" + protocolVersion
                + ", lastZxidSeen=0x" + Long.toHexString(lastZxidSeen)
                + ", timeOut=" + timeOut
                + ", sessionId=0x" + Long.toHexString(sessionId)
                + ", passwd=" + Bytes.redacted(passwd)
                + ", readOnly=" + (readOnlyPresent ? String.valueOf(readOnly) : "absent") + "]";
    }
}

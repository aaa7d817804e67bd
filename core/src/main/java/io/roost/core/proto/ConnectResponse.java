package io.roost.core.proto;

import java.util.Arrays;

/**
 * The server's first frame (sent without a ReplyHeader).
 *
 * <p>The trailing {@code readOnly} byte is written only when {@code readOnlyPresent}, which the server
 * sets to mirror the client's {@link ConnectRequest}.
 *
 * @param protocolVersion always 0
 * @param timeOut         the negotiated session timeout in milliseconds (0 refuses the session)
 * @param sessionId       the session id (0 refuses the session)
 * @param passwd          the session password, 16 bytes
 * @param readOnly        whether this server is read-only
 * @param readOnlyPresent whether the {@code readOnly} byte is on the wire
 */
public record ConnectResponse(int protocolVersion, int timeOut, long sessionId, byte[] passwd,
                              boolean readOnly, boolean readOnlyPresent) implements Record {

    /**
     * Reads a ConnectResponse; if the input ends before the {@code readOnly} byte, both
     * {@code readOnly} and {@code readOnlyPresent} are false.
     *
     * @param in the whole first frame
     * @return the response
     * @throws ProtocolException if the input is malformed or truncated before {@code readOnly}
     */
    public static ConnectResponse read(JuteInput in) {
        int protocolVersion = in.readInt();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        boolean present = in.remaining() > 0;
        boolean readOnly = present && in.readBool();
        return new ConnectResponse(protocolVersion, timeOut, sessionId, passwd, readOnly, present);
    }

    /** Writes the fields in wire order; the {@code readOnly} byte only when {@code readOnlyPresent}. */
    @Override
    public void write(JuteOutput out) {
        out.writeInt(protocolVersion);
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
        if (!(o instanceof ConnectResponse other)) {
            return false;
        }
        return protocolVersion == other.protocolVersion
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
        return "ConnectResponse[protocolVersion=" + protocolVersion
                + ", timeOut=" + timeOut
                + ", sessionId=0x" + Long.toHexString(sessionId)
                + ", passwd=" + Bytes.redacted(passwd)
                + ", readOnly=" + (readOnlyPresent ? String.valueOf(readOnly) : "absent") + "]";
    }
}

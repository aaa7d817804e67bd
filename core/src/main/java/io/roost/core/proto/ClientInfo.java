package io.roost.core.proto;

import java.util.List;

/**
 * One identity of a session, as listed by whoAmI.
 *
 * @param authScheme the auth scheme, e.g. "ip" or "digest"
 * @param user the id within that scheme
 */
public record ClientInfo(String authScheme, String user) implements Record {

    /**
     * Reads one {@code ClientInfo} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static ClientInfo read(JuteInput in) {
        String authScheme = in.readString();
        String user = in.readString();
        return new ClientInfo(authScheme, user);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(authScheme);
        out.writeString(user);
    }

    /**
     * Reads a vector of ClientInfo: an int count (-1 means null) then the entries.
     *
     * @param in the input positioned at the count
     * @return a mutable list, or null
     * @throws ProtocolException if the count is impossible or an entry is malformed
     */
    public static List<ClientInfo> readVector(JuteInput in) {
        // Two string lengths at least.
        return in.readVector("ClientInfo vector", 8, ClientInfo::read);
    }

    /**
     * Writes a vector of ClientInfo: the count (-1 for null) then each entry.
     *
     * @param out   the writer
     * @param infos the entries, or null
     */
    public static void writeVector(JuteOutput out, List<ClientInfo> infos) {
        if (infos == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(infos.size());
        for (ClientInfo info : infos) {
            info.write(out);
        }
    }
}

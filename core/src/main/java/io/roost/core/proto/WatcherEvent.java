package io.roost.core.proto;

/**
 * A watch notification, sent after a ReplyHeader with xid -1.
 *
 * @param type the {@link EventType}
 * @param state the {@link KeeperState}
 * @param path the node the event is about
 */
public record WatcherEvent(int type, int state, String path) implements Record {

    /**
     * Reads one {@code WatcherEvent} in wire order.
     *
     * @param in the input positioned at the record
     * @return the record
     * @throws ProtocolException if the input is malformed or truncated
     */
    public static WatcherEvent read(JuteInput in) {
        int type = in.readInt();
        int state = in.readInt();
        String path = in.readString();
        return new WatcherEvent(type, state, path);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(type);
        out.writeInt(state);
        out.writeString(path);
    }
}

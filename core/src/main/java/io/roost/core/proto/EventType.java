package io.roost.core.proto;

/** Watch event types, as carried in {@link WatcherEvent#type()}. */
public final class EventType {

    /** A session state change, not a node event. */
    public static final int NONE = -1;
    /** The watched node was created. */
    public static final int NODE_CREATED = 1;
    /** The watched node was deleted. */
    public static final int NODE_DELETED = 2;
    /** The watched node's data changed. */
    public static final int NODE_DATA_CHANGED = 3;
    /** The watched node's child list changed. */
    public static final int NODE_CHILDREN_CHANGED = 4;
    /** A data watch was removed. */
    public static final int DATA_WATCH_REMOVED = 5;
    /** A child watch was removed. */
    public static final int CHILD_WATCH_REMOVED = 6;
    /** A persistent watch was removed. */
    public static final int PERSISTENT_WATCH_REMOVED = 7;

    private EventType() {
    }
}

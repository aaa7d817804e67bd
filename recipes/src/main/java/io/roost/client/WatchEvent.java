package io.roost.client;

/**
 * A change a watch reported.
 *
 * @param type what happened
 * @param path the node it happened to, relative to the client's namespace
 */
public record WatchEvent(Type type, String path) {

  /** What happened to the node. */
  public enum Type {
    /** The node was created. */
    NODE_CREATED(1),
    /** The node was deleted. */
    NODE_DELETED(2),
    /** The node's data changed. */
    NODE_DATA_CHANGED(3),
    /** The node's child list changed. */
    NODE_CHILDREN_CHANGED(4),
    /** A data watch was removed. */
    DATA_WATCH_REMOVED(5),
    /** A child watch was removed. */
    CHILD_WATCH_REMOVED(6),
    /** A persistent watch was removed. */
    PERSISTENT_WATCH_REMOVED(7);

    private final int code;

    Type(int code) {
      this.code = code;
    }

    /** The wire code. */
    public int code() {
      return code;
    }

    /** The type with wire code {@code code}, or null for an unknown one. */
    static Type of(int code) {
      for (Type t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      return null;
    }
  }
}

package io.roost.core.proto;

/** Modes of an addWatch request. */
public final class AddWatchMode {

    /** A watch on one node that stays until removed. */
    public static final int PERSISTENT = 0;
    /** A watch on a node and all its descendants that stays until removed. */
    public static final int PERSISTENT_RECURSIVE = 1;

    private AddWatchMode() {
    }
}

package io.roost.core.proto;

/** Watch kinds named by checkWatches and removeWatches requests. */
public final class WatcherType {

    /** Child watches. */
    public static final int CHILDREN = 1;
    /** Data (and exists) watches. */
    public static final int DATA = 2;
    /** Any kind of watch. */
    public static final int ANY = 3;
    /** Persistent watches. */
    public static final int PERSISTENT = 4;
    /** Persistent recursive watches. */
    public static final int PERSISTENT_RECURSIVE = 5;

    private WatcherType() {
    }
}

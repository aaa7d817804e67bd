package io.roost.core.proto;

/** Node kinds selected by the {@code flags} of a create request. */
public enum CreateMode {
    /** A plain node that stays until deleted. */
    PERSISTENT(0, false, false, false, false),
    /** A node deleted when its creator's session ends. */
    EPHEMERAL(1, true, false, false, false),
    /** A persistent node whose name gets a sequence suffix. */
    PERSISTENT_SEQUENTIAL(2, false, true, false, false),
    /** An ephemeral node whose name gets a sequence suffix. */
    EPHEMERAL_SEQUENTIAL(3, true, true, false, false),
    /** A node deleted once its last child is gone. */
    CONTAINER(4, false, false, true, false),
    /** A persistent node deleted when unmodified and childless for its TTL. */
    PERSISTENT_WITH_TTL(5, false, false, false, true),
    /** A sequential persistent node with a TTL. */
    PERSISTENT_SEQUENTIAL_WITH_TTL(6, false, true, false, true);

    private static final CreateMode[] BY_FLAG = values();

    private final int flag;
    private final boolean ephemeral;
    private final boolean sequential;
    private final boolean container;
    private final boolean ttl;

    CreateMode(int flag, boolean ephemeral, boolean sequential, boolean container, boolean ttl) {
        this.flag = flag;
        this.ephemeral = ephemeral;
        this.sequential = sequential;
        this.container = container;
        this.ttl = ttl;
    }

    /**
     * Returns the wire flag value.
     *
     * @return the flag
     */
    public int flag() {
        return flag;
    }

    /**
     * Tells whether the node ends with its creator's session.
     *
     * @return true for ephemeral modes
     */
    public boolean isEphemeral() {
        return ephemeral;
    }

    /**
     * Tells whether the node name gets a sequence suffix.
     *
     * @return true for sequential modes
     */
    public boolean isSequential() {
        return sequential;
    }

    /**
     * Tells whether the node is a container.
     *
     * @return true for {@link #CONTAINER}
     */
    public boolean isContainer() {
        return container;
    }

    /**
     * Tells whether the node has a time to live.
     *
     * @return true for the TTL modes
     */
    public boolean isTtl() {
        return ttl;
    }

    /**
     * Looks up a mode by its wire flag.
     *
     * @param flag the flags field of a create request
     * @return the matching mode
     * @throws IllegalArgumentException if the flag is not 0-6 (callers answer BadArguments)
     */
    public static CreateMode fromFlag(int flag) {
        // values() are declared in flag order, so the flag is the index.
        if (flag < 0 || flag >= BY_FLAG.length) {
            throw new IllegalArgumentException("unknown create mode flag " + flag + " (expected 0-6)");
        }
        return BY_FLAG[flag];
    }
}

package io.roost.core.state;

import java.util.List;

/**
 * A consistent copy of the replicated state at one zxid: what a snapshot file stores and what a
 * follower receives as SNAP. Nodes come in no particular order. Data arrays are shared with the live
 * tree, which is safe because the tree replaces arrays and never writes into them.
 *
 * @param lastZxid zxid of the last transaction the image includes
 * @param digest the tree digest at that zxid, checked when the image is restored
 * @param sessions open sessions
 * @param nodes every node, the root and system nodes included
 */
public record StateImage(long lastZxid, long digest, List<SessionInfo> sessions,
    List<NodeImage> nodes) {}

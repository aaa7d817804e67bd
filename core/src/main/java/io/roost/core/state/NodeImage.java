package io.roost.core.state;

import io.roost.core.proto.ACL;
import java.util.List;

/**
 * One node as a snapshot holds it: everything replicated about the node except its children,
 * which follow from the paths.
 */
public record NodeImage(String path, byte[] data, List<ACL> acl, long czxid, long mzxid,
    long ctime, long mtime, int version, int cversion, int aversion, long ephemeralOwner,
    long pzxid) {}

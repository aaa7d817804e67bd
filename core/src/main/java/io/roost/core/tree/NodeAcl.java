package io.roost.core.tree;

import io.roost.core.proto.ACL;
import java.util.List;

/**
 * A node's ACL with its version. Kept together and shared between nodes through the tree's cache
 * ({@link DataTree}), so the common case (thousands of nodes with the same ACL, never changed)
 * costs each node one reference and no int of its own.
 *
 * @param acl the ACL entries (an unmodifiable list)
 * @param aversion the ACL version
 */
record NodeAcl(List<ACL> acl, int aversion) {}

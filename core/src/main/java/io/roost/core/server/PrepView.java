package io.roost.core.server;

import io.roost.core.proto.ACL;
import io.roost.core.tree.DataNode;
import io.roost.core.tree.DataTree;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree as the prepare step must see it: the applied tree overlaid with changes that are
 * prepared but not applied yet (earlier ops of the same multi). Discarded when the multi fails.
 */
final class PrepView {
  /** What prepare needs to know about one node. {@code exists=false} marks a pending delete. */
  record NodeState(boolean exists, int version, int cversion, int aversion, long ephemeralOwner,
      List<ACL> acl, int numChildren) {
    static final NodeState ABSENT = new NodeState(false, 0, 0, 0, 0, List.of(), 0);
  }

  private final DataTree tree;
  private final Map<String, NodeState> changes = new HashMap<>();

  PrepView(DataTree tree) {
    this.tree = tree;
  }

  /** The node's state, or null when it does not exist. */
  NodeState get(String path) {
    NodeState changed = changes.get(path);
    if (changed != null) {
      return changed.exists ? changed : null;
    }
    DataNode node = tree.get(path);
    if (node == null) {
      return null;
    }
    return new NodeState(true, node.version(), node.cversion(), node.aversion(),
        node.ephemeralOwner(), node.acl(), node.children().size());
  }

  void created(String path, String parent, long owner, List<ACL> acl) {
    changes.put(path, new NodeState(true, 0, 0, 0, owner, acl, 0));
    NodeState p = get(parent);
    changes.put(parent, new NodeState(true, p.version, p.cversion + 1, p.aversion,
        p.ephemeralOwner, p.acl, p.numChildren + 1));
  }

  void deleted(String path, String parent) {
    changes.put(path, NodeState.ABSENT);
    NodeState p = get(parent);
    changes.put(parent, new NodeState(true, p.version, p.cversion + 1, p.aversion,
        p.ephemeralOwner, p.acl, p.numChildren - 1));
  }

  void dataSet(String path, int version) {
    NodeState n = get(path);
    changes.put(path, new NodeState(true, version, n.cversion, n.aversion, n.ephemeralOwner,
        n.acl, n.numChildren));
  }

  void aclSet(String path, int aversion, List<ACL> acl) {
    NodeState n = get(path);
    changes.put(path, new NodeState(true, n.version, n.cversion, aversion, n.ephemeralOwner,
        acl, n.numChildren));
  }
}

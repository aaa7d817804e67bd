package io.roost.core.server;

import io.roost.core.proto.ACL;
import io.roost.core.tree.DataNode;
import io.roost.core.tree.DataTree;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tree as the prepare step must see it: the applied tree overlaid with every change that is
 * prepared but not applied yet. There is one root view per server, holding the outstanding
 * transactions (proposed, waiting for commit); each request prepares into a scratch view on top
 * of it, which is published under the request's zxid when it succeeds and dropped when it fails,
 * so a failed multi leaves no trace. When a transaction is applied its changes leave the overlay.
 */
final class PrepView {
  /** What prepare needs to know about one node. {@code exists=false} marks a pending delete. */
  record NodeState(boolean exists, int version, int cversion, int aversion, long ephemeralOwner,
      List<ACL> acl, int numChildren) {
    static final NodeState ABSENT = new NodeState(false, 0, 0, 0, 0, List.of(), 0);
  }

  private record Batch(long zxid, Set<String> paths) {}

  private final DataTree tree;
  private final PrepView parent;
  private final Map<String, NodeState> changes = new HashMap<>();
  /** Root only: zxid of the latest outstanding change per path, and the batches in zxid order. */
  private final Map<String, Long> changeZxid;
  private final ArrayDeque<Batch> batches;

  private PrepView(DataTree tree, PrepView parent) {
    this.tree = tree;
    this.parent = parent;
    this.changeZxid = parent == null ? new HashMap<>() : null;
    this.batches = parent == null ? new ArrayDeque<>() : null;
  }

  /** The root view over a tree: no outstanding changes yet. */
  static PrepView over(DataTree tree) {
    return new PrepView(tree, null);
  }

  /** A scratch view for preparing one request on top of this one. */
  PrepView scratch() {
    return new PrepView(tree, this);
  }

  /** The node's state, or null when it does not exist. */
  NodeState get(String path) {
    NodeState changed = changes.get(path);
    if (changed != null) {
      return changed.exists ? changed : null;
    }
    if (parent != null) {
      return parent.get(path);
    }
    DataNode node = tree.get(path);
    if (node == null) {
      return null;
    }
    return new NodeState(true, node.version(), node.cversion(), node.aversion(),
        node.ephemeralOwner(), node.acl(), node.childCount());
  }

  /**
   * The ephemerals a session will own once everything outstanding is applied, sorted: what its
   * close must delete.
   */
  Set<String> ephemeralsOf(long sessionId) {
    Set<String> out = new TreeSet<>(tree.ephemeralsOf(sessionId));
    collectEphemeralChanges(sessionId, out);
    return out;
  }

  private void collectEphemeralChanges(long sessionId, Set<String> out) {
    if (parent != null) {
      parent.collectEphemeralChanges(sessionId, out);
    }
    for (Map.Entry<String, NodeState> e : changes.entrySet()) {
      if (!e.getValue().exists()) {
        out.remove(e.getKey());
      } else if (e.getValue().ephemeralOwner() == sessionId) {
        out.add(e.getKey());
      }
    }
  }

  /** Makes a scratch view's changes outstanding in its parent under {@code zxid}. */
  void publish(long zxid) {
    if (parent == null) {
      throw new IllegalStateException("only a scratch view is published");
    }
    parent.record(changes, zxid);
  }

  private void record(Map<String, NodeState> published, long zxid) {
    if (published.isEmpty()) {
      return;
    }
    changes.putAll(published);
    for (String path : published.keySet()) {
      changeZxid.put(path, zxid);
    }
    batches.add(new Batch(zxid, Set.copyOf(published.keySet())));
  }

  /** Forgets the outstanding changes of every transaction up to {@code zxid}: they are applied. */
  void applied(long zxid) {
    while (!batches.isEmpty() && batches.peek().zxid() <= zxid) {
      Batch b = batches.poll();
      for (String path : b.paths()) {
        Long latest = changeZxid.get(path);
        if (latest != null && latest == b.zxid()) {
          changeZxid.remove(path);
          changes.remove(path);
        }
      }
    }
  }

  /** Number of outstanding transactions with changes (root view). */
  int outstandingCount() {
    return batches == null ? 0 : batches.size();
  }

  void created(String path, String parentPath, long owner, List<ACL> acl) {
    changes.put(path, new NodeState(true, 0, 0, 0, owner, acl, 0));
    NodeState p = get(parentPath);
    changes.put(parentPath, new NodeState(true, p.version, p.cversion + 1, p.aversion,
        p.ephemeralOwner, p.acl, p.numChildren + 1));
  }

  void deleted(String path, String parentPath) {
    changes.put(path, NodeState.ABSENT);
    NodeState p = get(parentPath);
    changes.put(parentPath, new NodeState(true, p.version, p.cversion + 1, p.aversion,
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

package io.roost.core.tree;

import io.roost.core.proto.ACL;
import io.roost.core.proto.EventType;
import io.roost.core.proto.Id;
import io.roost.core.proto.Perms;
import io.roost.core.proto.Stat;
import io.roost.core.state.NodeImage;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The tree of nodes: lookups for readers and the primitive mutations transactions are made of.
 *
 * <p>Single-threaded: only the thread that applies transactions touches it. Mutations assume the
 * prepare step already validated them (parent exists, node absent, versions); a violation means the
 * replicas have diverged and is reported as {@link IllegalStateException}. Keeps a running digest
 * (sum of per-node hashes) so replicas can be compared at any zxid.
 */
public final class DataTree {
  /** The reserved system subtree. */
  public static final String SYSTEM_ROOT = "/zookeeper";
  /** Quota node (reserved). */
  public static final String QUOTA_NODE = "/zookeeper/quota";
  /** Configuration node (reserved). */
  public static final String CONFIG_NODE = "/zookeeper/config";

  private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));
  private static final List<ACL> READ_ONLY = List.of(new ACL(Perms.READ, new Id("world", "anyone")));

  /** ACL lists in use, each kept once however many nodes carry it (as ZooKeeper's ACL cache). */
  private final Map<NodeAcl, WeakReference<NodeAcl>> acls = new WeakHashMap<>();
  private DataNode root;
  private int nodeCount;
  private final Map<Long, Set<String>> ephemerals = new HashMap<>();
  private final Set<String> containers = new HashSet<>();
  private final Set<String> ttlNodes = new HashSet<>();
  private long digest;

  /** A tree holding the root and the reserved /zookeeper nodes. */
  public DataTree() {
    root = DataNode.of("/", null, 0, shared(OPEN, 0), 0, 0, 0);
    nodeCount = 1;
    digest = root.hash("/");
    addSystemNode(SYSTEM_ROOT, OPEN);
    addSystemNode(QUOTA_NODE, OPEN);
    addSystemNode(CONFIG_NODE, READ_ONLY);
  }

  private void addSystemNode(String path, List<ACL> acl) {
    DataNode node = DataNode.of(path, null, 0, shared(acl, 0), 0, 0, 0);
    String parentPath = PathNames.parent(path);
    DataNode parent = get(parentPath);
    parent.addChild(node);
    nodeCount++;
    digest += node.hash(path);
  }

  /**
   * True for the nodes every tree is born with (the root, /zookeeper, its quota and config nodes),
   * which clients may not delete.
   */
  public static boolean isSystemNode(String path) {
    return path.equals("/") || path.equals(SYSTEM_ROOT) || path.equals(QUOTA_NODE)
        || path.equals(CONFIG_NODE);
  }

  /**
   * Copies every node (parents before their children). Runs on the applying thread; the copy is
   * then safe to hand to another thread. Costs one small record, one path string and a copy of
   * the data per node (a node keeps its name and data in one array); ACL lists are shared, which
   * is safe because the tree replaces them and never writes into them.
   */
  public List<NodeImage> image() {
    List<NodeImage> out = new ArrayList<>(nodeCount);
    ArrayDeque<DataNode> nodes = new ArrayDeque<>();
    ArrayDeque<String> paths = new ArrayDeque<>();
    nodes.push(root);
    paths.push("/");
    while (!nodes.isEmpty()) {
      DataNode n = nodes.pop();
      String path = paths.pop();
      out.add(new NodeImage(path, n.data(), n.acl(), n.czxid, n.mzxid, n.ctime, n.mtime,
          n.version(), n.cversion(), n.aversion(), n.ephemeralOwner(), n.pzxid()));
      if (n.children != null) {
        n.children.forEach(c -> {
          nodes.push(c);
          paths.push(PathNames.child(path, c.name()));
        });
      }
    }
    return out;
  }

  /**
   * Rebuilds a tree from an image (nodes in any order).
   *
   * @throws IllegalStateException if a node's parent is missing, a path repeats or there is no
   *     root
   */
  public static DataTree fromImage(List<NodeImage> images) {
    DataTree tree = new DataTree();
    tree.root = null;
    tree.nodeCount = 0;
    tree.digest = 0;
    // Only for linking: the finished tree finds nodes by walking from the root.
    Map<String, DataNode> byPath = new HashMap<>(images.size() * 4 / 3 + 1);
    for (NodeImage i : images) {
      DataNode n = DataNode.of(i.path(), i.data(), i.version(), tree.shared(i.acl(), i.aversion()),
          i.czxid(), i.ctime(), i.ephemeralOwner());
      n.mzxid = i.mzxid();
      n.mtime = i.mtime();
      n.setChildStamp(i.cversion(), i.pzxid());
      if (byPath.putIfAbsent(i.path(), n) != null) {
        throw new IllegalStateException("image lists " + i.path() + " twice");
      }
      tree.nodeCount++;
      tree.digest += n.hash(i.path());
      tree.index(i.path(), n);
    }
    // Children are not part of a node's hash, so linking them changes no digest.
    for (Map.Entry<String, DataNode> e : byPath.entrySet()) {
      String parentPath = PathNames.parent(e.getKey());
      if (parentPath == null) {
        tree.root = e.getValue();
        continue;
      }
      DataNode parent = byPath.get(parentPath);
      if (parent == null) {
        throw new IllegalStateException("image has " + e.getKey() + " but not its parent");
      }
      parent.addChild(e.getValue());
    }
    if (tree.root == null) {
      throw new IllegalStateException("image has no root");
    }
    return tree;
  }

  /**
   * Replaces this tree's whole content with {@code other}'s, in place, so that everything holding
   * this tree sees the new content (a follower installing a leader's snapshot). {@code other} must
   * not be used afterwards.
   */
  public void replaceWith(DataTree other) {
    root = other.root;
    nodeCount = other.nodeCount;
    acls.clear();
    acls.putAll(other.acls);
    ephemerals.clear();
    ephemerals.putAll(other.ephemerals);
    containers.clear();
    containers.addAll(other.containers);
    ttlNodes.clear();
    ttlNodes.addAll(other.ttlNodes);
    digest = other.digest;
  }

  /**
   * The tree's one copy of this ACL at this version. Weakly held: an ACL no node uses any more
   * leaves the cache with the next collection.
   */
  private NodeAcl shared(List<ACL> acl, int aversion) {
    NodeAcl wanted = new NodeAcl(List.copyOf(acl), aversion);
    WeakReference<NodeAcl> ref = acls.get(wanted);
    NodeAcl kept = ref == null ? null : ref.get();
    if (kept == null) {
      kept = wanted;
      acls.put(kept, new WeakReference<>(kept));
    }
    return kept;
  }

  private void index(String path, DataNode n) {
    long owner = n.ephemeralOwner();
    if (NodeKinds.isContainer(owner)) {
      containers.add(path);
    } else if (NodeKinds.isTtl(owner)) {
      ttlNodes.add(path);
    } else if (owner != 0) {
      ephemerals.computeIfAbsent(owner, k -> new HashSet<>()).add(path);
    }
  }

  /**
   * The node at {@code path}, or null. Walks from the root one segment at a time (no per-node
   * path index: that cost a string and a map entry per node).
   */
  public DataNode get(String path) {
    if (path.isEmpty() || path.charAt(0) != '/') {
      return null;
    }
    int end = path.length();
    if (end > 1 && path.charAt(end - 1) == '/') {
      return null; // a trailing '/' names no node
    }
    DataNode node = root;
    int from = 1;
    while (from < end) {
      int to = path.indexOf('/', from);
      if (to < 0) {
        to = end;
      }
      node = node.child(path, from, to);
      if (node == null) {
        return null;
      }
      from = to + 1;
    }
    return node;
  }

  /** Number of nodes, the root and reserved nodes included. */
  public int nodeCount() {
    return nodeCount;
  }

  /** Running digest of the whole tree. Equal trees have equal digests. */
  public long digest() {
    return digest;
  }

  /** Paths of the ephemerals a session owns (live view, empty if none). */
  public Set<String> ephemeralsOf(long sessionId) {
    Set<String> paths = ephemerals.get(sessionId);
    return paths == null ? Collections.emptySet() : Collections.unmodifiableSet(paths);
  }

  /** Session ids that own at least one ephemeral. */
  public Set<Long> sessionsWithEphemerals() {
    return Collections.unmodifiableSet(ephemerals.keySet());
  }

  /** Total number of ephemeral nodes. */
  public int ephemeralCount() {
    int n = 0;
    for (Set<String> s : ephemerals.values()) {
      n += s.size();
    }
    return n;
  }

  /** Paths of container nodes (live view). */
  public Set<String> containers() {
    return Collections.unmodifiableSet(containers);
  }

  /** Paths of TTL nodes (live view). */
  public Set<String> ttlNodes() {
    return Collections.unmodifiableSet(ttlNodes);
  }

  /** Number of nodes below {@code path}, not counting {@code path} itself. */
  public int descendantCount(String path) {
    DataNode top = get(path);
    if (top == null) {
      return 0;
    }
    if (top == root) {
      return nodeCount - 1; // every node but the root, without walking a million of them
    }
    int[] count = {0};
    ArrayDeque<DataNode> pending = new ArrayDeque<>();
    pending.push(top);
    while (!pending.isEmpty()) {
      DataNode current = pending.pop();
      if (current.children != null) {
        current.children.forEach(c -> {
          count[0]++;
          pending.push(c);
        });
      }
    }
    return count[0];
  }

  /** Creates a node and links it under its parent. */
  public DataNode create(String path, byte[] data, List<ACL> acl, long ephemeralOwner,
      int parentCversion, long zxid, long time, ChangeSink sink) {
    String parentPath = PathNames.parent(path);
    DataNode parent = parentPath == null ? null : get(parentPath);
    if (parent == null) {
      throw new IllegalStateException("create " + path + ": parent missing at zxid 0x"
          + Long.toHexString(zxid));
    }
    if (parent.child(path, parentPath.length() == 1 ? 1 : parentPath.length() + 1,
        path.length()) != null) {
      throw new IllegalStateException("create " + path + ": node exists at zxid 0x"
          + Long.toHexString(zxid));
    }
    DataNode node = DataNode.of(path, data, 0, shared(acl, 0), zxid, time, ephemeralOwner);
    digest -= parent.hash(parentPath);
    parent.addChild(node);
    parent.setChildStamp(parentCversion, zxid);
    digest += parent.hash(parentPath);
    nodeCount++;
    digest += node.hash(path);
    index(path, node);
    sink.changed(path, EventType.NODE_CREATED);
    sink.changed(parentPath, EventType.NODE_CHILDREN_CHANGED);
    return node;
  }

  /** Deletes a childless node and unlinks it from its parent. */
  public void delete(String path, long zxid, ChangeSink sink) {
    String parentPath = PathNames.parent(path);
    DataNode parent = parentPath == null ? null : get(parentPath);
    DataNode node = parent == null ? null
        : parent.child(path, parentPath.length() == 1 ? 1 : parentPath.length() + 1,
            path.length());
    if (node == null) {
      throw new IllegalStateException("delete " + path + ": no node at zxid 0x"
          + Long.toHexString(zxid));
    }
    if (node.childCount() != 0) {
      throw new IllegalStateException("delete " + path + ": has children at zxid 0x"
          + Long.toHexString(zxid));
    }
    digest -= node.hash(path);
    nodeCount--;
    digest -= parent.hash(parentPath);
    parent.removeChild(node);
    parent.setChildStamp(parent.cversion() + 1, zxid);
    digest += parent.hash(parentPath);
    long owner = node.ephemeralOwner();
    if (NodeKinds.isContainer(owner)) {
      containers.remove(path);
    } else if (NodeKinds.isTtl(owner)) {
      ttlNodes.remove(path);
    } else if (owner != 0) {
      Set<String> owned = ephemerals.get(owner);
      if (owned != null) {
        owned.remove(path);
        if (owned.isEmpty()) {
          ephemerals.remove(owner);
        }
      }
    }
    sink.changed(path, EventType.NODE_DELETED);
    sink.changed(parentPath, EventType.NODE_CHILDREN_CHANGED);
  }

  /** Replaces a node's data and sets its version. */
  public Stat setData(String path, byte[] data, int version, long zxid, long time,
      ChangeSink sink) {
    DataNode node = require(path, "setData", zxid);
    digest -= node.hash(path);
    node.setData(data, version);
    node.mzxid = zxid;
    node.mtime = time;
    digest += node.hash(path);
    sink.changed(path, EventType.NODE_DATA_CHANGED);
    return node.stat();
  }

  /** Replaces a node's ACL and sets its ACL version. */
  public Stat setAcl(String path, List<ACL> acl, int aversion, long zxid) {
    DataNode node = require(path, "setACL", zxid);
    digest -= node.hash(path);
    node.acl = shared(acl, aversion);
    digest += node.hash(path);
    return node.stat();
  }

  private DataNode require(String path, String what, long zxid) {
    DataNode node = get(path);
    if (node == null) {
      throw new IllegalStateException(what + " " + path + ": no node at zxid 0x"
          + Long.toHexString(zxid));
    }
    return node;
  }
}

package io.roost.core.tree;

import io.roost.core.proto.ACL;
import io.roost.core.proto.EventType;
import io.roost.core.proto.Id;
import io.roost.core.proto.Perms;
import io.roost.core.proto.Stat;
import io.roost.core.state.NodeImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  private final Map<String, DataNode> nodes = new HashMap<>();
  private final Map<Long, Set<String>> ephemerals = new HashMap<>();
  private final Set<String> containers = new HashSet<>();
  private final Set<String> ttlNodes = new HashSet<>();
  private long digest;

  /** A tree holding the root and the reserved /zookeeper nodes. */
  public DataTree() {
    DataNode root = new DataNode("/", null, OPEN, 0, 0, 0);
    put(root);
    addSystemNode(SYSTEM_ROOT, OPEN);
    addSystemNode(QUOTA_NODE, OPEN);
    addSystemNode(CONFIG_NODE, READ_ONLY);
  }

  private void addSystemNode(String path, List<ACL> acl) {
    DataNode node = new DataNode(path, null, acl, 0, 0, 0);
    DataNode parent = nodes.get(PathNames.parent(path));
    parent.addChild(PathNames.name(path));
    rehash(parent);
    put(node);
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
   * Copies every node (in no particular order). Runs on the applying thread; the copy is then safe
   * to hand to another thread. Costs one small record per node: data arrays and ACL lists are
   * shared, which is safe because the tree replaces them and never writes into them.
   */
  public List<NodeImage> image() {
    List<NodeImage> out = new ArrayList<>(nodes.size());
    for (DataNode n : nodes.values()) {
      out.add(new NodeImage(n.path, n.data, n.acl, n.czxid, n.mzxid, n.ctime, n.mtime, n.version,
          n.cversion, n.aversion, n.ephemeralOwner, n.pzxid));
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
    tree.nodes.clear();
    tree.digest = 0;
    for (NodeImage i : images) {
      DataNode n = new DataNode(i.path(), i.data(), i.acl(), i.czxid(), i.ctime(),
          i.ephemeralOwner());
      n.mzxid = i.mzxid();
      n.mtime = i.mtime();
      n.version = i.version();
      n.cversion = i.cversion();
      n.aversion = i.aversion();
      n.pzxid = i.pzxid();
      if (tree.nodes.containsKey(n.path)) {
        throw new IllegalStateException("image lists " + n.path + " twice");
      }
      tree.put(n);
      tree.index(n);
    }
    // Children are not part of a node's hash, so linking them changes no digest.
    for (DataNode n : tree.nodes.values()) {
      String parentPath = PathNames.parent(n.path);
      if (parentPath == null) {
        continue;
      }
      DataNode parent = tree.nodes.get(parentPath);
      if (parent == null) {
        throw new IllegalStateException("image has " + n.path + " but not its parent");
      }
      parent.addChild(PathNames.name(n.path));
    }
    if (!tree.nodes.containsKey("/")) {
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
    nodes.clear();
    nodes.putAll(other.nodes);
    ephemerals.clear();
    ephemerals.putAll(other.ephemerals);
    containers.clear();
    containers.addAll(other.containers);
    ttlNodes.clear();
    ttlNodes.addAll(other.ttlNodes);
    digest = other.digest;
  }

  private void index(DataNode n) {
    long owner = n.ephemeralOwner;
    if (NodeKinds.isContainer(owner)) {
      containers.add(n.path);
    } else if (NodeKinds.isTtl(owner)) {
      ttlNodes.add(n.path);
    } else if (owner != 0) {
      ephemerals.computeIfAbsent(owner, k -> new HashSet<>()).add(n.path);
    }
  }

  /** The node at {@code path}, or null. */
  public DataNode get(String path) {
    return nodes.get(path);
  }

  /** Number of nodes, the root and reserved nodes included. */
  public int nodeCount() {
    return nodes.size();
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
    if (!nodes.containsKey(path)) {
      return 0;
    }
    if (path.equals("/")) {
      return nodes.size() - 1; // every node but the root, without walking a million of them
    }
    int count = 0;
    ArrayDeque<String> pending = new ArrayDeque<>();
    pending.push(path);
    while (!pending.isEmpty()) {
      String current = pending.pop();
      for (String child : nodes.get(current).children()) {
        count++;
        pending.push(PathNames.child(current, child));
      }
    }
    return count;
  }

  /** Creates a node and links it under its parent. */
  public DataNode create(String path, byte[] data, List<ACL> acl, long ephemeralOwner,
      int parentCversion, long zxid, long time, ChangeSink sink) {
    String parentPath = PathNames.parent(path);
    DataNode parent = parentPath == null ? null : nodes.get(parentPath);
    if (parent == null) {
      throw new IllegalStateException("create " + path + ": parent missing at zxid 0x"
          + Long.toHexString(zxid));
    }
    if (nodes.containsKey(path)) {
      throw new IllegalStateException("create " + path + ": node exists at zxid 0x"
          + Long.toHexString(zxid));
    }
    DataNode node = new DataNode(path, data, acl, zxid, time, ephemeralOwner);
    put(node);
    parent.addChild(PathNames.name(path));
    parent.cversion = parentCversion;
    parent.pzxid = zxid;
    rehash(parent);
    index(node);
    sink.changed(path, EventType.NODE_CREATED);
    sink.changed(parentPath, EventType.NODE_CHILDREN_CHANGED);
    return node;
  }

  /** Deletes a childless node and unlinks it from its parent. */
  public void delete(String path, long zxid, ChangeSink sink) {
    DataNode node = nodes.get(path);
    if (node == null) {
      throw new IllegalStateException("delete " + path + ": no node at zxid 0x"
          + Long.toHexString(zxid));
    }
    if (!node.children().isEmpty()) {
      throw new IllegalStateException("delete " + path + ": has children at zxid 0x"
          + Long.toHexString(zxid));
    }
    String parentPath = PathNames.parent(path);
    DataNode parent = nodes.get(parentPath);
    nodes.remove(path);
    digest -= node.hash;
    parent.removeChild(PathNames.name(path));
    parent.cversion++;
    parent.pzxid = zxid;
    rehash(parent);
    long owner = node.ephemeralOwner;
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
    node.data = data;
    node.version = version;
    node.mzxid = zxid;
    node.mtime = time;
    rehash(node);
    sink.changed(path, EventType.NODE_DATA_CHANGED);
    return node.stat();
  }

  /** Replaces a node's ACL and sets its ACL version. */
  public Stat setAcl(String path, List<ACL> acl, int aversion, long zxid) {
    DataNode node = require(path, "setACL", zxid);
    node.acl = acl;
    node.aversion = aversion;
    rehash(node);
    return node.stat();
  }

  private DataNode require(String path, String what, long zxid) {
    DataNode node = nodes.get(path);
    if (node == null) {
      throw new IllegalStateException(what + " " + path + ": no node at zxid 0x"
          + Long.toHexString(zxid));
    }
    return node;
  }

  private void put(DataNode node) {
    node.rehash();
    nodes.put(node.path, node);
    digest += node.hash;
  }

  private void rehash(DataNode node) {
    digest -= node.hash;
    node.rehash();
    digest += node.hash;
  }
}

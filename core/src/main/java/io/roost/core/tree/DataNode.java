package io.roost.core.tree;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Stat;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One node of the tree. Owned by the single thread that applies transactions; readers on that same
 * thread see it directly and everyone else gets copies ({@link #stat()}, {@link #data()},
 * {@link #childNames()}).
 *
 * <p>Laid out for heap per node (issue 6): a 56-byte object plus one array holding the node's
 * name, data version and data together ({@link NodeBytes}); no path (the tree finds a node by walking from the root);
 * the child version and pzxid live in the {@link ChildTable}, made on the first child (a leaf that
 * never had one has cversion 0 and pzxid = czxid); the ACL and its version are the tree's shared
 * {@link NodeAcl}; the
 * owner field exists only in nodes that have an owner ({@link Owned}).
 */
public class DataNode {
  /** Name, data version and data, packed by {@link NodeBytes}. */
  byte[] bytes;
  /** The ACL and its version, shared with every node that has the same. */
  NodeAcl acl;
  /** Null until the first child comes; kept (maybe empty) from then on for cversion and pzxid. */
  ChildTable children;
  final long czxid;
  long mzxid;
  final long ctime;
  long mtime;

  private DataNode(byte[] bytes, NodeAcl acl, long czxid, long ctime) {
    this.bytes = bytes;
    this.acl = acl;
    this.czxid = czxid;
    this.mzxid = czxid;
    this.ctime = ctime;
    this.mtime = ctime;
  }

  /**
   * A node named by the last segment of {@code path}, owned by {@code ephemeralOwner} (or 0).
   * Null data stays null: ZooKeeper hands back null to a client that stored null.
   */
  static DataNode of(String path, byte[] data, int version, NodeAcl acl, long czxid, long ctime,
      long ephemeralOwner) {
    byte[] name = path.equals("/") ? new byte[0]
        : PathNames.name(path).getBytes(StandardCharsets.UTF_8);
    byte[] bytes = NodeBytes.pack(name, 0, name.length, version, data);
    return ephemeralOwner == 0 ? new DataNode(bytes, acl, czxid, ctime)
        : new Owned(bytes, acl, czxid, ctime, ephemeralOwner);
  }

  /** A node with an ephemeral, container or TTL owner field. */
  private static final class Owned extends DataNode {
    private final long ephemeralOwner;

    Owned(byte[] bytes, NodeAcl acl, long czxid, long ctime, long owner) {
      super(bytes, acl, czxid, ctime);
      this.ephemeralOwner = owner;
    }

    @Override
    public long ephemeralOwner() {
      return ephemeralOwner;
    }
  }

  /** The node's name: the last segment of its path ("" for the root). */
  public String name() {
    return new String(bytes, NodeBytes.nameStart(bytes), NodeBytes.nameLength(bytes),
        StandardCharsets.UTF_8);
  }

  /** A copy of the node's data, or null if it was stored as null. */
  public byte[] data() {
    return NodeBytes.data(bytes);
  }

  /** Length of the node's data (0 for null). */
  public int dataLength() {
    return NodeBytes.dataLength(bytes);
  }

  /** Replaces the data and its version, keeping the name. */
  void setData(byte[] data, int version) {
    bytes = NodeBytes.pack(bytes, NodeBytes.nameStart(bytes), NodeBytes.nameLength(bytes),
        version, data);
  }

  /** The node's ACL. */
  public List<ACL> acl() {
    return acl.acl();
  }

  /** The node's version (bumped by setData). */
  public int version() {
    return NodeBytes.version(bytes);
  }

  /** The node's child version (bumped by each child create or delete). */
  public int cversion() {
    return children == null ? 0 : children.cversion;
  }

  /** The node's ACL version (bumped by setACL). */
  public int aversion() {
    return acl.aversion();
  }

  /** Session id, container marker, TTL marker, or 0. */
  public long ephemeralOwner() {
    return 0;
  }

  /** Zxid of the last data change. */
  public long mzxid() {
    return mzxid;
  }

  /** Zxid of creation. */
  public long czxid() {
    return czxid;
  }

  /** Zxid of the last change to the set of children. */
  public long pzxid() {
    return children == null ? czxid : children.pzxid;
  }

  /** Time of the last data change, in the leader's milliseconds. */
  public long mtime() {
    return mtime;
  }

  /** Number of children. */
  public int childCount() {
    return children == null ? 0 : children.size();
  }

  /** The children's names, in no particular order (a new list the caller may keep). */
  public List<String> childNames() {
    return children == null ? new java.util.ArrayList<>(0) : children.names();
  }

  /** The child with this name, or null. */
  DataNode child(String path, int from, int to) {
    return children == null ? null : children.get(path, from, to);
  }

  /** Sets the child version and pzxid (the table that holds them is made if need be). */
  void setChildStamp(int cversion, long pzxid) {
    if (children == null) {
      if (cversion == 0 && pzxid == czxid) {
        return; // what a node without a table reports anyway
      }
      children = new ChildTable(czxid);
    }
    children.cversion = cversion;
    children.pzxid = pzxid;
  }

  /** Links a child; the table is made on the first one. */
  void addChild(DataNode child) {
    if (children == null) {
      children = new ChildTable(czxid);
    }
    children.add(child);
  }

  /** Unlinks a child. */
  void removeChild(DataNode child) {
    if (children == null || !children.remove(child)) {
      throw new IllegalStateException("no child " + child.name() + " to unlink");
    }
  }

  /** A snapshot of the node's Stat. */
  public Stat stat() {
    return new Stat(czxid, mzxid, ctime, mtime, version(), cversion(), aversion(), ephemeralOwner(),
        dataLength(), childCount(), pzxid());
  }

  /**
   * This node's share of the tree digest: a hash of its path and replicated contents. Not kept in
   * the node (8 bytes a node); the tree computes it before and after each change.
   */
  long hash(String path) {
    long h = 0x9E3779B97F4A7C15L;
    h = mix(h, path.hashCode());
    h = mix(h, NodeBytes.dataHash(bytes));
    h = mix(h, czxid);
    h = mix(h, mzxid);
    h = mix(h, ctime);
    h = mix(h, mtime);
    h = mix(h, version());
    h = mix(h, cversion());
    h = mix(h, aversion());
    h = mix(h, ephemeralOwner());
    h = mix(h, pzxid());
    for (ACL a : acl.acl()) {
      h = mix(h, a.perms());
      h = mix(h, a.id().scheme().hashCode());
      h = mix(h, a.id().id().hashCode());
    }
    return h;
  }

  private static long mix(long h, long v) {
    h ^= v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2);
    h *= 0xBF58476D1CE4E5B9L;
    return h ^ (h >>> 31);
  }

  @Override
  public String toString() {
    return "DataNode[" + name() + ", "
        + (NodeBytes.isNull(bytes) ? "null" : dataLength() + " bytes") + "]";
  }
}

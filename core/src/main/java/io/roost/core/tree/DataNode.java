package io.roost.core.tree;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Stat;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One node of the tree. Owned by the single thread that applies transactions; readers on that same
 * thread see it directly and everyone else gets copies ({@link #stat()}, {@link #childNames()}).
 *
 * <p>Laid out for heap per node (issue 6): a node holds its name's bytes, not its path (the tree
 * finds it by walking from the root), its children sit in a {@link ChildTable} made on the first
 * child, its ACL list is the tree's shared copy, and the owner field exists only in nodes that
 * have an owner ({@link Owned}). A leaf costs 80 bytes here plus its name and data arrays.
 */
public class DataNode {
  private static final byte[] NO_NAME = new byte[0];

  /** UTF-8 bytes of the last path segment (empty for the root). */
  final byte[] name;
  byte[] data;
  List<ACL> acl;
  final long czxid;
  long mzxid;
  final long ctime;
  long mtime;
  int version;
  int cversion;
  int aversion;
  long pzxid;
  /** Null until the first child comes; dropped again when the last one goes. */
  ChildTable children;

  private DataNode(byte[] name, byte[] data, List<ACL> acl, long czxid, long ctime) {
    this.name = name;
    // Null stays null: ZooKeeper hands back null to a client that stored null.
    this.data = data;
    this.acl = acl;
    this.czxid = czxid;
    this.mzxid = czxid;
    this.ctime = ctime;
    this.mtime = ctime;
    this.pzxid = czxid;
  }

  /** A node named by the last segment of {@code path}, owned by {@code ephemeralOwner} (or 0). */
  static DataNode of(String path, byte[] data, List<ACL> acl, long czxid, long ctime,
      long ephemeralOwner) {
    byte[] name = path.equals("/") ? NO_NAME
        : PathNames.name(path).getBytes(StandardCharsets.UTF_8);
    return ephemeralOwner == 0 ? new DataNode(name, data, acl, czxid, ctime)
        : new Owned(name, data, acl, czxid, ctime, ephemeralOwner);
  }

  /** A node with an ephemeral, container or TTL owner field. */
  private static final class Owned extends DataNode {
    private final long ephemeralOwner;

    Owned(byte[] name, byte[] data, List<ACL> acl, long czxid, long ctime, long owner) {
      super(name, data, acl, czxid, ctime);
      this.ephemeralOwner = owner;
    }

    @Override
    public long ephemeralOwner() {
      return ephemeralOwner;
    }
  }

  /** The node's name: the last segment of its path ("" for the root). */
  public String name() {
    return new String(name, StandardCharsets.UTF_8);
  }

  /** The node's data, possibly null (the live array: callers must not change it). */
  public byte[] data() {
    return data;
  }

  /** The node's ACL. */
  public List<ACL> acl() {
    return acl;
  }

  /** The node's version (bumped by setData). */
  public int version() {
    return version;
  }

  /** The node's child version (bumped by each child create or delete). */
  public int cversion() {
    return cversion;
  }

  /** The node's ACL version (bumped by setACL). */
  public int aversion() {
    return aversion;
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
    return pzxid;
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

  /** Links a child; the table is made on the first one. */
  void addChild(DataNode child) {
    if (children == null) {
      children = new ChildTable();
    }
    children.add(child);
  }

  /** Unlinks a child; the last one gone frees the table. */
  void removeChild(DataNode child) {
    if (children == null || !children.remove(child)) {
      throw new IllegalStateException("no child " + child.name() + " to unlink");
    }
    if (children.size() == 0) {
      children = null;
    }
  }

  /** A snapshot of the node's Stat. */
  public Stat stat() {
    return new Stat(czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner(),
        data == null ? 0 : data.length, childCount(), pzxid);
  }

  /**
   * This node's share of the tree digest: a hash of its path and replicated contents. Not kept in
   * the node (8 bytes a node); the tree computes it before and after each change.
   */
  long hash(String path) {
    long h = 0x9E3779B97F4A7C15L;
    h = mix(h, path.hashCode());
    h = mix(h, Arrays.hashCode(data));
    h = mix(h, czxid);
    h = mix(h, mzxid);
    h = mix(h, ctime);
    h = mix(h, mtime);
    h = mix(h, version);
    h = mix(h, cversion);
    h = mix(h, aversion);
    h = mix(h, ephemeralOwner());
    h = mix(h, pzxid);
    for (ACL a : acl) {
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
    return "DataNode[" + name() + ", " + (data == null ? "null" : data.length + " bytes") + "]";
  }
}

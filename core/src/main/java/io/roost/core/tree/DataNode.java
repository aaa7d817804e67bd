package io.roost.core.tree;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Stat;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One node of the tree. Owned by the single thread that applies transactions; readers on that same
 * thread see it directly and everyone else gets copies ({@link #stat()}, {@link #data()}).
 */
public final class DataNode {
  private static final Set<String> NO_CHILDREN = Collections.emptySet();
  final String path;
  byte[] data;
  List<ACL> acl;
  final long czxid;
  long mzxid;
  final long ctime;
  long mtime;
  int version;
  int cversion;
  int aversion;
  final long ephemeralOwner;
  long pzxid;
  /**
   * Children's names; the shared empty set until the first child comes, because most nodes are
   * leaves and an empty HashSet costs 64 bytes of heap each (issue 6's heap-per-node row).
   */
  private Set<String> children = NO_CHILDREN;
  /** This node's share of the tree digest; recomputed on every change. */
  long hash;

  DataNode(String path, byte[] data, List<ACL> acl, long czxid, long ctime, long ephemeralOwner) {
    this.path = path;
    // Null stays null: ZooKeeper hands back null to a client that stored null.
    this.data = data;
    this.acl = acl;
    this.czxid = czxid;
    this.mzxid = czxid;
    this.ctime = ctime;
    this.mtime = ctime;
    this.ephemeralOwner = ephemeralOwner;
    this.pzxid = czxid;
  }

  /** The node's path. */
  public String path() {
    return path;
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
    return ephemeralOwner;
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

  /**
   * Names of the children (live view while the node has children; the first child's create and
   * the last one's delete replace the set, so copy before handing out or holding on).
   */
  public Set<String> children() {
    return children;
  }

  /** Links a child's name; the set is made on the first child. */
  void addChild(String name) {
    if (children == NO_CHILDREN) {
      children = new HashSet<>(4);
    }
    children.add(name);
  }

  /** Unlinks a child's name; the last one gone frees the set. */
  void removeChild(String name) {
    children.remove(name);
    if (children.isEmpty()) {
      children = NO_CHILDREN;
    }
  }

  /** A snapshot of the node's Stat. */
  public Stat stat() {
    return new Stat(czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner,
        data == null ? 0 : data.length, children.size(), pzxid);
  }

  /** Recomputes {@link #hash} from the node's replicated contents. */
  void rehash() {
    long h = 0x9E3779B97F4A7C15L;
    h = mix(h, path.hashCode());
    h = mix(h, java.util.Arrays.hashCode(data));
    h = mix(h, czxid);
    h = mix(h, mzxid);
    h = mix(h, ctime);
    h = mix(h, mtime);
    h = mix(h, version);
    h = mix(h, cversion);
    h = mix(h, aversion);
    h = mix(h, ephemeralOwner);
    h = mix(h, pzxid);
    for (ACL a : acl) {
      h = mix(h, a.perms());
      h = mix(h, a.id().scheme().hashCode());
      h = mix(h, a.id().id().hashCode());
    }
    hash = h;
  }

  private static long mix(long h, long v) {
    h ^= v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2);
    h *= 0xBF58476D1CE4E5B9L;
    return h ^ (h >>> 31);
  }

  @Override
  public String toString() {
    return "DataNode[" + path + ", "
        + (data == null ? "null" : data.length + " bytes") + "]";
  }
}

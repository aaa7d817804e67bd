package io.roost.recipes.cache;

import io.roost.core.proto.Stat;
import java.util.Arrays;
import java.util.Objects;

/**
 * A node as a cache holds it: its path, data and stat as of the cache's last read of it.
 * The stat's data fields (version, mzxid, dataLength) are current; its child-list fields
 * (numChildren, cversion, pzxid) are only as fresh as the last data read, because a recursive
 * watch reports no child-list changes.
 *
 * <p>{@link #data()} returns the cached array itself, not a copy: do not modify it.
 *
 * @param path the node's path (relative to the client's namespace)
 * @param data the node's data (empty array for a node created with null data)
 * @param stat the node's stat as of the read
 */
public record ChildData(String path, byte[] data, Stat stat) {
  /** Checks the fields; null data becomes an empty array. */
  public ChildData {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(stat, "stat");
    data = data == null ? new byte[0] : data;
  }

  /** Equal when path, stat and data bytes are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ChildData c && path.equals(c.path) && stat.equals(c.stat)
        && Arrays.equals(data, c.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, stat, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "ChildData{" + path + ", " + data.length + " bytes, version " + stat.version()
        + ", mzxid 0x" + Long.toHexString(stat.mzxid()) + "}";
  }
}

package io.roost.core.tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A node's children, keyed by their names: an open-addressing hash table (linear probing,
 * deletion by backward shift) of the child nodes themselves, each of which carries its own name.
 *
 * <p>This is where most of the tree's per-node overhead went before (a path string per node in a
 * global map, plus a name string and a map entry in the parent's set: about 190 bytes a node);
 * here a child costs one array slot of 4 to 8 bytes beside its name's bytes. Lookups by a segment
 * of a path string allocate nothing when the segment is ASCII.
 *
 * <p>Single-threaded, like the tree. Iteration order depends on the insertion history; like
 * ZooKeeper's, callers must not rely on it.
 */
final class ChildTable {
  private static final int MIN_CAPACITY = 4;
  private static final DataNode[] EMPTY = new DataNode[0];

  private DataNode[] slots = EMPTY;
  private int size;
  /** The owning node's child version (kept here: leaves that never had a child need none). */
  int cversion;
  /** The owning node's pzxid (likewise). */
  long pzxid;

  /** An empty table for a node created at {@code czxid}. */
  ChildTable(long czxid) {
    this.pzxid = czxid;
  }

  /** Number of children. */
  int size() {
    return size;
  }

  /** The child named by {@code path.substring(from, to)}, or null. */
  DataNode get(String path, int from, int to) {
    if (size == 0) {
      return null;
    }
    // One pass: the hash of an ASCII segment equals that of its UTF-8 bytes; anything else takes
    // the encoding path (rare in practice).
    int h = 0;
    for (int i = from; i < to; i++) {
      char ch = path.charAt(i);
      if (ch >= 0x80) {
        return get(path.substring(from, to).getBytes(StandardCharsets.UTF_8));
      }
      h = 31 * h + ch;
    }
    int mask = slots.length - 1;
    for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
      DataNode n = slots[i];
      if (n == null) {
        return null;
      }
      if (equalsAscii(n.bytes, path, from, to)) {
        return n;
      }
    }
  }

  /** The child with these name bytes, or null. */
  DataNode get(byte[] name) {
    if (size == 0) {
      return null;
    }
    int mask = slots.length - 1;
    for (int i = spread(hash(name, 0, name.length)) & mask; ; i = (i + 1) & mask) {
      DataNode n = slots[i];
      if (n == null) {
        return null;
      }
      int start = NodeBytes.nameStart(n.bytes);
      if (Arrays.equals(n.bytes, start, start + NodeBytes.nameLength(n.bytes), name, 0,
          name.length)) {
        return n;
      }
    }
  }

  /** Adds a child whose name is not in the table yet. */
  void add(DataNode child) {
    if (slots.length == 0) {
      slots = new DataNode[MIN_CAPACITY];
    } else if ((size + 1) * 4 > slots.length * 3) {
      resize(slots.length * 2);
    }
    insert(slots, child);
    size++;
  }

  /**
   * Removes this very child.
   *
   * @return whether it was there
   */
  boolean remove(DataNode child) {
    if (size == 0) {
      return false;
    }
    int mask = slots.length - 1;
    int i = spread(nameHash(child)) & mask;
    while (slots[i] != child) {
      if (slots[i] == null) {
        return false;
      }
      i = (i + 1) & mask;
    }
    // Backward shift: move later entries of the same probe run into the hole, so no lookup ever
    // stops early at it (no tombstones needed).
    int hole = i;
    for (int j = (hole + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
      int home = spread(nameHash(slots[j])) & mask;
      // slots[j] may fill the hole unless its home lies cyclically in (hole, j].
      boolean homeBetween = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!homeBetween) {
        slots[hole] = slots[j];
        hole = j;
      }
    }
    slots[hole] = null;
    size--;
    if (size == 0) {
      slots = EMPTY;
    } else if (slots.length > MIN_CAPACITY && size * 8 < slots.length) {
      resize(slots.length / 2);
    }
    return true;
  }

  /** Calls {@code action} for every child. */
  void forEach(Consumer<DataNode> action) {
    for (DataNode n : slots) {
      if (n != null) {
        action.accept(n);
      }
    }
  }

  /** The children's names, in table order. */
  List<String> names() {
    List<String> out = new ArrayList<>(size);
    for (DataNode n : slots) {
      if (n != null) {
        out.add(n.name());
      }
    }
    return out;
  }

  private void resize(int capacity) {
    DataNode[] bigger = new DataNode[capacity];
    for (DataNode n : slots) {
      if (n != null) {
        insert(bigger, n);
      }
    }
    slots = bigger;
  }

  private static void insert(DataNode[] table, DataNode child) {
    int mask = table.length - 1;
    int i = spread(nameHash(child)) & mask;
    while (table[i] != null) {
      i = (i + 1) & mask;
    }
    table[i] = child;
  }

  /** The hash of a node's name bytes. */
  private static int nameHash(DataNode n) {
    int start = NodeBytes.nameStart(n.bytes);
    return hash(n.bytes, start, start + NodeBytes.nameLength(n.bytes));
  }

  /** The hash of UTF-8 name bytes (for an ASCII name, the same as hashing its chars). */
  private static int hash(byte[] b, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + (b[i] & 0xff);
    }
    return h;
  }

  /** Mixes the bits so that names differing in their last characters spread over the table. */
  private static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    return h ^ (h >>> 13);
  }

  private static boolean equalsAscii(byte[] packed, String path, int from, int to) {
    int length;
    int start;
    if (packed[0] >= 0) { // a one-byte header: names under 64 bytes, the usual case
      length = packed[0] >>> 1;
      start = NodeBytes.ONE_BYTE_NAME_START;
    } else {
      length = NodeBytes.nameLength(packed);
      start = NodeBytes.nameStart(packed);
    }
    if (length != to - from) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (packed[start + i] != path.charAt(from + i)) {
        return false;
      }
    }
    return true;
  }
}

package io.roost.recipes.lock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders a lock path's children by their sequence suffix (the ten digits the server appends),
 * whatever comes before it (a protection prefix, a reader/writer marker), so the order is the
 * order of creation.
 */
final class Contenders {
  private Contenders() {}

  /** The children that end in a sequence suffix, oldest first. */
  static List<String> sort(List<String> children) {
    List<String> out = new ArrayList<>(children.size());
    for (String c : children) {
      if (sequence(c) >= 0) {
        out.add(c);
      }
    }
    out.sort(Comparator.comparingLong(Contenders::sequence));
    return out;
  }

  /** The sequence suffix of a node name, or -1 if it has none. */
  static long sequence(String name) {
    if (name.length() < 10) {
      return -1;
    }
    long v = 0;
    for (int i = name.length() - 10; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      v = v * 10 + (ch - '0');
    }
    return v;
  }
}

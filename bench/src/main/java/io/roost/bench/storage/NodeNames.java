package io.roost.bench.storage;

/**
 * Where the benchmark's nodes live: {@code /bench/p<k>/n<i>}, node {@code i} under parent
 * {@code i mod parents}, so no parent has a huge child list.
 */
final class NodeNames {
  /** The benchmark's own top node. */
  static final String ROOT = "/bench";

  private final int parents;

  NodeNames(int parents) {
    if (parents < 1) {
      throw new IllegalArgumentException("parents must be 1 or more, not " + parents);
    }
    this.parents = parents;
  }

  /** How many parent nodes there are. */
  int parents() {
    return parents;
  }

  /** The path of parent {@code k}. */
  String parent(int k) {
    return ROOT + "/p" + k;
  }

  /** The path of node {@code i}. */
  String node(int i) {
    return parent(i % parents) + "/n" + i;
  }
}

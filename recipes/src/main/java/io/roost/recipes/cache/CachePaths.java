package io.roost.recipes.cache;

/** Path arithmetic for the caches: checks, children, depth below a root. */
final class CachePaths {
  private CachePaths() {}

  /**
   * Checks an absolute node path ("/" included).
   *
   * @throws IllegalArgumentException naming {@code what} and saying what is wrong
   */
  static String check(String path, String what) {
    if (path == null || !path.startsWith("/") || (path.length() > 1 && path.endsWith("/"))
        || path.contains("//")) {
      throw new IllegalArgumentException(what + "=\"" + path + "\" is not a node path: it must"
          + " start with '/', and have no empty segment or trailing '/'");
    }
    return path;
  }

  /** The path of child {@code name} of {@code parent}. */
  static String child(String parent, String name) {
    return parent.equals("/") ? "/" + name : parent + "/" + name;
  }

  /** How far {@code path} is below {@code root} (0 for root itself), or -1 if not below it. */
  static int depth(String root, String path) {
    if (path.equals(root)) {
      return 0;
    }
    String prefix = root.equals("/") ? "/" : root + "/";
    if (!path.startsWith(prefix)) {
      return -1;
    }
    int depth = 1;
    for (int i = prefix.length(); i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        depth++;
      }
    }
    return depth;
  }
}

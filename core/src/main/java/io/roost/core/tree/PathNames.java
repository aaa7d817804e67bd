package io.roost.core.tree;

/** Validation and splitting of node paths, with ZooKeeper's rules. */
public final class PathNames {
  private PathNames() {}

  /**
   * Checks a client path. Returns null when valid, otherwise what is wrong. A sequential create may
   * end in '/', since the server appends the suffix.
   */
  public static String problem(String path, boolean sequential) {
    if (path == null) {
      return "path is null";
    }
    if (path.isEmpty()) {
      return "path is empty";
    }
    if (path.charAt(0) != '/') {
      return "path must start with /";
    }
    if (path.length() == 1) {
      return null;
    }
    if (path.charAt(path.length() - 1) == '/' && !sequential) {
      return "path must not end with /";
    }
    char last = '/';
    int segmentStart = 1;
    for (int i = 1; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == 0) {
        return "null character not allowed at " + i;
      }
      if (c == '/' && last == '/') {
        return "empty node name at " + i;
      }
      if (c == '/' || i == path.length() - 1) {
        int end = c == '/' ? i : i + 1;
        String segment = path.substring(segmentStart, end);
        if (segment.equals(".") || segment.equals("..")) {
          return "relative paths not allowed at " + segmentStart;
        }
        segmentStart = i + 1;
      }
      if ((c > '\u0000' && c <= '\u001f') || (c >= '\u007f' && c <= '\u009F')
          || (c >= '\ud800' && c <= '\uf8ff') || (c >= '\ufff0' && c <= '\uffff')) {
        return "invalid character at " + i;
      }
      last = c;
    }
    return null;
  }

  /** The parent of a path ("/" for top-level nodes, null for the root). */
  public static String parent(String path) {
    if (path.equals("/")) {
      return null;
    }
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  /** The last segment of a path. */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Joins a parent path and a child name. */
  public static String child(String parent, String name) {
    return parent.equals("/") ? "/" + name : parent + "/" + name;
  }

  /** True if {@code path} equals {@code prefix} or lies below it. */
  public static boolean isAtOrBelow(String path, String prefix) {
    if (prefix.equals("/")) {
      return true;
    }
    return path.equals(prefix)
        || (path.startsWith(prefix) && path.length() > prefix.length()
            && path.charAt(prefix.length()) == '/');
  }
}

package io.roost.client;

/**
 * Path rules and the namespace prefix: every path a user gives is checked and prefixed, every
 * path the server returns has the prefix taken off again.
 */
final class Namespace {
  private final String prefix;

  /** @param namespace a path like {@code /app}, or null/empty for none */
  Namespace(String namespace) {
    if (namespace == null || namespace.isEmpty()) {
      this.prefix = "";
    } else {
      String ns = namespace.startsWith("/") ? namespace : "/" + namespace;
      validate(ns, false);
      if (ns.equals("/")) {
        ns = "";
      }
      this.prefix = ns;
    }
  }

  /** The prefix ({@code ""} without a namespace). */
  String prefix() {
    return prefix;
  }

  /** The server-side path for a user's path. */
  String toServer(String path) {
    validate(path, false);
    if (prefix.isEmpty()) {
      return path;
    }
    return path.equals("/") ? prefix : prefix + path;
  }

  /** The server-side path for a user's path that may end in a sequential name prefix. */
  String toServerForCreate(String path, boolean sequential) {
    validate(path, sequential);
    if (prefix.isEmpty()) {
      return path;
    }
    return path.equals("/") ? prefix : prefix + path;
  }

  /** The user's path for a server-side path. */
  String fromServer(String path) {
    if (prefix.isEmpty() || path == null) {
      return path;
    }
    if (path.equals(prefix)) {
      return "/";
    }
    return path.startsWith(prefix + "/") ? path.substring(prefix.length()) : path;
  }

  /**
   * Checks a path: absolute, no empty, {@code .} or {@code ..} segment, no trailing slash
   * (except the root, or a sequential create's prefix), no NUL or control characters.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static void validate(String path, boolean sequentialPrefix) {
    if (path == null) {
      throw new IllegalArgumentException("path is null");
    }
    if (path.isEmpty() || path.charAt(0) != '/') {
      throw new IllegalArgumentException("path \"" + path + "\" must start with /");
    }
    if (path.length() == 1) {
      return;
    }
    if (path.endsWith("/") && !sequentialPrefix) {
      throw new IllegalArgumentException("path \"" + path + "\" must not end with /");
    }
    String[] parts = path.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty() && !(sequentialPrefix && i == parts.length - 1)) {
        throw new IllegalArgumentException("path \"" + path + "\" has an empty segment");
      }
      if (p.equals(".") || p.equals("..")) {
        throw new IllegalArgumentException("path \"" + path + "\" has a relative segment "
            + p);
      }
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == 0 || (c > 0 && c < 0x1f) || (c > 0x7f && c < 0x9f)
          || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff)) {
        throw new IllegalArgumentException("path \"" + path.replace("\0", "\\0")
            + "\" has an invalid character at " + i);
      }
    }
  }

  /** The parent of a user path ({@code /} for top-level nodes). */
  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** The last segment of a path. */
  static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}

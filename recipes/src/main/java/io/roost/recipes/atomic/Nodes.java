package io.roost.recipes.atomic;

import java.util.concurrent.CompletionException;

/** Path checks and error unwrapping shared by the counters. */
final class Nodes {
  private Nodes() {}

  /**
   * Checks a recipe's node path: absolute, not the root, no empty, {@code .} or {@code ..}
   * segment.
   *
   * @throws IllegalArgumentException naming the path and what is wrong with it
   */
  static void checkPath(String path, String what) {
    if (path == null || !path.startsWith("/") || path.length() < 2) {
      throw new IllegalArgumentException(what + " \"" + path + "\" must be an absolute path"
          + " other than /");
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(what + " \"" + path + "\" has an empty, . or .."
            + " segment");
      }
    }
  }

  static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}

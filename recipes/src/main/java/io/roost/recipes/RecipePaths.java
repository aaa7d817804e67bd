package io.roost.recipes;

/** Checks shared by the recipes' constructors. */
public final class RecipePaths {
  private RecipePaths() {}

  /**
   * Checks a recipe's node path: absolute, not the root, no empty, {@code .} or {@code ..}
   * segment.
   *
   * @param what how the caller names the path in the message (say, "queue path")
   * @throws IllegalArgumentException naming the path and what is wrong with it
   */
  public static void check(String path, String what) {
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
}

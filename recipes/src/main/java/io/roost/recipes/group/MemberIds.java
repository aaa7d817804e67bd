package io.roost.recipes.group;

/** The rules for group paths and member ids (a member id is one node name). */
final class MemberIds {
  private MemberIds() {}

  /**
   * Checks a group path: absolute, below the root, no empty segment or trailing '/'.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static String checkGroupPath(String path) {
    if (path == null || !path.startsWith("/") || path.equals("/") || path.endsWith("/")
        || path.contains("//")) {
      throw new IllegalArgumentException("groupPath=\"" + path + "\" must be a node path below"
          + " the root, such as /groups/workers");
    }
    return path;
  }

  /**
   * Checks a member id: a node name.
   *
   * @param what the argument's name, for the message
   * @throws IllegalArgumentException saying what is wrong
   */
  static String checkId(String id, String what) {
    if (id == null || id.isEmpty() || id.equals(".") || id.equals("..")) {
      throw new IllegalArgumentException(what + "=\"" + id + "\" must be a non-empty node name"
          + " other than . and ..");
    }
    for (int i = 0; i < id.length(); i++) {
      char ch = id.charAt(i);
      if (ch == '/' || Character.isISOControl(ch)) {
        throw new IllegalArgumentException(what + "=\"" + id + "\" is not a node name: it has"
            + " a '/' or a control character at index " + i);
      }
    }
    return id;
  }
}

package io.roost.recipes.queue;

import java.util.Locale;

/**
 * The name of an item node, which carries everything its order needs: a kind letter, the sort key
 * (priority or due time) or id, and the server's sequence suffix. Ordering names orders items:
 * by key, then by sequence (first put, first out).
 *
 * <p>Forms ({@code <seq>} is the 10-digit sequential suffix; a protected create puts
 * {@code _c_<uuid>-} in front, which parsing strips):
 * <ul>
 *   <li>FIFO: {@code q-<seq>}
 *   <li>priority: {@code p<8 hex digits of priority with the sign bit flipped>-<seq>}, so that
 *       the text order of the hex is the numeric order of the priority
 *   <li>delay: {@code d<16 hex digits of the due time in epoch ms>-<seq>}
 *   <li>id: {@code i<id>-<seq>}
 * </ul>
 *
 * @param node the node's name as the server has it
 * @param kind the kind letter
 * @param key the priority or due time (0 for FIFO and id items)
 * @param id the id of an id-queue item, else null
 * @param seq the sequence number
 */
record ItemName(String node, char kind, long key, String id, long seq)
    implements Comparable<ItemName> {
  static final char FIFO = 'q';
  static final char PRIORITY = 'p';
  static final char DELAY = 'd';
  static final char ID = 'i';

  private static final String PROTECTED = "_c_";
  private static final int PROTECTED_LENGTH = PROTECTED.length() + 36 + 1;
  private static final int SEQ_DIGITS = 10;
  private static final int MAX_ID_LENGTH = 200;

  /** The name prefix to create an item of {@code kind} with (the server appends the sequence). */
  static String prefix(char kind, long key, String id) {
    return switch (kind) {
      case FIFO -> "q-";
      case PRIORITY -> "p" + String.format(Locale.ROOT, "%08x", ((int) key) ^ Integer.MIN_VALUE)
          + "-";
      case DELAY -> "d" + String.format(Locale.ROOT, "%016x", key) + "-";
      case ID -> "i" + id + "-";
      default -> throw new IllegalArgumentException("unknown item kind '" + kind + "'");
    };
  }

  /** This item's prefix again (to put it back under the same key). */
  String prefix() {
    return prefix(kind, key, id);
  }

  /**
   * Checks an id for an id queue.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static void checkId(String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("id is null or empty");
    }
    if (id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("id \"" + id.substring(0, 20) + "...\" is "
          + id.length() + " characters long; at most " + MAX_ID_LENGTH + " are allowed");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '/' || c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("id \"" + id + "\" contains '/' or a control"
            + " character at index " + i);
      }
    }
  }

  /** The parsed name, or null if {@code node} is not an item name (another process's node). */
  static ItemName parse(String node) {
    String body = node;
    if (body.startsWith(PROTECTED) && body.length() > PROTECTED_LENGTH
        && body.charAt(PROTECTED_LENGTH - 1) == '-') {
      body = body.substring(PROTECTED_LENGTH);
    }
    int n = body.length();
    if (n < SEQ_DIGITS + 2 || body.charAt(n - SEQ_DIGITS - 1) != '-') {
      return null;
    }
    long seq = 0;
    for (int i = n - SEQ_DIGITS; i < n; i++) {
      char c = body.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      seq = seq * 10 + (c - '0');
    }
    String head = body.substring(0, n - SEQ_DIGITS - 1);
    String rest = head.substring(1);
    try {
      return switch (head.charAt(0)) {
        case FIFO -> rest.isEmpty() ? new ItemName(node, FIFO, 0, null, seq) : null;
        case PRIORITY -> rest.length() == 8 ? new ItemName(node, PRIORITY,
            (int) Long.parseLong(rest, 16) ^ Integer.MIN_VALUE, null, seq) : null;
        case DELAY -> rest.length() == 16 ? new ItemName(node, DELAY,
            Long.parseLong(rest, 16), null, seq) : null;
        case ID -> rest.isEmpty() ? null : new ItemName(node, ID, 0, rest, seq);
        default -> null;
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether a consumer may take the item at {@code nowMs} (delayed items: once due). */
  boolean visibleAt(long nowMs) {
    return kind != DELAY || key <= nowMs;
  }

  @Override
  public int compareTo(ItemName o) {
    int c = Long.compare(key, o.key);
    if (c == 0) {
      c = Long.compare(seq, o.seq);
    }
    return c != 0 ? c : node.compareTo(o.node);
  }
}

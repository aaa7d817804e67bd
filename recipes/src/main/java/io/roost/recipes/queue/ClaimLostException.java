package io.roost.recipes.queue;

/**
 * A guaranteed delivery could not be completed: this consumer's claim on the item ended (its
 * session was lost) and the item went back to the queue, or to another consumer, before the
 * processing finished. The item is not lost: it is, or will be, processed again elsewhere; this
 * consumer's processing of it does not count.
 */
public final class ClaimLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String itemPath;

  /** @param itemPath the item's node path */
  public ClaimLostException(String itemPath) {
    super("the claim on " + itemPath + " ended before its processing completed (this consumer's"
        + " session was lost); the item was left for another consumer and its processing here"
        + " does not count");
    this.itemPath = itemPath;
  }

  /** The item's node path. */
  public String itemPath() {
    return itemPath;
  }
}

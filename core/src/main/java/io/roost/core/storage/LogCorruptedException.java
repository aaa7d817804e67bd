package io.roost.core.storage;

import java.nio.file.Path;

/**
 * Thrown when the transaction log is damaged somewhere other than its tail: a bad record with sound
 * records after it, or damage in a segment that is not the newest. Such damage cannot be a write
 * cut short by a crash, so the records around it may be acknowledged transactions; start-up stops
 * instead of dropping them silently.
 */
public final class LogCorruptedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;

  /**
   * Creates the exception.
   *
   * @param file the damaged segment file
   * @param offset the byte offset in it where the damage starts
   * @param detail what is wrong at that offset
   */
  public LogCorruptedException(Path file, long offset, String detail) {
    this(file, offset, detail, null);
  }

  /**
   * Creates the exception with the failure that revealed the damage.
   *
   * @param file the damaged segment file
   * @param offset the byte offset in it where the damage starts
   * @param detail what is wrong at that offset
   * @param cause the underlying failure, or null
   */
  public LogCorruptedException(Path file, long offset, String detail, Throwable cause) {
    super("transaction log file " + file + " is damaged at offset " + offset + ": " + detail
        + ". The log is damaged before its tail, so start-up stops rather than silently drop"
        + " committed transactions. Inspect it with 'bin/roost log " + file + "', then restore"
        + " the log directory from a healthy replica or a backup", cause);
    this.file = file;
    this.offset = offset;
  }

  /**
   * The damaged segment file.
   *
   * @return its path
   */
  public Path file() {
    return file;
  }

  /**
   * Where the damage starts.
   *
   * @return the byte offset in {@link #file()}
   */
  public long offset() {
    return offset;
  }
}

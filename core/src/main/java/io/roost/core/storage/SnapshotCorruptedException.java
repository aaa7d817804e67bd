package io.roost.core.storage;

import java.nio.file.Path;

/**
 * A snapshot that cannot be trusted: truncated, damaged, of an unknown format or not a snapshot at
 * all. The message names the file (or the stream) and says what is wrong with it.
 */
public final class SnapshotCorruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The damaged file, or null when the snapshot came from a stream without a file. */
  private final transient Path file;

  /**
   * Creates the exception.
   *
   * @param file the damaged snapshot file, or null for a stream that has no file
   * @param problem what is wrong, for example "truncated at offset 120 while reading a node path"
   */
  public SnapshotCorruptedException(Path file, String problem) {
    super(describe(file) + " is damaged: " + problem + advice(file));
    this.file = file;
  }

  /**
   * The damaged snapshot file.
   *
   * @return the file, or null when the snapshot was read from a stream without a file
   */
  public Path file() {
    return file;
  }

  private static String advice(Path file) {
    return file == null
        ? ". Discard what was received and ask the sender for the snapshot again."
        : ". Move the file aside so start-up uses an older snapshot and the log, or copy the data"
            + " directory from a healthy server.";
  }

  private static String describe(Path file) {
    return file == null ? "snapshot stream" : "snapshot " + file;
  }
}

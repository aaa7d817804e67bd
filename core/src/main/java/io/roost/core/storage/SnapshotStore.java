package io.roost.core.storage;

import io.roost.core.state.StateImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The snapshots in one data directory: lists them newest first, loads the newest one that is
 * intact, writes new ones and deletes old ones. Snapshots are found by name
 * ({@code snapshot.<16 hex digits>}); other files in the directory are left alone. Calls do disk
 * I/O and belong on a worker thread. Writing and retention may run on different threads: retention
 * never looks at a snapshot that is still being written.
 */
public final class SnapshotStore {
  private static final Logger LOG = System.getLogger(SnapshotStore.class.getName());

  /**
   * A snapshot that was read and checked.
   *
   * @param file the file it came from
   * @param image its contents
   */
  public record LoadedSnapshot(Path file, StateImage image) {
    /**
     * The zxid of the last transaction the snapshot includes; log replay starts after it.
     *
     * @return the image's last zxid
     */
    public long zxid() {
      return image.lastZxid();
    }
  }

  private final Path dir;

  private SnapshotStore(Path dir) {
    this.dir = dir;
  }

  /**
   * Opens the store over {@code dir}, creating the directory if needed and deleting temp files
   * that a crash in the middle of writing a snapshot left behind.
   *
   * @param dir the data directory
   * @return the store
   * @throws UncheckedIOException if the directory cannot be created or listed
   */
  public static SnapshotStore open(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the snapshot directory " + dir + ": " + e
          + "; check the path and its permissions", e);
    }
    SnapshotStore store = new SnapshotStore(dir);
    for (Path temp : store.list(SnapshotFile::isTempFile)) {
      try {
        Files.deleteIfExists(temp);
        LOG.log(Level.INFO, "deleted " + temp + ", an unfinished snapshot from before a crash");
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete the unfinished snapshot " + temp + ": "
            + e + "; delete it by hand", e);
      }
    }
    return store;
  }

  /**
   * The directory this store manages.
   *
   * @return the data directory
   */
  public Path dir() {
    return dir;
  }

  /**
   * Every snapshot file in the directory, newest (highest zxid) first. Temp files and files with
   * other names are not included; the files are not opened.
   *
   * @return the snapshot files
   * @throws UncheckedIOException if the directory cannot be listed
   */
  public List<Path> snapshots() {
    List<Path> files = list(p -> SnapshotFile.zxidOf(p).isPresent());
    files.sort(Comparator.comparing((Path p) -> SnapshotFile.zxidOf(p).getAsLong(),
        Long::compareUnsigned).reversed());
    return files;
  }

  /**
   * Loads the newest snapshot that reads back intact. A damaged snapshot is skipped with a warning
   * naming it and the next older one is tried.
   *
   * @return the snapshot used, or empty if there is none or every one is damaged (then the log must
   *     hold every transaction from the first)
   * @throws UncheckedIOException if a snapshot cannot be read for a reason other than damage, such
   *     as permissions; start-up should stop rather than silently use an older one
   */
  public Optional<LoadedSnapshot> loadNewestValid() {
    for (Path file : snapshots()) {
      try {
        return Optional.of(new LoadedSnapshot(file, SnapshotFile.read(file)));
      } catch (SnapshotCorruptedException e) {
        LOG.log(Level.WARNING, "skipping damaged snapshot " + file + " and trying an older one: "
            + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * Writes a snapshot of the image into the directory (see {@link SnapshotFile#write}).
   *
   * @param image the image to write
   * @return the new snapshot file
   * @throws UncheckedIOException if it cannot be written; no partial file is left behind
   */
  public Path write(StateImage image) {
    return SnapshotFile.write(image, dir);
  }

  /**
   * Keeps the newest {@code keep} snapshots that look intact (right magic at the start, trailer at
   * the end) and deletes every snapshot older than the oldest of them. Snapshots that look damaged
   * do not count towards {@code keep}; damaged ones newer than the kept ones are left for an
   * operator to inspect. A file that cannot be deleted is logged and left.
   *
   * @param keep how many intact snapshots to keep, at least 1
   * @return the deleted files, newest first
   * @throws IllegalArgumentException if {@code keep} is below 1
   * @throws UncheckedIOException if the directory cannot be listed
   */
  public List<Path> retain(int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("snapshot retention must keep at least 1 snapshot, got "
          + keep + "; set autopurge.snapRetainCount to 1 or more");
    }
    List<Path> all = snapshots();
    int kept = 0;
    int cut = all.size();
    for (int k = 0; k < all.size(); k++) {
      if (looksIntact(all.get(k)) && ++kept == keep) {
        cut = k + 1;
        break;
      }
    }
    List<Path> deleted = new ArrayList<>();
    for (Path old : all.subList(cut, all.size())) {
      try {
        if (Files.deleteIfExists(old)) {
          deleted.add(old);
        }
      } catch (IOException e) {
        LOG.log(Level.WARNING, "could not delete old snapshot " + old + ": " + e
            + "; check permissions or delete it by hand");
      }
    }
    return deleted;
  }

  /**
   * The zxid of the oldest snapshot that looks intact. The transaction log must keep every
   * transaction after it; log segments holding only older transactions may be deleted. Call it
   * after {@link #retain} to learn what the log still needs.
   *
   * @return that zxid, or 0 when there is no intact-looking snapshot (the log must keep everything)
   * @throws UncheckedIOException if the directory cannot be listed
   */
  public long oldestRetainedZxid() {
    List<Path> all = snapshots();
    for (int k = all.size() - 1; k >= 0; k--) {
      if (looksIntact(all.get(k))) {
        return SnapshotFile.zxidOf(all.get(k)).getAsLong();
      }
    }
    return 0;
  }

  /**
   * A cheap check that reads 12 bytes: the file is long enough, starts with the magic and has the
   * trailer magic where the trailer belongs. It catches truncation, not bit rot.
   */
  static boolean looksIntact(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < SnapshotFormat.HEADER_BYTES + SnapshotFormat.TRAILER_BYTES) {
        return false;
      }
      return intAt(ch, 0) == SnapshotFormat.MAGIC
          && intAt(ch, size - SnapshotFormat.TRAILER_BYTES) == SnapshotFormat.END_MAGIC;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read snapshot " + file + ": " + e
          + "; check the disk and the file's permissions", e);
    }
  }

  private static int intAt(FileChannel ch, long position) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4);
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        return 0;
      }
    }
    return b.getInt(0);
  }

  private List<Path> list(java.util.function.Predicate<Path> filter) {
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(s.filter(filter).filter(Files::isRegularFile).toList());
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the snapshot directory " + dir + ": " + e
          + "; check that it exists and is readable", e);
    }
  }
}

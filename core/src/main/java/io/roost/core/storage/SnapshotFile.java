package io.roost.core.storage;

import io.roost.core.state.StateImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * One snapshot file: {@code snapshot.<16 hex digits of lastZxid>} in the data directory, in the
 * format {@link SnapshotFormat} describes. Writes are atomic: the file appears complete and
 * fsync'd under its final name, or not at all. Meant for a worker thread, never the event loop.
 */
public final class SnapshotFile {
  /** Every snapshot file name starts with this. */
  public static final String PREFIX = "snapshot.";
  /** A snapshot being written has a name that starts with {@link #PREFIX} and ends with this. */
  public static final String TEMP_SUFFIX = ".tmp";

  private static final Logger LOG = System.getLogger(SnapshotFile.class.getName());
  private static final int HEX_DIGITS = 16;

  private SnapshotFile() {}

  /**
   * The file name of the snapshot that ends at {@code zxid}.
   *
   * @param zxid the last zxid the snapshot includes
   * @return {@code snapshot.} followed by 16 lower-case hex digits
   */
  public static String fileName(long zxid) {
    return PREFIX + String.format("%016x", zxid);
  }

  /**
   * The zxid a snapshot file name stands for.
   *
   * @param file any path
   * @return the zxid, or empty if the name is not {@code snapshot.} plus 16 hex digits (temp
   *     files and foreign files give empty)
   */
  public static OptionalLong zxidOf(Path file) {
    Path name = file.getFileName();
    if (name == null) {
      return OptionalLong.empty();
    }
    String s = name.toString();
    if (s.length() != PREFIX.length() + HEX_DIGITS || !s.startsWith(PREFIX)) {
      return OptionalLong.empty();
    }
    for (int k = PREFIX.length(); k < s.length(); k++) {
      if (Character.digit(s.charAt(k), 16) < 0) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseUnsignedLong(s.substring(PREFIX.length()), 16));
  }

  /**
   * True for the name of a snapshot that was being written: left behind only by a crash.
   *
   * @param file any path
   * @return whether its name is a snapshot temp name
   */
  public static boolean isTempFile(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().startsWith(PREFIX)
        && name.toString().endsWith(TEMP_SUFFIX);
  }

  /**
   * Writes the image as {@code dir/snapshot.<lastZxid>}, atomically: the bytes go to a temp file
   * in {@code dir}, which is fsync'd, renamed into place and then the directory is fsync'd (where
   * the platform allows it). An existing snapshot of the same zxid is replaced.
   *
   * @param image the image to write
   * @param dir the data directory; created if missing
   * @return the snapshot file
   * @throws UncheckedIOException if the file cannot be written; no partial file is left behind
   */
  public static Path write(StateImage image, Path dir) {
    Path target = dir.resolve(fileName(image.lastZxid()));
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, fileName(image.lastZxid()) + ".", TEMP_SUFFIX);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream out = Channels.newOutputStream(ch);
        SnapshotWriter.write(image, out);
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      temp = null;
      syncDirectory(dir);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write snapshot " + target + ": " + e
          + "; check free space and permissions on " + dir, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          LOG.log(Level.WARNING, "could not delete the unfinished snapshot " + temp + ": " + e
              + "; it will be deleted at the next start, or delete it by hand");
        }
      }
    }
  }

  /**
   * Reads and checks a snapshot file, streaming it. When the file has a snapshot name, the zxid
   * in the name must match the one in the header.
   *
   * @param file the snapshot file
   * @return the image it holds
   * @throws SnapshotCorruptedException if the file is damaged, truncated or not a snapshot
   * @throws UncheckedIOException if the file is missing or cannot be read
   */
  public static StateImage read(Path file) {
    StateImage image;
    try (InputStream in = Files.newInputStream(file)) {
      image = SnapshotReader.read(in, file, Files.size(file));
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("snapshot " + file + " does not exist; check the path", e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read snapshot " + file + ": " + e
          + "; check the disk and the file's permissions", e);
    }
    OptionalLong named = zxidOf(file);
    if (named.isPresent() && named.getAsLong() != image.lastZxid()) {
      throw new SnapshotCorruptedException(file, "its name says zxid 0x"
          + Long.toHexString(named.getAsLong()) + " but its header says 0x"
          + Long.toHexString(image.lastZxid()));
    }
    return image;
  }

  /**
   * Prints a snapshot for operators: the header, each session with its timeout, then each node
   * with its zxids, versions, owner and a short preview of its data, and finally whether the
   * checksum is good. The file is streamed, so this works on snapshots larger than memory. Backs
   * {@code bin/roost snapshot FILE}.
   *
   * @param file the snapshot file
   * @param out where to print
   * @throws SnapshotCorruptedException if the file is damaged; what was printed before the damage
   *     was found stays printed
   * @throws UncheckedIOException if the file is missing or cannot be read
   */
  public static void dump(Path file, PrintStream out) {
    try (InputStream in = Files.newInputStream(file)) {
      SnapshotReader.read(in, file, Files.size(file), new SnapshotPrinter(file, out));
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("snapshot " + file + " does not exist; check the path", e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read snapshot " + file + ": " + e
          + "; check the disk and the file's permissions", e);
    } finally {
      out.flush();
    }
  }

  /** Makes a rename in {@code dir} durable; platforms that cannot open a directory skip it. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "this platform does not fsync directories (" + e + ")");
    }
  }
}

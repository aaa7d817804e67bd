package io.roost.core.storage;

import io.roost.core.consensus.HardState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The consensus core's {@link HardState} on disk: {@code dataDir/consensus.state}, 20 bytes of
 * magic, accepted epoch, accepted leader and current epoch, then a CRC32C of them. Written to a
 * temp file, fsync'd, atomically renamed over the old one and the directory fsync'd, so a crash
 * leaves either the old or the new state, never a torn one.
 */
public final class HardStateFile {
  /** The file name inside the data directory. */
  public static final String NAME = "consensus.state";
  private static final int MAGIC = 0x524f4853; // "ROHS"
  private static final int SIZE = 20;

  private final Path file;

  /** The hard-state file of this data directory. */
  public HardStateFile(Path dataDir) {
    this.file = dataDir.resolve(NAME);
  }

  /** Where the state lives. */
  public Path path() {
    return file;
  }

  /**
   * Reads the state; {@link HardState#INITIAL} if the file does not exist.
   *
   * @throws IOException if it cannot be read, or is damaged (the message names the file: a
   *     server must not forget a promise, so it does not start)
   */
  public HardState read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return HardState.INITIAL;
    }
    if (bytes.length != SIZE) {
      throw new IOException(file + " is damaged: " + bytes.length + " bytes, expected " + SIZE);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int magic = b.getInt();
    int accepted = b.getInt();
    int leader = b.getInt();
    int current = b.getInt();
    int crc = b.getInt();
    if (magic != MAGIC || crc != crc(bytes)) {
      throw new IOException(file + " is damaged (bad magic or checksum); it holds this server's"
          + " epoch promises, so restore it from a backup or remove the whole data directory");
    }
    try {
      return new HardState(accepted, leader, current);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is damaged: " + e.getMessage(), e);
    }
  }

  /** Writes the state durably (blocking: call it on a worker thread). */
  public void write(HardState state) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.putInt(MAGIC).putInt(state.acceptedEpoch()).putInt(state.acceptedLeader())
        .putInt(state.currentEpoch());
    b.putInt(crc(b.array()));
    b.flip();
    Path tmp = file.resolveSibling(NAME + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the rename is still atomic there.
    }
  }

  private static int crc(byte[] bytes) {
    CRC32C c = new CRC32C();
    c.update(bytes, 0, SIZE - 4);
    return (int) c.getValue();
  }
}

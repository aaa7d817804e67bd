package io.roost.server.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A small file in dataDir holding the last time this server was known to be running, rewritten
 * every tick (no fsync: after a process crash the page cache still has it; after a machine crash an
 * older value only makes recovery expire sessions sooner). On start-up it tells how long the server
 * was down, so sessions that timed out meanwhile expire at once. Blocking: call on a worker.
 */
public final class AliveMarker {
  private static final String NAME = "roost.alive";

  private final Path file;
  private final Path temp;

  /** A marker in {@code dataDir}. */
  public AliveMarker(Path dataDir) {
    this.file = dataDir.resolve(NAME);
    this.temp = dataDir.resolve(NAME + ".tmp");
  }

  /** The last time written, or {@code fallback} when there is no readable marker. */
  public long lastAlive(long fallback) {
    try {
      return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return fallback;
    }
  }

  /** Records that the server is alive at {@code nowMs}. */
  public void write(long nowMs) throws IOException {
    Files.writeString(temp, Long.toString(nowMs), StandardCharsets.US_ASCII);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}

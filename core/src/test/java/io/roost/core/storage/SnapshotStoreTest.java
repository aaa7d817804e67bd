package io.roost.core.storage;

import static io.roost.core.storage.SnapshotTestImages.assertSameImage;
import static io.roost.core.storage.SnapshotTestImages.imageAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.state.StateImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
  @TempDir
  Path dir;

  private final Logger logger = Logger.getLogger(SnapshotStore.class.getName());
  private final List<LogRecord> logged = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      synchronized (logged) {
        logged.add(r);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void captureLog() {
    logger.addHandler(capture);
  }

  @AfterEach
  void releaseLog() {
    logger.removeHandler(capture);
  }

  private static void flipByte(Path file, int fromEnd) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[b.length - fromEnd] ^= 0x40;
    Files.write(file, b);
  }

  private static void truncate(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(b, b.length / 2));
  }

  @Test
  void snapshotsAreNewestFirstAndIgnoreOtherFiles() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    Path s2 = store.write(imageAt(0x2));
    Path s10 = store.write(imageAt(0x10));
    Path sEpoch = store.write(imageAt(0x1_0000_0001L));
    Files.writeString(dir.resolve("notes.txt"), "hello");
    Files.writeString(dir.resolve("snapshot.abc"), "not a snapshot name");
    Files.writeString(dir.resolve("log.0000000000000001"), "a log");
    Files.createDirectory(dir.resolve("snapshot.00000000000000ff"));
    Files.writeString(dir.resolve("snapshot.0000000000000020.555.tmp"), "half written");

    assertEquals(List.of(sEpoch, s10, s2), store.snapshots());
  }

  @Test
  void loadsTheNewestSnapshot() {
    SnapshotStore store = SnapshotStore.open(dir);
    store.write(imageAt(3));
    StateImage newest = SnapshotTestImages.sample().image();
    Path file = store.write(newest);

    SnapshotStore.LoadedSnapshot loaded = store.loadNewestValid().orElseThrow();

    assertEquals(file, loaded.file());
    assertEquals(newest.lastZxid(), loaded.zxid());
    assertSameImage(newest, loaded.image());
    assertTrue(logged.stream().noneMatch(r -> r.getLevel() == Level.WARNING));
  }

  @Test
  void fallsBackToAnOlderSnapshotWhenTheNewestIsDamaged() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    Path old = store.write(imageAt(5));
    Path mid = store.write(imageAt(6));
    Path newest = store.write(imageAt(7));
    flipByte(newest, 20);
    truncate(mid);

    SnapshotStore.LoadedSnapshot loaded = store.loadNewestValid().orElseThrow();

    assertEquals(old, loaded.file());
    assertEquals(5, loaded.zxid());
    List<String> warnings = logged.stream().filter(r -> r.getLevel() == Level.WARNING)
        .map(LogRecord::getMessage).toList();
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains(newest.toString()), warnings.get(0));
    assertTrue(warnings.get(1).contains(mid.toString()), warnings.get(1));
  }

  @Test
  void nothingToLoadGivesEmpty() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    assertEquals(Optional.empty(), store.loadNewestValid());

    truncate(store.write(imageAt(9)));
    assertEquals(Optional.empty(), store.loadNewestValid());
  }

  @Test
  void retentionKeepsTheNewestAndReportsTheOldestKept() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    assertEquals(0, store.oldestRetainedZxid());
    List<Path> written = new ArrayList<>();
    for (long z = 1; z <= 5; z++) {
      written.add(store.write(imageAt(z * 100)));
    }
    Files.writeString(dir.resolve("notes.txt"), "kept");
    assertEquals(100, store.oldestRetainedZxid());

    List<Path> deleted = store.retain(3);

    assertEquals(List.of(written.get(1), written.get(0)), deleted);
    assertEquals(List.of(written.get(4), written.get(3), written.get(2)), store.snapshots());
    assertEquals(300, store.oldestRetainedZxid());
    assertTrue(Files.exists(dir.resolve("notes.txt")));

    assertEquals(List.of(), store.retain(3));
    assertEquals(List.of(written.get(2)), store.retain(2));
    assertEquals(400, store.oldestRetainedZxid());
  }

  @Test
  void damagedSnapshotsDoNotCountTowardsRetention() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    Path s1 = store.write(imageAt(1));
    Path s2 = store.write(imageAt(2));
    Path s3 = store.write(imageAt(3));
    Path s4 = store.write(imageAt(4));
    truncate(s4);
    truncate(s2);

    List<Path> deleted = store.retain(2);

    // s4 is damaged and newer than the kept ones: left for an operator. s3 and s1 are the two
    // intact ones; s2 sits between them and stays too.
    assertEquals(List.of(), deleted);
    assertEquals(List.of(s4, s3, s2, s1), store.snapshots());
    assertEquals(1, store.oldestRetainedZxid());

    assertEquals(List.of(s2, s1), store.retain(1));
    assertEquals(3, store.oldestRetainedZxid());
  }

  @Test
  void retentionMustKeepAtLeastOne() {
    SnapshotStore store = SnapshotStore.open(dir);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> store.retain(0));
    assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
  }

  @Test
  void openingDeletesUnfinishedSnapshotsOnly() throws IOException {
    Files.createDirectories(dir);
    Path kept = SnapshotFile.write(imageAt(8), dir);
    Path temp1 = Files.writeString(dir.resolve("snapshot.0000000000000009.123.tmp"), "partial");
    Path temp2 = Files.writeString(dir.resolve("snapshot.000000000000000a.77.tmp"), "");
    Path foreign = Files.writeString(dir.resolve("other.tmp"), "not ours");

    SnapshotStore store = SnapshotStore.open(dir);

    assertFalse(Files.exists(temp1));
    assertFalse(Files.exists(temp2));
    assertTrue(Files.exists(foreign));
    assertEquals(List.of(kept), store.snapshots());
    assertEquals(8, store.loadNewestValid().orElseThrow().zxid());
  }

  @Test
  void openCreatesAMissingDirectory() {
    Path nested = dir.resolve("a/b");
    SnapshotStore store = SnapshotStore.open(nested);
    assertTrue(Files.isDirectory(nested));
    assertEquals(nested, store.dir());
    assertEquals(nested.resolve(SnapshotFile.fileName(4)), store.write(imageAt(4)));
  }

  @Test
  void looksIntactChecksBothEnds() throws IOException {
    Path file = SnapshotFile.write(imageAt(1), dir);
    assertTrue(SnapshotStore.looksIntact(file));
    byte[] b = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(b, b.length - 1));
    assertFalse(SnapshotStore.looksIntact(file));
    b[0] = 0;
    Files.write(file, b);
    assertFalse(SnapshotStore.looksIntact(file));
    Files.write(file, new byte[3]);
    assertFalse(SnapshotStore.looksIntact(file));
    assertFalse(SnapshotStore.looksIntact(dir.resolve("missing")));
  }
}

package io.roost.core.storage;

import static io.roost.core.storage.SnapshotTestImages.assertSameImage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.state.NodeImage;
import io.roost.core.state.SessionInfo;
import io.roost.core.state.StateImage;
import io.roost.core.state.StateMachine;
import io.roost.core.txn.TxnOp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {
  @TempDir
  Path dir;

  private static NodeImage node(StateImage image, String path) {
    return image.nodes().stream().filter(n -> n.path().equals(path)).findFirst().orElseThrow();
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void roundTripKeepsEveryFieldAndTheDigest() {
    StateMachine live = SnapshotTestImages.sample();
    StateImage image = live.image();

    Path file = SnapshotFile.write(image, dir);
    StateImage back = SnapshotFile.read(file);

    assertSameImage(image, back);
    StateMachine restored = StateMachine.fromImage(back);
    assertEquals(live.digest(), restored.digest());
    assertEquals(live.lastZxid(), restored.lastZxid());
    assertEquals(live.tree().nodeCount(), restored.tree().nodeCount());
    assertEquals(live.tree().get("/app/eph").ephemeralOwner(),
        restored.tree().get("/app/eph").ephemeralOwner());
  }

  @Test
  void nullAndEmptyDataStayDistinct() {
    StateImage back = SnapshotFile.read(SnapshotFile.write(SnapshotTestImages.sample().image(),
        dir));

    assertNull(node(back, "/app/null").data());
    assertNotNull(node(back, "/app/empty").data());
    assertEquals(0, node(back, "/app/empty").data().length);
    assertNotNull(node(back, "/app/container").data());
  }

  @Test
  void sessionsSurviveWithTimeoutAndPassword() {
    StateImage back = SnapshotFile.read(SnapshotFile.write(SnapshotTestImages.sample().image(),
        dir));

    assertEquals(2, back.sessions().size());
    SessionInfo a = back.sessions().get(0);
    SessionInfo b = back.sessions().get(1);
    assertEquals(SnapshotTestImages.SESSION_A, a.id());
    assertEquals(30_000, a.timeoutMs());
    assertArrayEquals(SnapshotTestImages.bytes(16, 3), a.password());
    assertEquals(SnapshotTestImages.SESSION_B, b.id());
    assertEquals(4_000, b.timeoutMs());
    assertTrue(b.passwordMatches(SnapshotTestImages.bytes(16, 9)));
    assertNotNull(StateMachine.fromImage(back).session(SnapshotTestImages.SESSION_A));
  }

  @Test
  void aclListsAreSharedAfterReading() {
    StateImage back = SnapshotFile.read(SnapshotFile.write(SnapshotTestImages.sample().image(),
        dir));

    assertTrue(node(back, "/app").acl() == node(back, "/app/null").acl(),
        "nodes with equal ACLs should share one list after reading");
    assertEquals(SnapshotTestImages.DIGEST, node(back, "/app/binary").acl());
  }

  @Test
  void fileIsNamedAfterTheZxidAndNoTempFileRemains() throws IOException {
    StateImage image = SnapshotTestImages.imageAt(0x1_0000_00abL);

    Path file = SnapshotFile.write(image, dir);

    assertEquals("snapshot.00000001000000ab", file.getFileName().toString());
    assertEquals(List.of("snapshot.00000001000000ab"), names(dir));
    assertEquals(OptionalLong.of(0x1_0000_00abL), SnapshotFile.zxidOf(file));
  }

  @Test
  void writingTheSameZxidAgainReplacesTheFile() {
    StateImage image = SnapshotTestImages.sample().image();
    Path first = SnapshotFile.write(image, dir);
    Path second = SnapshotFile.write(image, dir);

    assertEquals(first, second);
    assertSameImage(image, SnapshotFile.read(second));
  }

  @Test
  void snapshotNamesAreRecognisedStrictly() {
    assertEquals(OptionalLong.of(0xabcL),
        SnapshotFile.zxidOf(Path.of("snapshot.0000000000000abc")));
    assertEquals(OptionalLong.of(0xffffffffffffffffL),
        SnapshotFile.zxidOf(Path.of("/d/snapshot.ffffffffffffffff")));
    assertFalse(SnapshotFile.zxidOf(Path.of("snapshot.abc")).isPresent());
    assertFalse(SnapshotFile.zxidOf(Path.of("snapshot.0000000000000abc.1234.tmp")).isPresent());
    assertFalse(SnapshotFile.zxidOf(Path.of("snapshot.000000000000zabc")).isPresent());
    assertFalse(SnapshotFile.zxidOf(Path.of("log.0000000000000abc")).isPresent());
    assertTrue(SnapshotFile.isTempFile(Path.of("snapshot.0000000000000abc.1234.tmp")));
    assertFalse(SnapshotFile.isTempFile(Path.of("snapshot.0000000000000abc")));
  }

  @Test
  void everyTruncationIsReportedNamingTheFile() throws IOException {
    Path good = SnapshotFile.write(SnapshotTestImages.sample().image(), dir);
    byte[] bytes = Files.readAllBytes(good);
    Path cut = dir.resolve("cut");

    for (int len = 0; len < bytes.length; len++) {
      Files.write(cut, Arrays.copyOf(bytes, len));
      SnapshotCorruptedException e =
          assertThrows(SnapshotCorruptedException.class, () -> SnapshotFile.read(cut),
              "a file cut to " + len + " of " + bytes.length + " bytes must be rejected");
      assertEquals(cut, e.file());
      assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }
  }

  @Test
  void everyFlippedByteIsDetected() throws IOException {
    Path good = SnapshotFile.write(SnapshotTestImages.sample().image(), dir);
    byte[] bytes = Files.readAllBytes(good);
    Path bad = dir.resolve("bad");

    for (int k = 0; k < bytes.length; k++) {
      byte[] damaged = bytes.clone();
      damaged[k] ^= (byte) (1 << (k % 8));
      Files.write(bad, damaged);
      int at = k;
      SnapshotCorruptedException e =
          assertThrows(SnapshotCorruptedException.class, () -> SnapshotFile.read(bad),
              "a flipped bit in byte " + at + " must be detected");
      assertEquals(bad, e.file());
    }
  }

  @Test
  void aFlippedDataByteIsReportedAsAChecksumMismatch() throws IOException {
    Path file = SnapshotFile.write(SnapshotTestImages.sample().image(), dir);
    byte[] bytes = Files.readAllBytes(file);
    byte[] marker = "config v2".getBytes(StandardCharsets.UTF_8);
    int at = indexOf(bytes, marker);
    bytes[at] ^= 0x20;
    Files.write(file, bytes);

    SnapshotCorruptedException e =
        assertThrows(SnapshotCorruptedException.class, () -> SnapshotFile.read(file));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void wrongMagicIsReported() throws IOException {
    Path file = SnapshotFile.write(SnapshotTestImages.sample().image(), dir);
    byte[] bytes = Files.readAllBytes(file);
    bytes[0] = 'X';
    Files.write(file, bytes);

    SnapshotCorruptedException e =
        assertThrows(SnapshotCorruptedException.class, () -> SnapshotFile.read(file));
    assertTrue(e.getMessage().contains("magic"), e.getMessage());
    assertEquals(file, e.file());
  }

  @Test
  void anUnknownFormatVersionIsReported() throws IOException {
    Path file = SnapshotFile.write(SnapshotTestImages.sample().image(), dir);
    byte[] bytes = Files.readAllBytes(file);
    bytes[7] = 9;
    Files.write(file, bytes);

    SnapshotCorruptedException e =
        assertThrows(SnapshotCorruptedException.class, () -> SnapshotFile.read(file));
    assertTrue(e.getMessage().contains("format version 9"), e.getMessage());
  }

  @Test
  void bytesAfterTheTrailerAreReported() throws IOException {
    Path file = SnapshotFile.write(SnapshotTestImages.sample().image(), dir);
    Files.write(file, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);

    SnapshotCorruptedException e =
        assertThrows(SnapshotCorruptedException.class, () -> SnapshotFile.read(file));
    assertTrue(e.getMessage().contains("after the trailer"), e.getMessage());
  }

  @Test
  void aNameThatDisagreesWithTheHeaderIsReported() throws IOException {
    Path file = SnapshotFile.write(SnapshotTestImages.imageAt(5), dir);
    Path renamed = Files.move(file, dir.resolve(SnapshotFile.fileName(6)));

    SnapshotCorruptedException e =
        assertThrows(SnapshotCorruptedException.class, () -> SnapshotFile.read(renamed));
    assertTrue(e.getMessage().contains("name says zxid 0x6"), e.getMessage());
    // Under a name that is not a snapshot name, the same bytes read fine.
    Path other = Files.copy(renamed, dir.resolve("copy"));
    assertEquals(5, SnapshotFile.read(other).lastZxid());
  }

  @Test
  void aMissingFileIsAnIoErrorNotCorruption() {
    Path missing = dir.resolve(SnapshotFile.fileName(1));
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> SnapshotFile.read(missing));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void aFailedWriteLeavesNoFileBehind() throws IOException {
    StateMachine sm = new StateMachine();
    sm.apply(new io.roost.core.txn.Transaction(7, 1, 1, 1,
        new TxnOp.CreateSession(1000, new byte[70_000])), io.roost.core.tree.ChangeSink.NONE);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SnapshotFile.write(sm.image(), dir));
    assertTrue(e.getMessage().contains("password"), e.getMessage());
    assertEquals(List.of(), names(dir));
  }

  @Test
  void aDirectoryThatIsAFileGivesAClearError() throws IOException {
    Path notADir = Files.createFile(dir.resolve("plain"));
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> SnapshotFile.write(SnapshotTestImages.imageAt(1), notADir));
    assertTrue(e.getMessage().contains(notADir.toString()), e.getMessage());
  }

  @Test
  void largeImageRoundTrips() {
    SnapshotTestImages.Builder b = new SnapshotTestImages.Builder();
    int parents = 200;
    int perParent = 1000;
    for (int p = 0; p < parents; p++) {
      b.create("/p" + p, "");
    }
    for (int p = 0; p < parents; p++) {
      for (int c = 0; c < perParent; c++) {
        b.create("/p" + p + "/c" + c, SnapshotTestImages.bytes(100, p + c),
            SnapshotTestImages.OPEN, 0);
      }
    }
    StateImage image = b.sm.image();
    assertTrue(image.nodes().size() > 200_000);

    StateImage back = SnapshotFile.read(SnapshotFile.write(image, dir));

    assertEquals(image.nodes().size(), back.nodes().size());
    StateMachine restored = StateMachine.fromImage(back);
    assertEquals(b.sm.digest(), restored.digest());
    assertArrayEquals(SnapshotTestImages.bytes(100, 199 + 999),
        restored.tree().get("/p199/c999").data());
  }

  @Test
  void streamsRoundTripWithoutAFile() throws IOException {
    StateImage image = SnapshotTestImages.sample().image();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long written = SnapshotWriter.write(image, out);
    byte[] bytes = out.toByteArray();
    assertEquals(bytes.length, written);

    assertSameImage(image, SnapshotReader.read(new ByteArrayInputStream(bytes), null, -1));

    byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);
    SnapshotCorruptedException e = assertThrows(SnapshotCorruptedException.class,
        () -> SnapshotReader.read(new ByteArrayInputStream(cut), null, -1));
    assertNull(e.file());
    assertTrue(e.getMessage().contains("snapshot stream"), e.getMessage());
  }

  @Test
  void dumpPrintsHeaderSessionsAndNodes() {
    StateMachine sm = SnapshotTestImages.sample();
    Path file = SnapshotFile.write(sm.image(), dir);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();

    SnapshotFile.dump(file, new PrintStream(buf, true, StandardCharsets.UTF_8));

    String text = buf.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("lastZxid 0x" + Long.toHexString(sm.lastZxid())), text);
    assertTrue(text.contains("2 sessions"), text);
    assertTrue(text.contains("0x" + Long.toHexString(SnapshotTestImages.SESSION_A)
        + " timeout 30000 ms"), text);
    assertTrue(text.contains("0x" + Long.toHexString(SnapshotTestImages.SESSION_B)
        + " timeout 4000 ms"), text);
    String app = line(text, "  /app ");
    assertTrue(app.contains("czxid 0x3 "), app);
    assertTrue(app.contains("mzxid 0xc "), app);
    assertTrue(app.contains("version 1 "), app);
    assertTrue(app.contains("data 9 bytes \"config v2\""), app);
    assertTrue(line(text, "  /app/null ").contains("data null"), text);
    assertTrue(line(text, "  /app/empty ").contains("data 0 bytes \"\""), text);
    assertTrue(line(text, "  /app/empty ").contains("aversion 1 "), text);
    assertTrue(line(text, "  /app/eph ").contains(
        "owner 0x" + Long.toHexString(SnapshotTestImages.SESSION_A)), text);
    String binary = line(text, "  /app/binary ");
    assertTrue(binary.contains("data 300 bytes \""), binary);
    assertTrue(binary.endsWith("\"..."), binary);
    assertTrue(binary.contains("digest:bob:"), binary);
    assertTrue(text.contains("checksum ok"), text);
  }

  @Test
  void previewEscapesUnprintableBytes() {
    assertEquals("\"a\\x00\\x22\\x5c\\xffz\"",
        SnapshotPrinter.preview(new byte[] {'a', 0, '"', '\\', (byte) 0xff, 'z'}));
    assertEquals("\"" + "x".repeat(SnapshotPrinter.PREVIEW_BYTES) + "\"...",
        SnapshotPrinter.preview("x".repeat(40).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void dumpOfADamagedFileThrows() throws IOException {
    Path file = SnapshotFile.write(SnapshotTestImages.sample().image(), dir);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();

    assertThrows(SnapshotCorruptedException.class,
        () -> SnapshotFile.dump(file, new PrintStream(buf, true, StandardCharsets.UTF_8)));
    assertFalse(buf.toString(StandardCharsets.UTF_8).contains("checksum ok"));
  }

  private static String line(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in\n"
            + text));
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int k = 0; k + needle.length <= hay.length; k++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[k + j] != needle[j]) {
          continue outer;
        }
      }
      return k;
    }
    throw new AssertionError("marker not found");
  }
}

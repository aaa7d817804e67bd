package io.roost.server.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
  private final List<byte[]> frames = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final FrameReader reader = new FrameReader(0, 1_000, new FrameReader.Sink() {
    @Override
    public void frame(byte[] body) {
      frames.add(body);
    }

    @Override
    public void invalid(String problem) {
      problems.add(problem);
    }
  });

  private static Buffer stream() {
    byte[] big = new byte[700];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    return Buffer.buffer().appendInt(3).appendBytes(new byte[] {1, 2, 3}).appendInt(0)
        .appendInt(big.length).appendBytes(big).appendInt(1).appendByte((byte) 9);
  }

  private void checkFrames() {
    assertEquals(4, frames.size());
    assertArrayEquals(new byte[] {1, 2, 3}, frames.get(0));
    assertEquals(0, frames.get(1).length);
    assertEquals(700, frames.get(2).length);
    assertEquals((byte) 699, frames.get(2)[699]);
    assertArrayEquals(new byte[] {9}, frames.get(3));
    assertEquals(List.of(), problems);
  }

  @Test
  void framesInOneChunkComeOutWhole() {
    reader.handle(stream());
    checkFrames();
  }

  @Test
  void framesSplitAtEveryByteComeOutWhole() {
    Buffer all = stream();
    for (int i = 0; i < all.length(); i++) {
      reader.handle(all.getBuffer(i, i + 1));
    }
    checkFrames();
  }

  @Test
  void framesSplitInUnevenChunksComeOutWhole() {
    Buffer all = stream();
    int at = 0;
    for (int size = 1; at < all.length(); size = size * 3 % 97 + 1) {
      int end = Math.min(all.length(), at + size);
      reader.handle(all.getBuffer(at, end));
      at = end;
    }
    checkFrames();
  }

  @Test
  void aLengthOverTheLimitIsReportedOnceAndEndsTheParsing() {
    reader.handle(Buffer.buffer().appendInt(1_001).appendBytes(new byte[20]));
    reader.handle(Buffer.buffer().appendInt(1).appendByte((byte) 1));
    assertEquals(List.of("frame length 1001 outside 0..1000"), problems);
    assertEquals(0, frames.size());
  }

  @Test
  void theFirstHeaderCanEndTheStreamAndAMinimumLengthIsEnforced() {
    Recorder words = new Recorder(header -> !"ruok".equals(
        new String(header, java.nio.charset.StandardCharsets.US_ASCII)));
    FrameReader reader = new FrameReader(1, 100, words);
    // Split inside the word: the hook still sees all four bytes, once.
    reader.handle(Buffer.buffer("ru"));
    reader.handle(Buffer.buffer("ok").appendInt(1).appendByte((byte) 1));
    assertEquals(List.of("first ruok"), words.seen, "nothing is read after the hook said stop");

    Recorder frames = new Recorder(header -> true);
    new FrameReader(1, 100, frames).handle(
        Buffer.buffer().appendInt(2).appendShort((short) 7).appendInt(0).appendInt(1));
    assertEquals(List.of("first \0\0\0\2", "frame 2", "frame length 0 outside 1..100"),
        frames.seen);
  }

  @Test
  void bytesOfAnUnfinishedFrameAreReportedAsProgress() {
    Recorder slow = new Recorder(header -> true);
    FrameReader reader = new FrameReader(0, 100, slow);
    reader.handle(Buffer.buffer().appendInt(10)); // a length alone: no body bytes yet
    reader.handle(Buffer.buffer(new byte[4]));
    reader.handle(Buffer.buffer(new byte[4]));
    reader.handle(Buffer.buffer(new byte[2]).appendInt(1).appendByte((byte) 5));
    assertEquals(List.of("first \0\0\0\n", "partial", "partial", "frame 10", "frame 1"),
        slow.seen);
  }

  /** A sink that notes, in order, the first header, each frame's length, progress and problems. */
  private static final class Recorder implements FrameReader.Sink {
    final List<String> seen = new ArrayList<>();
    private final java.util.function.Predicate<byte[]> firstHook;

    Recorder(java.util.function.Predicate<byte[]> firstHook) {
      this.firstHook = firstHook;
    }

    @Override
    public void frame(byte[] body) {
      seen.add("frame " + body.length);
    }

    @Override
    public void invalid(String problem) {
      seen.add(problem);
    }

    @Override
    public boolean first(byte[] header) {
      seen.add("first " + new String(header, java.nio.charset.StandardCharsets.US_ASCII));
      return firstHook.test(header);
    }

    @Override
    public void partial() {
      seen.add("partial");
    }
  }
}

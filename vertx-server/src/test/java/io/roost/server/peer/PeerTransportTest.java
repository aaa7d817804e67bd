package io.roost.server.peer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real transports on loopback ephemeral ports.
 *
 * <p>Ports: a transport only dials peers with lower ids, so the servers are started in ascending
 * id order and each one's map holds the real, already bound ports of the lower ids; the higher
 * ids get {@link #NEVER_DIALED}, which is never used. Only the tests where a lower-id server
 * starts late or restarts need its port beforehand; they reuse a port a transport (or a probe
 * socket) bound a moment earlier.
 */
class PeerTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Placeholder address for a higher-id peer: it dials us, we never dial it. */
  private static final SocketAddress NEVER_DIALED =
      SocketAddress.inetSocketAddress(0, TestPeer.HOST);
  private static final PeerTransportOptions OPTIONS = new PeerTransportOptions(1 << 20,
      Duration.ofMillis(20), Duration.ofMillis(200), 1 << 20, Duration.ofSeconds(1));

  private Vertx vertx;
  private final List<TestPeer> peers = new ArrayList<>();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopAll() throws Exception {
    for (TestPeer p : peers) {
      try {
        p.close();
      } catch (RuntimeException | AssertionError e) {
        // Closing is idempotent; a failure here must not hide the test's own result.
      }
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private TestPeer start(int id, int port, Map<Integer, SocketAddress> map) {
    return start(id, port, map, OPTIONS);
  }

  private TestPeer start(int id, int port, Map<Integer, SocketAddress> map,
      PeerTransportOptions options) {
    TestPeer p = TestPeer.start(vertx, id, port, map, options);
    peers.add(p);
    return p;
  }

  private static SocketAddress at(int port) {
    return SocketAddress.inetSocketAddress(port, TestPeer.HOST);
  }

  /** Servers 1, 2, 3 started in id order, fully connected. */
  private TestPeer[] threeConnected() {
    TestPeer p1 = start(1, 0, Map.of(2, NEVER_DIALED, 3, NEVER_DIALED));
    TestPeer p2 = start(2, 0, Map.of(1, p1.address(), 3, NEVER_DIALED));
    TestPeer p3 = start(3, 0, Map.of(1, p1.address(), 2, p2.address()));
    awaitLinked(p1, p2);
    awaitLinked(p1, p3);
    awaitLinked(p2, p3);
    return new TestPeer[] {null, p1, p2, p3};
  }

  private static void awaitLinked(TestPeer a, TestPeer b) {
    await().atMost(WAIT).until(() -> a.sawConnected(b.id) && b.sawConnected(a.id));
  }

  /** Sends "tag #k" for k in [0, n) from a to b and waits until b has them all, in order. */
  private static void exchange(TestPeer a, TestPeer b, String tag, int n) {
    List<byte[]> frames = new ArrayList<>();
    List<String> want = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      String text = tag + " #" + k;
      want.add(text);
      frames.add(text.getBytes(StandardCharsets.UTF_8));
    }
    int before = b.receivedFrom(a.id).size();
    a.send(b.id, frames);
    await().atMost(WAIT).until(() -> b.receivedFrom(a.id).size() >= before + n);
    List<String> got = b.receivedFrom(a.id);
    assertEquals(want, got.subList(before, got.size()), tag);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(TestPeer.HOST))) {
      return s.getLocalPort();
    }
  }

  @Test
  void threeServersExchangeFramesBothWaysInOrderPerPair() {
    TestPeer[] p = threeConnected();
    // Sizes from empty to tens of kilobytes, so frames split and merge across TCP reads.
    for (int from = 1; from <= 3; from++) {
      for (int to = 1; to <= 3; to++) {
        if (from == to) {
          continue;
        }
        List<byte[]> frames = new ArrayList<>();
        for (int k = 0; k < 300; k++) {
          String head = from + "->" + to + " #" + k + " ";
          frames.add(k == 0 ? new byte[0]
              : (head + "x".repeat(padding(k))).getBytes(StandardCharsets.UTF_8));
        }
        p[from].send(to, frames);
      }
    }
    for (int to = 1; to <= 3; to++) {
      for (int from = 1; from <= 3; from++) {
        if (from == to) {
          continue;
        }
        TestPeer receiver = p[to];
        int sender = from;
        await().atMost(WAIT).until(() -> receiver.receivedFrom(sender).size() == 300);
        List<String> got = receiver.receivedFrom(sender);
        assertEquals("", got.get(0), "the empty frame arrives as an empty body");
        for (int k = 1; k < 300; k++) {
          assertTrue(got.get(k).startsWith(from + "->" + to + " #" + k + " "),
              "frame " + k + " from " + from + " to " + to + " out of order: "
                  + got.get(k).substring(0, Math.min(30, got.get(k).length())));
          assertEquals(padding(k), got.get(k).length() - (from + "->" + to + " #" + k
              + " ").length());
        }
      }
    }
    for (int i = 1; i <= 3; i++) {
      assertEquals(600, p[i].transport().framesSent());
      assertEquals(600, p[i].transport().framesReceived());
      assertEquals(0, p[i].transport().framesDropped());
      assertTrue(p[i].isConnected(i == 1 ? 2 : 1));
    }
  }

  /** Frame sizes up to 3 KB, and one of 200 KB that spans many TCP reads. */
  private static int padding(int k) {
    return k == 299 ? 200_000 : k * 97 % 3000;
  }

  @Test
  void aLargeFrameIsReportedWhileItArrives() {
    // A follower counts these as hearing from its leader while a big snapshot arrives.
    TestPeer[] p = threeConnected();
    byte[] big = new byte[(1 << 20) - 16]; // under the test transport's 1 MiB frame limit
    java.util.Arrays.fill(big, (byte) 'x');
    p[1].send(2, List.of(big));
    await().atMost(WAIT).until(() -> p[2].receivedFrom(1).size() == 1);
    assertTrue(p[2].partialsFrom(1) > 0, "no progress reported for a 1 MiB frame");
    assertEquals(big.length, p[2].receivedFrom(1).get(0).length());
  }

  @Test
  void aPeerThatStartsLateIsConnectedOnceItStarts() throws IOException {
    int port1 = freePort();
    TestPeer p2 = start(2, 0, Map.of(1, at(port1), 3, NEVER_DIALED));
    TestPeer p3 = start(3, 0, Map.of(1, at(port1), 2, p2.address()));
    awaitLinked(p2, p3);
    // Server 1 is not there yet: 2 and 3 keep dialing it.
    await().atMost(WAIT).until(() -> p2.transport().reconnects() >= 2
        && p3.transport().reconnects() >= 2);
    assertFalse(p2.isConnected(1));

    TestPeer p1 = start(1, port1, Map.of(2, NEVER_DIALED, 3, NEVER_DIALED));
    awaitLinked(p1, p2);
    awaitLinked(p1, p3);
    exchange(p1, p2, "1->2", 20);
    exchange(p3, p1, "3->1", 20);
  }

  @Test
  void aRestartedPeerIsReconnectedAndFramesFlowAgain() {
    TestPeer[] p = threeConnected();
    exchange(p[2], p[1], "before", 10);
    int port1 = p[1].port();

    p[1].close();
    await().atMost(WAIT).until(() -> !p[2].sawConnected(1) && !p[3].sawConnected(1));
    long dropped = p[2].transport().framesDropped();
    p[2].send(1, "into the void");
    assertEquals(dropped + 1, p[2].transport().framesDropped());

    TestPeer again = start(1, port1, Map.of(2, NEVER_DIALED, 3, NEVER_DIALED));
    awaitLinked(again, p[2]);
    awaitLinked(again, p[3]);
    exchange(p[2], again, "2->1 after restart", 10);
    exchange(again, p[3], "1->3 after restart", 10);
    assertEquals(List.of("connected 1", "disconnected 1", "connected 1"),
        p[2].events.stream().filter(e -> e.endsWith(" 1")).toList());

    // A restarted dialer (higher id) needs no port of its own: it reconnects to 1 and 2.
    p[3].close();
    await().atMost(WAIT).until(() -> !again.sawConnected(3) && !p[2].sawConnected(3));
    TestPeer three = start(3, 0, Map.of(1, again.address(), 2, p[2].address()));
    awaitLinked(three, again);
    awaitLinked(three, p[2]);
    exchange(three, p[2], "3->2 after restart", 10);
  }

  @Test
  void anOversizedFrameClosesOnlyThatConnectionWhichThenReconnects() {
    PeerTransportOptions small = new PeerTransportOptions(1024, OPTIONS.reconnectMin(),
        OPTIONS.reconnectMax(), OPTIONS.maxQueuedBytesPerPeer(), OPTIONS.connectTimeout());
    TestPeer p1 = start(1, 0, Map.of(2, NEVER_DIALED, 3, NEVER_DIALED), small);
    TestPeer p2 = start(2, 0, Map.of(1, p1.address(), 3, NEVER_DIALED));
    TestPeer p3 = start(3, 0, Map.of(1, p1.address(), 2, p2.address()));
    awaitLinked(p1, p2);
    awaitLinked(p1, p3);
    awaitLinked(p2, p3);

    // 3 allows 1 MiB frames, 1 only 1 KiB: 1 must drop the connection rather than read it.
    p3.send(1, List.of(new byte[2000]));
    await().atMost(WAIT).until(() -> p1.eventCount("disconnected 3") == 1
        && p3.eventCount("disconnected 1") == 1);
    await().atMost(WAIT).until(() -> p1.eventCount("connected 3") == 2
        && p3.eventCount("connected 1") == 2);
    exchange(p3, p1, "3->1 after reconnect", 10);
    exchange(p1, p3, "1->3 after reconnect", 10);

    // The other connections never noticed.
    exchange(p2, p1, "2->1", 10);
    assertEquals(List.of("connected 1"), p2.events.stream().filter(e -> e.endsWith(" 1"))
        .toList());
    assertEquals(1, p1.eventCount("connected 2"));
    assertEquals(1, p2.eventCount("connected 3"));
  }

  @Test
  void hostileFrameLengthsCloseTheConnectionWithoutAllocating() throws IOException {
    TestPeer p1 = start(1, 0, Map.of(2, NEVER_DIALED, 3, NEVER_DIALED));
    TestPeer p2 = start(2, 0, Map.of(1, p1.address(), 3, NEVER_DIALED));
    awaitLinked(p1, p2);
    for (int length : new int[] {Integer.MAX_VALUE, -1, Integer.MIN_VALUE,
        OPTIONS.maxFrameBytes() + 1}) {
      try (RawPeer raw = RawPeer.connect(p1.port())) {
        raw.write(RawPeer.handshake(3));
        assertEquals(1, raw.readHandshake());
        await().atMost(WAIT).until(() -> p1.sawConnected(3));
        raw.write(ByteBuffer.allocate(8).putInt(length).putInt(0).array());
        assertTrue(raw.closedByPeer(), "length " + length + " should close the connection");
        await().atMost(WAIT).until(() -> !p1.sawConnected(3));
      }
    }
    exchange(p2, p1, "2->1 still fine", 10);
    exchange(p1, p2, "1->2 still fine", 10);
  }

  @Test
  void badHandshakesAreClosedWhileOthersKeepWorking() throws IOException {
    TestPeer[] p = threeConnected();
    int port2 = p[2].port();
    List<byte[]> hellos = List.of(
        RawPeer.handshake(0xCAFEBABE, Handshake.VERSION, 3), // wrong magic
        RawPeer.handshake(Handshake.MAGIC, 99, 3), // another protocol version
        RawPeer.handshake(9), // not a member
        RawPeer.handshake(1), // lower than the acceptor (2): 2 dials 1, never the reverse
        RawPeer.handshake(2), // the acceptor's own id
        ByteBuffer.allocate(12).putInt(8).putInt(Handshake.MAGIC).putInt(3).array(), // short
        ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array(), // huge first frame
        ByteBuffer.allocate(4).putInt(0).array(), // empty first frame
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    for (byte[] hello : hellos) {
      try (RawPeer raw = RawPeer.connect(port2)) {
        raw.write(hello);
        // Closed without an answering handshake (closedByPeer is false if any byte arrives).
        assertTrue(raw.closedByPeer(), "handshake " + java.util.HexFormat.of().formatHex(hello));
      }
    }
    // Silence: closed after the connect timeout (1 s here).
    try (RawPeer raw = RawPeer.connect(port2)) {
      assertTrue(raw.closedByPeer());
    }

    exchange(p[1], p[2], "1->2", 10);
    exchange(p[2], p[3], "2->3", 10);
    exchange(p[3], p[2], "3->2", 10);
    assertEquals(List.of("connected 1", "connected 3"), p[2].events.stream().sorted().toList());
  }

  @Test
  void aSecondConnectionFromAPeerReplacesTheFirst() throws IOException {
    TestPeer p1 = start(1, 0, Map.of(2, NEVER_DIALED, 3, NEVER_DIALED));
    // Server 2 waits 2 s before dialing again, so the raw connection has 1 to itself meanwhile.
    PeerTransportOptions patient = new PeerTransportOptions(OPTIONS.maxFrameBytes(),
        Duration.ofSeconds(2), Duration.ofSeconds(2), OPTIONS.maxQueuedBytesPerPeer(),
        OPTIONS.connectTimeout());
    TestPeer p2 = start(2, 0, Map.of(1, p1.address(), 3, NEVER_DIALED), patient);
    awaitLinked(p1, p2);
    try (RawPeer raw = RawPeer.connect(p1.port())) {
      // Looks like server 2 restarting while its old connection still seems alive to 1.
      raw.write(RawPeer.handshake(2));
      assertEquals(1, raw.readHandshake());
      await().atMost(WAIT).until(() -> p1.eventCount("connected 2") == 2);
      assertEquals(List.of("connected 2", "disconnected 2", "connected 2"), p1.events);
      p1.send(2, "to the newest connection");
      assertEquals("to the newest connection",
          new String(raw.readFrame(), StandardCharsets.UTF_8));
      raw.writeFrame("from the newest connection".getBytes(StandardCharsets.UTF_8));
      await().atMost(WAIT).until(() -> p1.receivedFrom(2).contains("from the newest connection"));
    }
    // The real server 2 lost its old connection and dials again; that one replaces the raw one.
    await().atMost(WAIT).until(() -> p2.eventCount("connected 1") == 2 && p2.sawConnected(1)
        && p1.sawConnected(2));
    exchange(p2, p1, "2->1 on the new connection", 10);
  }

  @Test
  void theDialerRefusesAnAnswerFromTheWrongServer() throws IOException {
    try (ServerSocket fake = new ServerSocket(0, 5, InetAddress.getByName(TestPeer.HOST))) {
      TestPeer p3 = start(3, 0, Map.of(1, at(fake.getLocalPort())));
      try (RawPeer raw = RawPeer.accept(fake)) {
        assertEquals(3, raw.readHandshake());
        raw.write(RawPeer.handshake(2)); // the server.1 line points at server 2, say
        assertTrue(raw.closedByPeer());
      }
      // It keeps trying, and takes the right answer.
      try (RawPeer raw = RawPeer.accept(fake)) {
        assertEquals(3, raw.readHandshake());
        raw.write(RawPeer.handshake(1));
        await().atMost(WAIT).until(() -> p3.sawConnected(1));
        raw.writeFrame("hello from 1".getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> p3.receivedFrom(1).equals(List.of("hello from 1")));
        assertEquals(List.of("connected 1"), p3.events);
      }
    }
  }

  @Test
  void sendingToADisconnectedPeerDropsAndCountsInsteadOfThrowing() throws IOException {
    TestPeer p2 = start(2, 0, Map.of(1, at(freePort()), 3, NEVER_DIALED));
    assertFalse(p2.isConnected(1));
    assertFalse(p2.isConnected(3));
    p2.send(1, List.of(new byte[] {1}, new byte[] {2}));
    p2.send(3, "three is not running either");
    assertEquals(3, p2.transport().framesDropped());
    assertEquals(0, p2.transport().framesSent());
    // A frame over the limit is dropped too, not sent to be refused by the receiver.
    p2.send(1, List.of(new byte[OPTIONS.maxFrameBytes() + 1]));
    assertEquals(4, p2.transport().framesDropped());
    // A non-member is a caller bug, not a network condition.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p2.send(7, "nobody"));
    assertTrue(e.getMessage().contains("server 7 is not a peer"), e.getMessage());
    // Off the transport's context is a caller bug as well.
    assertThrows(IllegalStateException.class, () -> p2.transport().send(1, new byte[1]));
  }

  /** A test body given server 2 and the raw socket that poses as server 1. */
  private interface WithRawPeer {
    void run(TestPeer p2, RawPeer raw) throws IOException;
  }

  /** Server 2 linked to a raw socket posing as server 1: nothing is read unless the test reads. */
  private void withRawPeer(WithRawPeer test) throws IOException {
    try (ServerSocket fake = new ServerSocket(0, 5, InetAddress.getByName(TestPeer.HOST))) {
      TestPeer p2 = start(2, 0, Map.of(1, at(fake.getLocalPort())));
      try (RawPeer raw = RawPeer.accept(fake)) {
        assertEquals(2, raw.readHandshake());
        raw.write(RawPeer.handshake(1));
        await().atMost(WAIT).until(() -> p2.sawConnected(1));
        test.run(p2, raw);
      }
    }
  }

  /** {@code n} frames of {@code size} bytes, each starting with its number. */
  private static List<byte[]> numbered(int n, int size) {
    List<byte[]> frames = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      frames.add(ByteBuffer.allocate(size).putInt(k).array());
    }
    return frames;
  }

  @Test
  void aSlowReaderFillsTheQueueThenFramesAreDroppedAndTheRestArriveInOrder()
      throws IOException {
    int frames = 600;
    int size = 64 * 1024;
    withRawPeer((p2, raw) -> {
      // 37.5 MiB while nobody reads: more than the socket buffers plus the 1 MiB budget.
      p2.send(1, numbered(frames, size));
      long sent = p2.transport().framesSent();
      long dropped = p2.transport().framesDropped();
      assertEquals(frames, sent + dropped);
      assertTrue(dropped > 0, "nothing dropped: the budget was not enforced");

      // Everything accepted arrives, in order, as the reader catches up and the queue drains.
      int last = -1;
      for (long i = 0; i < sent; i++) {
        byte[] body = raw.readFrame();
        assertEquals(size, body.length);
        int k = ByteBuffer.wrap(body).getInt();
        assertTrue(k > last, "frame " + k + " after " + last);
        last = k;
      }
      p2.send(1, "after the drain");
      assertEquals("after the drain", new String(raw.readFrame(), StandardCharsets.UTF_8));
    });
  }

  @Test
  void framesSentTogetherAreQueuedPastTheBudgetAndArriveInOrderBeforeLaterOnes()
      throws IOException {
    int frames = 400;
    int size = 64 * 1024;
    withRawPeer((p2, raw) -> {
      // 25 MiB while nobody reads: far past the 1 MiB budget and the socket buffers, yet all
      // of it is taken, and the frame after it too.
      List<byte[]> parts = numbered(frames, size);
      Future<Void> written = p2.sendAll(1, parts);
      p2.send(1, "after the parts");
      assertEquals(0, p2.transport().framesDropped(), "a part or the frame after was dropped");
      assertFalse(written.isComplete(), "written before anybody read it");
      for (int k = 0; k < frames; k++) {
        byte[] body = raw.readFrame();
        assertEquals(size, body.length);
        assertEquals(k, ByteBuffer.wrap(body).getInt());
      }
      assertEquals("after the parts", new String(raw.readFrame(), StandardCharsets.UTF_8));
      await().atMost(WAIT).until(written::isComplete);
      assertTrue(written.succeeded(), String.valueOf(written.cause()));

      // One frame over the frame limit drops them all.
      List<byte[]> tooLong = List.of(new byte[8], new byte[(1 << 20) + 1]);
      assertTrue(p2.sendAll(1, tooLong).failed());
      assertEquals(2, p2.transport().framesDropped());

      // Parts still queued when the connection closes: whoever waits learns they never went.
      Future<Void> cut = p2.sendAll(1, parts);
      raw.close();
      await().atMost(WAIT).until(cut::isComplete);
      assertTrue(cut.failed(), "parts that were never read reported as written");
    });
  }
}

package io.roost.server.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.roost.core.proto.ACL;
import io.roost.core.proto.CreateRequest;
import io.roost.core.proto.GetDataRequest;
import io.roost.core.proto.Id;
import io.roost.core.proto.JuteOutput;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.ReplyHeader;
import io.roost.server.RoostServer;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and broken byte streams on the client port. Each case uses a raw socket while a healthy
 * official client stays connected, then checks that the offending connection was closed (or got
 * the expected error reply), that the healthy client still works, that the tree did not change,
 * and that the server forgot the offending connection.
 */
class BadInputTest {
  private static final int MAX_BUFFER = 1_048_575;
  private static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);
  private static final List<ACL> OPEN = List.of(new ACL(31, new Id("world", "anyone")));

  @TempDir Path dir;

  private RoostServer server;
  private ZooKeeper zk;
  private int baselineConnections;
  private int healthyCounter;

  @BeforeEach
  void start() throws Exception {
    server = TestServers.start(dir);
    zk = ZkClients.connect(server.connectString("127.0.0.1"));
    zk.create("/app", "v".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
    zk.create("/app/child", new byte[] {1, 2, 3}, ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
    // mntr counts its own connection too; compare like with like.
    baselineConnections = Integer.parseInt(mntr().get("zk_num_alive_connections"));
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.close(zk, server);
  }

  // ---- cases without a handshake: nothing may change, not even the zxid ----

  @ParameterizedTest
  @ValueSource(longs = {1, 7, 42, 2024, 31337})
  void randomBytesAreRejected(long seed) throws Exception {
    byte[] junk = new byte[4096];
    new Random(seed).nextBytes(junk);
    int length = intAt(junk, 0);
    String word = new String(junk, 0, 4, StandardCharsets.ISO_8859_1);
    assertFalse(length > 0 && length <= MAX_BUFFER, "seed " + seed + " starts with a plausible"
        + " frame length " + length + "; pick another seed");
    assertFalse(Set.of("ruok", "srvr", "stat", "mntr", "conf", "cons", "wchs", "isro", "envi",
        "dump").contains(word), "seed " + seed + " starts with a four-letter word");
    Snapshot before = snapshot();
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      sendTolerant(c, junk);
      RawConnection.Closed closed = c.awaitClosed(CLOSE_WITHIN);
      assertEquals(0, closed.received().length, "the server answered random bytes");
    }
    assertUnchangedAndHealthy(before, true);
  }

  @ParameterizedTest
  @ValueSource(longs = {3, 11, 99, 4242})
  void randomFrameInsteadOfConnectRequestIsRejected(long seed) throws Exception {
    Random random = new Random(seed);
    byte[] body = new byte[1 + random.nextInt(300)];
    random.nextBytes(body);
    assertTrue(body.length < 4 || intAt(body, 0) != 0,
        "seed " + seed + " gives protocolVersion 0; pick another seed");
    Snapshot before = snapshot();
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      c.sendInt(body.length);
      c.send(body);
      RawConnection.Closed closed = c.awaitClosed(CLOSE_WITHIN);
      assertEquals(0, closed.received().length, "the server answered a random first frame");
    }
    assertUnchangedAndHealthy(before, true);
  }

  @Test
  void truncatedFrameWaitsThenClosesOnEndOfStream() throws Exception {
    Snapshot before = snapshot();
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      c.sendInt(100);
      c.send(new byte[10]);
      // Only 10 of 100 bytes: the server must wait for the rest, not answer or give up at once.
      c.assertOpenAndSilent(Duration.ofMillis(300));
      c.shutdownOutput();
      RawConnection.Closed closed = c.awaitClosed(CLOSE_WITHIN);
      assertEquals(0, closed.received().length);
    }
    assertUnchangedAndHealthy(before, true);
  }

  @Test
  void truncatedFrameThenAbruptCloseIsForgotten() throws Exception {
    Snapshot before = snapshot();
    RawConnection c = RawConnection.open(server.clientPort());
    try {
      c.sendInt(100);
      c.send(new byte[10]);
      await().atMost(Duration.ofSeconds(10)).until(
          () -> connections() == baselineConnections + 1);
    } finally {
      c.close();
    }
    // assertUnchangedAndHealthy waits for the connection count to drop back to the baseline.
    assertUnchangedAndHealthy(before, true);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, -100, Integer.MIN_VALUE})
  void negativeLengthCloses(int length) throws Exception {
    Snapshot before = snapshot();
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      c.sendInt(length);
      RawConnection.Closed closed = c.awaitClosed(CLOSE_WITHIN);
      assertEquals(0, closed.received().length);
    }
    assertUnchangedAndHealthy(before, true);
  }

  @Test
  void zeroLengthCloses() throws Exception {
    Snapshot before = snapshot();
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      c.sendInt(0);
      RawConnection.Closed closed = c.awaitClosed(CLOSE_WITHIN);
      assertEquals(0, closed.received().length);
    }
    assertUnchangedAndHealthy(before, true);
  }

  @ParameterizedTest
  @ValueSource(ints = {MAX_BUFFER + 1, 2_000_000, Integer.MAX_VALUE})
  void oversizedLengthClosesWithoutWaitingForTheBody(int length) throws Exception {
    Snapshot before = snapshot();
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      c.sendInt(length);
      RawConnection.Closed closed = c.awaitClosed(CLOSE_WITHIN);
      assertEquals(0, closed.received().length);
    }
    assertUnchangedAndHealthy(before, true);
  }

  @Test
  void getDataBeforeHandshakeCloses() throws Exception {
    Snapshot before = snapshot();
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      c.send(RawConnection.request(1, OpCode.getData, new GetDataRequest("/app", false)));
      RawConnection.Closed closed = c.awaitClosed(CLOSE_WITHIN);
      assertEquals(0, closed.received().length, "a request before the handshake was answered");
    }
    assertUnchangedAndHealthy(before, true);
  }

  @Test
  void createBeforeHandshakeClosesAndCreatesNothing() throws Exception {
    // xid 0 reads as protocolVersion 0, so this frame gets past the first check of a
    // ConnectRequest parser; it must still not be mistaken for a handshake or run as a create.
    Snapshot before = snapshot();
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      c.send(RawConnection.request(0, OpCode.create,
          new CreateRequest("/evil", new byte[] {6, 6, 6}, OPEN, 0)));
      RawConnection.Closed closed = c.awaitClosed(CLOSE_WITHIN);
      assertEquals(0, closed.received().length, "a create before the handshake was answered");
    }
    assertNull(zk.exists("/evil", false));
    assertUnchangedAndHealthy(before, true);
  }

  // ---- cases after a valid handshake: the session creation moves the zxid, the tree stays ----

  @Test
  void unknownOpCodeGetsUnimplementedAndConnectionStaysUsable() throws Exception {
    Snapshot before = snapshot();
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      c.handshake();
      c.send(RawConnection.request(7, 999, null));
      RawConnection.Reply reply = c.readReply();
      assertEquals(7, reply.header().xid());
      assertEquals(-6, reply.header().err(), "unknown op code should answer Unimplemented");
      assertEquals(0, reply.bodyLength(), "an error reply has no body");

      c.send(RawConnection.request(-2, OpCode.ping, null));
      RawConnection.Reply ping = c.readReply();
      assertEquals(new ReplyHeader(-2, ping.header().zxid(), 0), ping.header());

      // A real read on the same connection still works.
      c.send(RawConnection.request(8, OpCode.getData, new GetDataRequest("/app", false)));
      RawConnection.Reply data = c.readReply();
      assertEquals(8, data.header().xid());
      assertEquals(0, data.header().err());
      assertTrue(data.bodyLength() > 0);

      c.send(RawConnection.request(9, OpCode.closeSession, null));
      RawConnection.Reply bye = c.readReply();
      assertEquals(9, bye.header().xid());
      assertEquals(0, bye.header().err());
      c.awaitClosed(CLOSE_WITHIN);
    }
    assertUnchangedAndHealthy(before, false);
  }

  @ParameterizedTest
  @ValueSource(longs = {5, 17, 123, 777})
  void randomRequestsAfterHandshakeChangeNothing(long seed) throws Exception {
    int[] ops = {OpCode.create, OpCode.delete, OpCode.exists, OpCode.getData, OpCode.setData,
        OpCode.getACL, OpCode.setACL, OpCode.getChildren, OpCode.sync, OpCode.getChildren2,
        OpCode.check, OpCode.multi, OpCode.create2, OpCode.checkWatches, OpCode.removeWatches,
        OpCode.createContainer, OpCode.createTTL, OpCode.multiRead, OpCode.setWatches,
        OpCode.getEphemerals, OpCode.getAllChildrenNumber, OpCode.setWatches2, OpCode.addWatch,
        999, -77};
    Random random = new Random(seed);
    Snapshot before = snapshot();
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      c.handshake();
      List<Integer> sent = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        int type = ops[random.nextInt(ops.length)];
        byte[] body = new byte[random.nextInt(65)];
        random.nextBytes(body);
        byte[] frame = ByteBuffer.allocate(12 + body.length)
            .putInt(8 + body.length).putInt(i).putInt(type).put(body).array();
        sendTolerant(c, frame);
        sent.add(i);
      }
      sendTolerant(c, RawConnection.request(-2, OpCode.ping, null));
      // Read replies until the ping comes back or the server closes; both are acceptable, but
      // replies must come in request order (and the tree check below catches any write).
      int lastXid = 0;
      for (int n = 0; n <= sent.size(); n++) {
        RawConnection.Reply r;
        try {
          r = c.readReply();
        } catch (EOFException | java.net.SocketException e) {
          break;
        }
        int xid = r.header().xid();
        if (xid == -2) {
          assertEquals(0, r.header().err());
          break;
        }
        assertTrue(xid > lastXid && sent.contains(xid), "reply xid " + xid + " out of order");
        lastXid = xid;
      }
    }
    assertUnchangedAndHealthy(before, false);
  }

  @Test
  void twoMegabyteCreateThroughOfficialClientFails() throws Exception {
    Snapshot before = snapshot();
    ZooKeeper big = ZkClients.connect(server.connectString("127.0.0.1"));
    try {
      byte[] data = new byte[2 * 1024 * 1024];
      Exception e = assertThrows(Exception.class,
          () -> big.create("/big", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
      assertInstanceOf(KeeperException.class, e, "expected ConnectionLoss or similar, got " + e);
    } finally {
      big.close();
    }
    assertNull(zk.exists("/big", false));
    assertUnchangedAndHealthy(before, false);
  }

  @Test
  void twoMegabyteRawCreateFrameClosesConnection() throws Exception {
    Snapshot before = snapshot();
    byte[] frame = RawConnection.request(1, OpCode.create,
        new CreateRequest("/big", new byte[2_000_000], OPEN, 0));
    assertTrue(intAt(frame, 0) > MAX_BUFFER);
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      c.handshake();
      // Write from another thread: if the server neither reads nor closes, a blocking write would
      // hang; closing the socket (end of try) unblocks it.
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          c.send(frame);
        } catch (IOException expected) {
          // The server closed while we were still writing.
        }
      });
      RawConnection.Closed closed = c.awaitClosed(Duration.ofSeconds(10));
      assertEquals(0, closed.received().length, "the server answered an oversized create");
      c.close();
      writer.get(10, TimeUnit.SECONDS);
    }
    assertNull(zk.exists("/big", false));
    assertUnchangedAndHealthy(before, false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pathLengthHuge", "dataLengthNegative", "aclCountHuge",
      "aclCountNegativeTwo", "getDataMissingWatchFlag", "setDataTruncatedVersion",
      "pathLengthPastFrameEnd"})
  void garbledBodyAfterValidHeaderCloses(String variant) throws Exception {
    JuteOutput o = JuteOutput.framed();
    switch (variant) {
      case "pathLengthHuge" -> {
        o.writeInt(1);
        o.writeInt(OpCode.create);
        o.writeInt(1_000_000_000);
        o.writeInt(0x2f616263); // "/abc"
      }
      case "dataLengthNegative" -> {
        o.writeInt(1);
        o.writeInt(OpCode.create);
        o.writeString("/garbled");
        o.writeInt(-5);
        ACL.writeAclVector(o, OPEN);
        o.writeInt(0);
      }
      case "aclCountHuge" -> {
        o.writeInt(1);
        o.writeInt(OpCode.create2);
        o.writeString("/garbled");
        o.writeBuffer(new byte[] {1});
        o.writeInt(1_000_000_000);
        o.writeInt(0);
      }
      case "aclCountNegativeTwo" -> {
        o.writeInt(1);
        o.writeInt(OpCode.create);
        o.writeString("/garbled");
        o.writeBuffer(new byte[] {1});
        o.writeInt(-2);
        o.writeInt(0);
      }
      case "getDataMissingWatchFlag" -> {
        o.writeInt(1);
        o.writeInt(OpCode.getData);
        o.writeString("/app");
      }
      case "setDataTruncatedVersion" -> {
        o.writeInt(1);
        o.writeInt(OpCode.setData);
        o.writeString("/app");
        o.writeBuffer(new byte[] {9, 9});
        o.writeBool(false);
        o.writeBool(false);
      }
      case "pathLengthPastFrameEnd" -> {
        o.writeInt(1);
        o.writeInt(OpCode.delete);
        o.writeInt(40);
        o.writeInt(0x2f617070); // "/app", far fewer than 40 bytes
        o.writeInt(-1);
      }
      default -> fail("unknown variant " + variant);
    }
    Snapshot before = snapshot();
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      c.handshake();
      c.send(o.toFrame());
      RawConnection.Closed closed = c.awaitClosed(CLOSE_WITHIN);
      assertEquals(0, closed.received().length,
          "the server answered a garbled " + variant + " request instead of closing");
    }
    assertNull(zk.exists("/garbled", false));
    assertUnchangedAndHealthy(before, false);
  }

  // ---- helpers ----

  /** What the healthy client and mntr see of the server. */
  private record Snapshot(Map<String, String> tree, int allChildren, List<String> rootChildren,
      String lastZxid) {}

  private Snapshot snapshot() throws Exception {
    Map<String, String> tree = new TreeMap<>();
    walk("/", tree, 0);
    List<String> rootChildren = new ArrayList<>(zk.getChildren("/", false));
    rootChildren.sort(null);
    return new Snapshot(tree, zk.getAllChildrenNumber("/"), rootChildren,
        mntr().get("zk_last_zxid"));
  }

  private void walk(String path, Map<String, String> out, int depth) throws Exception {
    assertTrue(depth < 32, "tree deeper than expected at " + path);
    Stat stat = new Stat();
    byte[] data = zk.getData(path, false, stat);
    out.put(path, stat.getCzxid() + "," + stat.getMzxid() + "," + stat.getPzxid() + ","
        + stat.getVersion() + "," + stat.getCversion() + "," + stat.getAversion() + ","
        + stat.getEphemeralOwner() + "," + stat.getNumChildren() + "," + stat.getDataLength()
        + ":" + (data == null ? "null" : java.util.HexFormat.of().formatHex(data)));
    for (String child : zk.getChildren(path, false)) {
      walk(path.equals("/") ? "/" + child : path + "/" + child, out, depth + 1);
    }
  }

  /**
   * The offending connection is gone: the tree is as before (and the zxid too when
   * {@code zxidMustNotMove}), the server no longer counts the bad connection, and the healthy
   * client can still write and read.
   */
  private void assertUnchangedAndHealthy(Snapshot before, boolean zxidMustNotMove)
      throws Exception {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(
        () -> assertEquals(baselineConnections, connections(),
            "the server still counts the bad connection"));
    Snapshot after = snapshot();
    assertEquals(before.tree(), after.tree(), "the tree changed");
    assertEquals(before.allChildren(), after.allChildren());
    assertEquals(before.rootChildren(), after.rootChildren());
    if (zxidMustNotMove) {
      assertEquals(before.lastZxid(), after.lastZxid(), "the zxid moved");
    }
    byte[] value = ("ok-" + healthyCounter).getBytes(StandardCharsets.UTF_8);
    String path = zk.create("/healthy-" + healthyCounter++, value, ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
    assertArrayEquals(value, zk.getData(path, false, null));
    assertNotEquals(before.lastZxid(), mntr().get("zk_last_zxid"));
  }

  private int connections() throws IOException {
    return Integer.parseInt(mntr().get("zk_num_alive_connections"));
  }

  private Map<String, String> mntr() throws IOException {
    String text = RawConnection.fourLetterWord(server.clientPort(), "mntr");
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        out.put(line.substring(0, tab), line.substring(tab + 1).trim());
      }
    }
    assertTrue(out.containsKey("zk_num_alive_connections"), "mntr answered: " + text);
    return out;
  }

  /** Sends, ignoring a failure caused by the server having closed already. */
  private static void sendTolerant(RawConnection c, byte[] bytes) {
    try {
      c.send(bytes);
    } catch (IOException closedAlready) {
      // The server may close after the first bad bytes, before we finish writing.
    }
  }

  private static int intAt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8
        | (b[at + 3] & 0xff);
  }
}

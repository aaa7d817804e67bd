package io.roost.server.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.roost.server.RoostServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions as the official ZooKeeper 3.9 client sees them against a real Roost server: the
 * handshake, expiry (taken over and closed, timed out, wrong password), reconnection within the
 * timeout, close, and the removal of a session's ephemerals exactly once.
 *
 * <p>Servers here tick every 100 ms so that sessions of about a second expire quickly; a
 * {@link TcpProxy} cuts a client off while its session lives on in the server.
 */
class ZkSessionsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int TICK_MS = 100;
  private static final int MIN_TIMEOUT_MS = 200;
  private static final int MAX_TIMEOUT_MS = 4_000;
  /** The short session of the expiry tests. */
  private static final int SHORT_TIMEOUT_MS = 1_000;

  @TempDir Path dir;

  private RoostServer server;
  private final List<AutoCloseable> closers = new ArrayList<>();

  @AfterEach
  void stop() {
    Collections.reverse(closers);
    for (AutoCloseable c : closers) {
      try {
        c.close();
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }

  // ---- handshake ----

  @Test
  void negotiatedTimeoutIsClampedToTheConfiguredBounds() throws Exception {
    startServer(TICK_MS, 400, 3_000);
    String cs = direct();
    // The official client needs its first connect to finish within the timeout it asks for,
    // so the smallest asks go over the raw wire.
    assertEquals(400, rawHandshake(1).timeout(), "1 ms is raised to minSessionTimeout");
    assertEquals(400, rawHandshake(0).timeout());
    assertEquals(3_000, rawHandshake(Integer.MAX_VALUE).timeout(), "lowered to the max");

    assertEquals(400, connect(cs, 100, null).getSessionTimeout(), "below min gets min");
    assertEquals(3_000, connect(cs, 30_000, null).getSessionTimeout(), "10x max gets max");
    assertEquals(1_500, connect(cs, 1_500, null).getSessionTimeout(), "in range is kept");
    assertEquals(400, connect(cs, 400, null).getSessionTimeout());
    assertEquals(3_000, connect(cs, 3_000, null).getSessionTimeout());
  }

  @Test
  void everySessionHasItsOwnIdAndA16BytePassword() throws Exception {
    startServer(TICK_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    String cs = direct();
    Set<Long> ids = new HashSet<>();
    List<byte[]> passwords = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ZooKeeper zk = connect(cs, 2_000, null);
      assertNotEquals(0L, zk.getSessionId());
      assertEquals(16, zk.getSessionPasswd().length);
      ids.add(zk.getSessionId());
      passwords.add(zk.getSessionPasswd());
    }
    assertEquals(4, ids.size(), "session ids differ: " + ids);
    for (int i = 0; i < passwords.size(); i++) {
      for (int j = i + 1; j < passwords.size(); j++) {
        assertFalse(Arrays.equals(passwords.get(i), passwords.get(j)), "passwords differ");
      }
    }
    Handshake raw = rawHandshake(2_000);
    assertEquals(16, raw.password().length);
    assertFalse(ids.contains(raw.sessionId()));
  }

  // ---- expiry ----

  @Test
  void sessionTakenOverAndClosedByAnotherHandleExpiresForTheFirst() throws Exception {
    startServer(TICK_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    TcpProxy proxy = proxy();
    BlockingQueue<WatchedEvent> aStates = ZkClients.events();
    ZooKeeper a = connect(proxy.connectString(), 3_000, aStates);
    a.create("/eph-a", bytes("a"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    ZooKeeper c = connect(direct(), 3_000, null);
    BlockingQueue<WatchedEvent> cEvents = new LinkedBlockingQueue<>();
    assertNotNull(c.exists("/eph-a", nodeEvents(cEvents)));

    // A may not reconnect while B holds its session: B must be the one that closes it.
    proxy.pause();
    BlockingQueue<WatchedEvent> bStates = ZkClients.events();
    ZooKeeper b = new ZooKeeper(direct(), 3_000, bStates::add, a.getSessionId(),
        a.getSessionPasswd());
    closers.add(b::close);
    awaitState(bStates, KeeperState.SyncConnected);
    assertEquals(a.getSessionId(), b.getSessionId(), "B joined A's session");
    assertArrayEquals(a.getSessionPasswd(), b.getSessionPasswd());

    awaitState(aStates, KeeperState.Disconnected); // the server closed A's old connection
    assertNotNull(c.exists("/eph-a", false), "the session is alive while B holds it");
    assertEquals(List.of("/eph-a"), b.getEphemerals("/"));

    b.close();
    assertNull(c.exists("/eph-a", false), "closing the session removed its ephemeral");
    assertEquals(EventType.NodeDeleted, nextNodeEvent(cEvents).getType());

    proxy.resume();
    awaitState(aStates, KeeperState.Expired);
  }

  @Test
  void sessionExpiresAfterItsTimeoutWhenTheClientCannotReachTheServer() throws Exception {
    startServer(TICK_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    TcpProxy proxy = proxy();
    BlockingQueue<WatchedEvent> aStates = ZkClients.events();
    ZooKeeper a = connect(proxy.connectString(), SHORT_TIMEOUT_MS, aStates);
    assertEquals(SHORT_TIMEOUT_MS, a.getSessionTimeout());
    a.create("/eph-t", bytes("t"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    ZooKeeper c = connect(direct(), 10_000, null);
    BlockingQueue<WatchedEvent> cEvents = new LinkedBlockingQueue<>();
    assertNotNull(c.exists("/eph-t", nodeEvents(cEvents)));

    proxy.pause();
    long cutAt = System.nanoTime();
    proxy.dropConnections();
    awaitState(aStates, KeeperState.Disconnected);
    assertNotNull(c.exists("/eph-t", false), "a lost connection alone does not end the session");

    WatchedEvent deleted = nextNodeEvent(cEvents);
    long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
    assertEquals(EventType.NodeDeleted, deleted.getType());
    assertEquals("/eph-t", deleted.getPath());
    assertNull(c.exists("/eph-t", false));
    // The client pinged at most a third of the timeout before the cut, so the session cannot end
    // much sooner than two thirds of it; and it must end soon after the timeout.
    assertTrue(afterMs >= 400, "expired too early: " + afterMs + " ms after the cut");
    assertTrue(afterMs <= 4 * SHORT_TIMEOUT_MS, "expired too late: " + afterMs + " ms");

    proxy.resume();
    awaitState(aStates, KeeperState.Expired);
  }

  @Test
  void reconnectingWithinTheTimeoutKeepsTheSession() throws Exception {
    startServer(TICK_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    TcpProxy proxy = proxy();
    BlockingQueue<WatchedEvent> aStates = ZkClients.events();
    ZooKeeper a = connect(proxy.connectString(), MAX_TIMEOUT_MS, aStates);
    long session = a.getSessionId();
    a.create("/eph-r", bytes("r"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    ZooKeeper c = connect(direct(), 10_000, null);

    proxy.dropConnections();
    awaitState(aStates, KeeperState.Disconnected);
    awaitState(aStates, KeeperState.SyncConnected);
    assertEquals(session, a.getSessionId(), "same session");
    assertTrue(proxy.forwardedCount() >= 2, "A connected again through a new connection");

    Stat s = c.exists("/eph-r", false);
    assertNotNull(s, "the ephemeral survived the reconnect");
    assertEquals(session, s.getEphemeralOwner());
    assertEquals(1, a.setData("/eph-r", bytes("r2"), -1).getVersion());
    a.create("/eph-r2", bytes(""), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    assertEquals(List.of("/eph-r", "/eph-r2"), a.getEphemerals("/"));
    assertArrayEquals(bytes("r2"), c.getData("/eph-r", false, null));
  }

  @Test
  void closeRemovesTheSessionsEphemeralsAtOnce() throws Exception {
    startServer(TICK_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    String cs = direct();
    ZooKeeper a = connect(cs, MAX_TIMEOUT_MS, null);
    a.create("/keep", bytes(""), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    a.create("/c1", bytes(""), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    String seq = a.create("/keep/s-", bytes(""), ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.EPHEMERAL_SEQUENTIAL);
    ZooKeeper c = connect(cs, 10_000, null);
    BlockingQueue<WatchedEvent> cEvents = new LinkedBlockingQueue<>();
    assertNotNull(c.exists("/c1", nodeEvents(cEvents)));
    long session = a.getSessionId();
    byte[] password = a.getSessionPasswd();

    a.close();
    assertNull(c.exists("/c1", false), "gone as soon as close() returned");
    assertNull(c.exists(seq, false));
    assertNotNull(c.exists("/keep", false), "persistent nodes stay");
    WatchedEvent e = nextNodeEvent(cEvents);
    assertEquals(EventType.NodeDeleted, e.getType());
    assertEquals("/c1", e.getPath());

    // A closed session cannot be resumed.
    BlockingQueue<WatchedEvent> states = ZkClients.events();
    ZooKeeper again = new ZooKeeper(cs, MAX_TIMEOUT_MS, states::add, session, password);
    closers.add(again::close);
    awaitState(states, KeeperState.Expired);
  }

  @Test
  void wrongPasswordOrUnknownSessionGetsExpiredAndLeavesTheRealSessionAlone() throws Exception {
    startServer(TICK_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    String cs = direct();
    BlockingQueue<WatchedEvent> aStates = ZkClients.events();
    ZooKeeper a = connect(cs, MAX_TIMEOUT_MS, aStates);
    a.create("/eph-w", bytes("w"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

    byte[] wrong = a.getSessionPasswd().clone();
    wrong[0] ^= 0x5a;
    BlockingQueue<WatchedEvent> wStates = ZkClients.events();
    ZooKeeper w = new ZooKeeper(cs, MAX_TIMEOUT_MS, wStates::add, a.getSessionId(), wrong);
    closers.add(w::close);
    awaitState(wStates, KeeperState.Expired);

    BlockingQueue<WatchedEvent> uStates = ZkClients.events();
    ZooKeeper u = new ZooKeeper(cs, MAX_TIMEOUT_MS, uStates::add, a.getSessionId() + 1_000_000L,
        a.getSessionPasswd());
    closers.add(u::close);
    awaitState(uStates, KeeperState.Expired);

    // The real session and its connection were not disturbed.
    assertArrayEquals(bytes("w"), a.getData("/eph-w", false, null));
    assertEquals(List.of("/eph-w"), a.getEphemerals("/"));
    for (WatchedEvent e : aStates) {
      assertEquals(KeeperState.SyncConnected, e.getState(), "A saw " + e);
    }
  }

  @Test
  void expiryRemovesEachEphemeralExactlyOnce() throws Exception {
    startServer(TICK_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    TcpProxy proxy = proxy();
    BlockingQueue<WatchedEvent> aStates = ZkClients.events();
    ZooKeeper a = connect(proxy.connectString(), SHORT_TIMEOUT_MS, aStates);
    ZooKeeper c = connect(direct(), 10_000, null);
    c.create("/parent", bytes(""), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    Set<String> ephemerals = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      ephemerals.add(a.create("/parent/e" + i, bytes(""), ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.EPHEMERAL));
    }
    ephemerals.add(a.create("/parent/seq-", bytes(""), ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.EPHEMERAL_SEQUENTIAL));
    Stat before = c.exists("/parent", false);
    assertEquals(5, before.getNumChildren());
    // A recursive watch is never consumed, so a second delete of a node would show up here.
    BlockingQueue<WatchedEvent> cEvents = new LinkedBlockingQueue<>();
    c.addWatch("/parent", nodeEvents(cEvents), AddWatchMode.PERSISTENT_RECURSIVE);

    proxy.pause();
    proxy.dropConnections();

    Set<String> deleted = new HashSet<>();
    Set<Long> zxids = new HashSet<>();
    for (int i = 0; i < ephemerals.size(); i++) {
      WatchedEvent e = nextNodeEvent(cEvents);
      assertEquals(EventType.NodeDeleted, e.getType(), "unexpected " + e);
      assertTrue(deleted.add(e.getPath()), "deleted twice: " + e.getPath());
      zxids.add(e.getZxid());
    }
    assertEquals(ephemerals, deleted);
    assertEquals(1, zxids.size(), "one closeSession transaction removes them all: " + zxids);

    Stat after = c.exists("/parent", false);
    assertEquals(0, after.getNumChildren());
    assertEquals(before.getCversion() + ephemerals.size(), after.getCversion(),
        "each ephemeral was deleted exactly once");
    assertEquals(zxids.iterator().next(), after.getPzxid());

    // Fence: a later change is the next event, so no duplicate delete came in between.
    c.create("/parent/fence", bytes(""), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    WatchedEvent fence = nextNodeEvent(cEvents);
    assertEquals(EventType.NodeCreated, fence.getType());
    assertEquals("/parent/fence", fence.getPath());

    proxy.resume();
    awaitState(aStates, KeeperState.Expired);
  }

  // ---- helpers ----

  private void startServer(int tick, int min, int max) {
    server = TestServers.start(dir,
        b -> b.tickTime(tick).minSessionTimeout(min).maxSessionTimeout(max));
    closers.add(server);
  }

  private String direct() {
    return server.connectString("127.0.0.1");
  }

  private TcpProxy proxy() throws IOException {
    TcpProxy proxy = new TcpProxy(server.clientPort());
    closers.add(proxy);
    return proxy;
  }

  private ZooKeeper connect(String cs, int timeoutMs, BlockingQueue<WatchedEvent> states)
      throws Exception {
    ZooKeeper zk = ZkClients.connect(cs, timeoutMs, states);
    closers.add(zk::close);
    return zk;
  }

  /** A watcher that keeps node events (not connection-state events). */
  private static Watcher nodeEvents(BlockingQueue<WatchedEvent> q) {
    return e -> {
      if (e.getType() != EventType.None) {
        q.add(e);
      }
    };
  }

  private static WatchedEvent nextNodeEvent(BlockingQueue<WatchedEvent> q)
      throws InterruptedException {
    WatchedEvent e = q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      fail("no node event within " + WAIT);
    }
    return e;
  }

  /** Takes state events until {@code state} comes; fails if it does not within {@link #WAIT}. */
  private static void awaitState(BlockingQueue<WatchedEvent> q, KeeperState state)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<WatchedEvent> seen = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      WatchedEvent e = left > 0 ? q.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        fail("no " + state + " within " + WAIT + "; saw " + seen);
      }
      seen.add(e);
      if (e.getType() == EventType.None && e.getState() == state) {
        return;
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  record Handshake(int timeout, long sessionId, byte[] password) {}

  /** A bare ConnectRequest for a new session asking for {@code timeoutMs}; the server's answer. */
  private Handshake rawHandshake(int timeoutMs) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.clientPort())) {
      s.setSoTimeout((int) WAIT.toMillis());
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(buf);
      d.writeInt(0);          // protocolVersion
      d.writeLong(0);         // lastZxidSeen
      d.writeInt(timeoutMs);  // timeOut
      d.writeLong(0);         // sessionId: new
      d.writeInt(16);
      d.write(new byte[16]);  // passwd
      d.writeBoolean(false);  // readOnly
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(buf.size());
      buf.writeTo(out);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] frame = new byte[in.readInt()];
      in.readFully(frame);
      DataInputStream r = new DataInputStream(new ByteArrayInputStream(frame));
      assertEquals(0, r.readInt(), "protocolVersion");
      int timeout = r.readInt();
      long session = r.readLong();
      byte[] password = new byte[r.readInt()];
      r.readFully(password);
      return new Handshake(timeout, session, password);
    }
  }
}

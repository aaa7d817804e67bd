package io.roost.server.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.roost.server.RoostServer;
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
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watches as the official ZooKeeper 3.9 client sees them against a real Roost server: one-shot
 * watches of exists, getData and getChildren, persistent and recursive watches, ordering of events
 * before replies, removal of watches, and re-registration after a lost connection.
 *
 * <p>The client forgets a one-shot watch once it delivers its event, so an extra notification from
 * a faulty server would be dropped silently by the client. Where that matters, tests also read the
 * server's own watch count (four-letter word {@code wchs}) or use a fence: a new watch on another
 * path whose event must be the very next one, proving nothing arrived in between.
 */
class ZkWatchesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private RoostServer server;
  /** The watching client. */
  private ZooKeeper a;
  /** The writing client. */
  private ZooKeeper b;
  private final List<AutoCloseable> closers = new ArrayList<>();
  /** Node events (never type None) of every watcher made by {@link #tagged}, in delivery order. */
  private final BlockingQueue<Ev> events = new LinkedBlockingQueue<>();
  private final AtomicInteger fences = new AtomicInteger();

  /** One delivered event; {@code tag} names the watcher that got it. */
  record Ev(String tag, EventType type, String path, long zxid) {
    String key() {
      return tag + " " + type + " " + path;
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = TestServers.start(dir);
    closers.add(server);
    a = client(server.connectString("127.0.0.1"));
    b = client(server.connectString("127.0.0.1"));
  }

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

  // ---- one-shot watches ----

  @Test
  void existsWatchOnMissingNodeFiresNodeCreated() throws Exception {
    assertNull(a.exists("/e", tagged("e")));
    Stat created = stat(b, create(b, "/e", "x"));
    Ev ev = expect("e", EventType.NodeCreated, "/e");
    assertEquals(created.getCzxid(), ev.zxid(), "the event carries the creating zxid");
    fence(a);
    assertEquals(0, serverWatchCount(), "the fired watch is gone on the server");
  }

  @Test
  void existsWatchOnExistingNodeFiresDataChangedThenDeleted() throws Exception {
    create(b, "/e", "x");
    assertNotNull(a.exists("/e", tagged("e")));
    Stat changed = b.setData("/e", bytes("y"), -1);
    Ev ev = expect("e", EventType.NodeDataChanged, "/e");
    assertEquals(changed.getMzxid(), ev.zxid(), "the event carries the write's zxid");

    assertNotNull(a.exists("/e", tagged("e")));
    b.delete("/e", -1);
    expect("e", EventType.NodeDeleted, "/e");
    fence(a);
  }

  @Test
  void getDataWatchFiresDataChangedAndDeletedButNotOnChildChanges() throws Exception {
    create(b, "/d", "v1");
    assertArrayEquals(bytes("v1"), a.getData("/d", tagged("d"), null));
    create(b, "/d/child", "");
    assertEquals(1, serverWatchCount(), "a child change does not fire a data watch");
    b.setData("/d", bytes("v2"), -1);
    expect("d", EventType.NodeDataChanged, "/d");

    assertArrayEquals(bytes("v2"), a.getData("/d", tagged("d"), null));
    b.delete("/d/child", -1);
    b.delete("/d", -1);
    expect("d", EventType.NodeDeleted, "/d");
    fence(a);
    assertEquals(0, serverWatchCount());
  }

  @Test
  void getChildrenWatchFiresOnChildCreateAndDeleteAndNodeDeletedOnDelete() throws Exception {
    create(b, "/p", "");
    assertEquals(List.of(), a.getChildren("/p", tagged("p")));
    b.setData("/p", bytes("data"), -1);
    assertEquals(1, serverWatchCount(), "a data change does not fire a child watch");
    create(b, "/p/c1", "");
    expect("p", EventType.NodeChildrenChanged, "/p");

    assertEquals(List.of("c1"), a.getChildren("/p", tagged("p")));
    b.delete("/p/c1", -1);
    expect("p", EventType.NodeChildrenChanged, "/p");

    assertEquals(List.of(), a.getChildren("/p", tagged("p")));
    b.delete("/p", -1);
    expect("p", EventType.NodeDeleted, "/p");
    fence(a);
    assertEquals(0, serverWatchCount());
  }

  @Test
  void oneShotWatchesFireOnlyOnce() throws Exception {
    create(b, "/o", "0");
    a.getData("/o", tagged("data"), null);
    a.getChildren("/o", tagged("children"));
    assertEquals(2, serverWatchCount());

    b.setData("/o", bytes("1"), -1);
    expect("data", EventType.NodeDataChanged, "/o");
    create(b, "/o/c1", "");
    expect("children", EventType.NodeChildrenChanged, "/o");
    assertEquals(0, serverWatchCount(), "both watches were consumed by their first event");

    // Second changes of both kinds: nothing may be delivered for them. The fence's event, caused
    // after them, must be the next one.
    b.setData("/o", bytes("2"), -1);
    create(b, "/o/c2", "");
    b.delete("/o/c1", -1);
    fence(a);
  }

  @Test
  void everyWatchingClientGetsTheEvent() throws Exception {
    ZooKeeper c = client(server.connectString("127.0.0.1"));
    create(b, "/m", "");
    a.getData("/m", tagged("a"), null);
    c.getData("/m", tagged("c"), null);
    assertEquals(2, serverWatchCount());
    b.setData("/m", bytes("x"), -1);
    Set<String> got = Set.of(next().key(), next().key());
    assertEquals(Set.of("a NodeDataChanged /m", "c NodeDataChanged /m"), got);
    assertEquals(0, serverWatchCount());
  }

  // ---- ordering ----

  @Test
  void writersOwnWatchEventArrivesBeforeItsReply() throws Exception {
    create(b, "/x", "v0");
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    Watcher w = e -> {
      if (e.getType() != EventType.None) {
        order.add("event " + e.getType() + " " + e.getPath());
      }
    };
    // Pipelined without waiting: get+watch, set, get+watch, set, ... The client delivers watch
    // events and async callbacks on one thread in the order their frames arrived.
    for (int i = 1; i <= 3; i++) {
      a.getData("/x", w, (rc, path, ctx, data, stat) ->
          order.add("get " + rc + " " + new String(data, StandardCharsets.UTF_8)), null);
      a.setData("/x", bytes("v" + i), -1, (rc, path, ctx, stat) ->
          order.add("set " + rc + " version " + stat.getVersion()), null);
    }
    await().atMost(WAIT).until(() -> order.size() >= 9);
    assertEquals(List.of(
        "get 0 v0", "event NodeDataChanged /x", "set 0 version 1",
        "get 0 v1", "event NodeDataChanged /x", "set 0 version 2",
        "get 0 v2", "event NodeDataChanged /x", "set 0 version 3"), order);
  }

  @Test
  void watchEventArrivesBeforeAReadThatShowsTheChange() throws Exception {
    create(b, "/y", "v1");
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    a.getData("/y", e -> {
      if (e.getType() != EventType.None) {
        order.add("event " + e.getType() + " " + e.getPath());
      }
    }, null);
    b.setData("/y", bytes("v2"), -1);
    // Issued after the write completed, possibly before the event reached A: its reply shows v2,
    // so the event must be delivered first.
    a.getData("/y", false, (rc, path, ctx, data, stat) ->
        order.add("read " + new String(data, StandardCharsets.UTF_8)), null);
    await().atMost(WAIT).until(() -> order.size() >= 2);
    assertEquals(List.of("event NodeDataChanged /y", "read v2"), order);
  }

  // ---- persistent watches ----

  @Test
  void persistentWatchKeepsFiringForTheNodeAndItsChildrenList() throws Exception {
    a.addWatch("/pp", tagged("pp"), AddWatchMode.PERSISTENT);
    assertEquals(1, serverWatchCount());

    create(b, "/pp", "");
    expect("pp", EventType.NodeCreated, "/pp");
    b.setData("/pp", bytes("1"), -1);
    expect("pp", EventType.NodeDataChanged, "/pp");
    b.setData("/pp", bytes("2"), -1);
    expect("pp", EventType.NodeDataChanged, "/pp");
    create(b, "/pp/c", "");
    expect("pp", EventType.NodeChildrenChanged, "/pp");
    b.setData("/pp/c", bytes("x"), -1); // not recursive: nothing
    create(b, "/pp/c/d", "");           // grandchild: nothing
    b.delete("/pp/c/d", -1);            // nothing
    create(b, "/pp/c2", "");
    expect("pp", EventType.NodeChildrenChanged, "/pp");
    b.delete("/pp/c2", -1);
    expect("pp", EventType.NodeChildrenChanged, "/pp");
    b.delete("/pp/c", -1);
    expect("pp", EventType.NodeChildrenChanged, "/pp");
    b.delete("/pp", -1);
    expect("pp", EventType.NodeDeleted, "/pp");
    create(b, "/pp", "again");
    expect("pp", EventType.NodeCreated, "/pp");
    fence(a);
    assertEquals(1, serverWatchCount(), "a persistent watch stays after firing");
  }

  @Test
  void persistentRecursiveWatchCoversDescendantsAndNeverSendsChildEvents() throws Exception {
    a.addWatch("/rr", tagged("rr"), AddWatchMode.PERSISTENT_RECURSIVE);

    create(b, "/rr", "");
    create(b, "/rr/a", "");
    create(b, "/rr/a/b", "");
    b.setData("/rr/a/b", bytes("1"), -1);
    b.setData("/rr/a", bytes("1"), -1);
    create(b, "/rrx", "");        // a sibling sharing the name prefix: not under /rr
    create(b, "/rrx/y", "");
    b.setData("/rr/a/b", bytes("2"), -1);
    b.delete("/rr/a/b", -1);
    b.delete("/rr/a", -1);
    b.setData("/rr", bytes("1"), -1);

    List<String> expected = List.of(
        "rr NodeCreated /rr",
        "rr NodeCreated /rr/a",
        "rr NodeCreated /rr/a/b",
        "rr NodeDataChanged /rr/a/b",
        "rr NodeDataChanged /rr/a",
        "rr NodeDataChanged /rr/a/b",
        "rr NodeDeleted /rr/a/b",
        "rr NodeDeleted /rr/a",
        "rr NodeDataChanged /rr");
    List<String> got = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      got.add(next().key());
    }
    assertEquals(expected, got);
    fence(a);
    assertEquals(1, serverWatchCount(), "the recursive watch stays");
  }

  // ---- removing watches ----

  @Test
  void removeDataWatch() throws Exception {
    create(b, "/rd", "");
    Watcher w = tagged("w");
    a.getData("/rd", w, null);
    a.removeWatches("/rd", w, WatcherType.Data, false);
    expect("w", EventType.DataWatchRemoved, "/rd");
    b.setData("/rd", bytes("x"), -1);
    fence(a);

    // An exists watch on a missing node is a data watch too.
    Watcher w2 = tagged("w2");
    assertNull(a.exists("/rd-missing", w2));
    a.removeWatches("/rd-missing", w2, WatcherType.Data, false);
    expect("w2", EventType.DataWatchRemoved, "/rd-missing");
    create(b, "/rd-missing", "");
    fence(a);
  }

  @Test
  void removeChildWatch() throws Exception {
    create(b, "/rc", "");
    Watcher w = tagged("w");
    a.getChildren("/rc", w);
    a.removeWatches("/rc", w, WatcherType.Children, false);
    expect("w", EventType.ChildWatchRemoved, "/rc");
    create(b, "/rc/kid", "");
    fence(a);
  }

  @Test
  void removeAnyWatch() throws Exception {
    create(b, "/ra", "");
    Watcher w = tagged("w");
    a.getData("/ra", w, null);
    a.getChildren("/ra", w);
    a.removeWatches("/ra", w, WatcherType.Any, false);
    Set<String> got = Set.of(next().key(), next().key());
    assertEquals(Set.of("w DataWatchRemoved /ra", "w ChildWatchRemoved /ra"), got);
    b.setData("/ra", bytes("x"), -1);
    create(b, "/ra/kid", "");
    fence(a);
  }

  @Test
  void removingAWatchThatDoesNotExistThrowsNoWatcher() throws Exception {
    create(b, "/nw", "");
    Watcher w = tagged("w");
    assertThrows(KeeperException.NoWatcherException.class,
        () -> a.removeWatches("/nw", w, WatcherType.Data, false));
    assertThrows(KeeperException.NoWatcherException.class,
        () -> a.removeAllWatches("/nw", WatcherType.Any, false));

    // A child watch is not a data watch: removing the data watch fails and the child watch stays.
    a.getChildren("/nw", w);
    assertThrows(KeeperException.NoWatcherException.class,
        () -> a.removeWatches("/nw", w, WatcherType.Data, false));
    create(b, "/nw/kid", "");
    expect("w", EventType.NodeChildrenChanged, "/nw");
    fence(a);
  }

  @Test
  void serverAnswersNoWatcherOnTheWire() throws Exception {
    // The official client checks its own table first, so look at the server's answers directly.
    create(b, "/wire", "");
    try (RawClient raw = new RawClient(server.clientPort())) {
      assertEquals(-121, raw.watchOp(OP_CHECK_WATCHES, "/wire", TYPE_DATA), "check, no watch");
      assertEquals(-121, raw.watchOp(OP_REMOVE_WATCHES, "/wire", TYPE_ANY), "remove, no watch");
      assertEquals(0, raw.exists("/wire", true));
      assertEquals(0, raw.watchOp(OP_CHECK_WATCHES, "/wire", TYPE_DATA));
      assertEquals(0, raw.watchOp(OP_CHECK_WATCHES, "/wire", TYPE_ANY));
      assertEquals(-121, raw.watchOp(OP_CHECK_WATCHES, "/wire", TYPE_CHILDREN));
      assertEquals(-121, raw.watchOp(OP_REMOVE_WATCHES, "/wire", TYPE_CHILDREN));
      assertEquals(-121, raw.watchOp(OP_REMOVE_WATCHES, "/wire", TYPE_PERSISTENT));
      assertEquals(0, raw.watchOp(OP_REMOVE_WATCHES, "/wire", TYPE_DATA));
      assertEquals(-121, raw.watchOp(OP_CHECK_WATCHES, "/wire", TYPE_DATA), "gone once removed");
      assertEquals(-121, raw.watchOp(OP_REMOVE_WATCHES, "/wire", TYPE_DATA));
      b.setData("/wire", bytes("x"), -1);
      // A notification for that change would come before the reply to this next request.
      assertEquals(-121, raw.watchOp(OP_CHECK_WATCHES, "/wire", TYPE_DATA));
      assertEquals(0, raw.notificationsSeen(), "a removed watch never fires");
    }
  }

  @Test
  void removeAllWatchesRemovesEveryWatcherOfTheTypeOnTheServerToo() throws Exception {
    create(b, "/ral", "");
    Watcher w1 = tagged("w1");
    Watcher w2 = tagged("w2");
    a.getData("/ral", w1, null);
    a.exists("/ral", w2);
    a.getChildren("/ral", w1);
    int before = serverWatchCount();
    assertEquals(2, before, "one data and one child watch for the connection");

    a.removeAllWatches("/ral", WatcherType.Data, false);
    Set<String> got = Set.of(next().key(), next().key());
    assertEquals(Set.of("w1 DataWatchRemoved /ral", "w2 DataWatchRemoved /ral"), got);
    assertEquals(before - 1, serverWatchCount(), "the server dropped the data watch");

    b.setData("/ral", bytes("x"), -1);
    create(b, "/ral/kid", "");
    expect("w1", EventType.NodeChildrenChanged, "/ral");
    fence(a);
    assertEquals(0, serverWatchCount());
  }

  @Test
  void removePersistentAndPersistentRecursiveWatches() throws Exception {
    Watcher w = tagged("w");
    Watcher r = tagged("r");
    a.addWatch("/pr", w, AddWatchMode.PERSISTENT);
    a.addWatch("/prr", r, AddWatchMode.PERSISTENT_RECURSIVE);
    assertEquals(2, serverWatchCount());

    assertThrows(KeeperException.NoWatcherException.class,
        () -> a.removeWatches("/pr", w, WatcherType.PersistentRecursive, false));
    a.removeWatches("/pr", w, WatcherType.Persistent, false);
    expect("w", EventType.PersistentWatchRemoved, "/pr");

    int before = serverWatchCount();
    a.removeAllWatches("/prr", WatcherType.PersistentRecursive, false);
    expect("r", EventType.PersistentWatchRemoved, "/prr");
    assertEquals(before - 1, serverWatchCount(), "the server dropped the recursive watch");

    create(b, "/pr", "");
    create(b, "/prr", "");
    create(b, "/prr/x", "");
    fence(a);
  }

  // ---- reconnection ----

  @Test
  void watchesAreReRegisteredOnReconnectWithoutMissingChanges() throws Exception {
    TcpProxy proxy = proxy();
    BlockingQueue<WatchedEvent> states = ZkClients.events();
    ZooKeeper ap = ZkClients.connect(proxy.connectString(), 30_000, states);
    closers.add(ap::close);
    create(b, "/w", "v1");
    create(b, "/p", "");
    create(b, "/u", "u1");
    create(b, "/q", "");

    ap.getData("/w", tagged("w"), null);
    assertNull(ap.exists("/missing", tagged("m")));
    ap.getChildren("/p", tagged("p"));
    ap.getData("/u", tagged("u"), null);
    assertNull(ap.exists("/later", tagged("l")));
    ap.getChildren("/q", tagged("q"));
    long session = ap.getSessionId();

    proxy.pause();
    proxy.dropConnections();
    awaitState(states, KeeperState.Disconnected);

    b.setData("/w", bytes("v2"), -1);
    create(b, "/missing", "");
    create(b, "/p/c", "");

    proxy.resume();
    awaitState(states, KeeperState.SyncConnected);
    assertEquals(session, ap.getSessionId(), "same session after reconnecting");

    // Changes made while A was away fire when its watches are set again (setWatches, op 101).
    Set<String> caughtUp = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      caughtUp.add(next().key());
    }
    assertEquals(Set.of("w NodeDataChanged /w", "m NodeCreated /missing",
        "p NodeChildrenChanged /p"), caughtUp);

    // Watches on nodes that did not change are still in place and fire on later changes.
    b.setData("/u", bytes("u2"), -1);
    expect("u", EventType.NodeDataChanged, "/u");
    create(b, "/later", "");
    expect("l", EventType.NodeCreated, "/later");
    create(b, "/q/c", "");
    expect("q", EventType.NodeChildrenChanged, "/q");
    fence(ap);
    assertArrayEquals(bytes("v2"), ap.getData("/w", false, null));
    assertTrue(proxy.forwardedCount() >= 2, "A really opened a second connection");
  }

  @Test
  void persistentWatchesAreReRegisteredOnReconnect() throws Exception {
    TcpProxy proxy = proxy();
    BlockingQueue<WatchedEvent> states = ZkClients.events();
    ZooKeeper ap = ZkClients.connect(proxy.connectString(), 30_000, states);
    closers.add(ap::close);
    create(b, "/pw", "");
    create(b, "/w2", "");
    ap.addWatch("/pw", tagged("pw"), AddWatchMode.PERSISTENT_RECURSIVE);
    ap.addWatch("/pw", tagged("pp"), AddWatchMode.PERSISTENT);
    ap.getData("/w2", tagged("w2"), null);

    proxy.pause();
    proxy.dropConnections();
    awaitState(states, KeeperState.Disconnected);
    b.setData("/w2", bytes("changed"), -1);
    create(b, "/pw/during", "");  // persistent watches do not replay what they missed

    proxy.resume();
    awaitState(states, KeeperState.SyncConnected);

    // setWatches2 (op 105): the one-shot data watch catches up, persistent ones are set again.
    expect("w2", EventType.NodeDataChanged, "/w2");
    create(b, "/pw/after", "");
    Set<String> got = Set.of(next().key(), next().key());
    assertEquals(Set.of("pw NodeCreated /pw/after", "pp NodeChildrenChanged /pw"), got);
    b.setData("/pw/during", bytes("x"), -1);
    expect("pw", EventType.NodeDataChanged, "/pw/during");
    fence(ap);
  }

  // ---- helpers ----

  private ZooKeeper client(String connectString) throws Exception {
    ZooKeeper zk = ZkClients.connect(connectString);
    closers.add(zk::close);
    return zk;
  }

  private TcpProxy proxy() throws IOException {
    TcpProxy proxy = new TcpProxy(server.clientPort());
    closers.add(proxy);
    return proxy;
  }

  /** A watcher that records its node events (not connection-state events) as {@code tag}. */
  private Watcher tagged(String tag) {
    return e -> {
      if (e.getType() != EventType.None) {
        events.add(new Ev(tag, e.getType(), e.getPath(), e.getZxid()));
      }
    };
  }

  private Ev next() throws InterruptedException {
    Ev e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      fail("no watch event within " + WAIT);
    }
    return e;
  }

  private Ev expect(String tag, EventType type, String path) throws InterruptedException {
    Ev e = next();
    assertEquals(tag + " " + type + " " + path, e.key());
    return e;
  }

  /**
   * Sets an exists watch with {@code zk} on a fresh missing path, has the writer create it, and
   * asserts that the fence's NodeCreated is the next event delivered: no stray event for anything
   * changed before.
   */
  private void fence(ZooKeeper zk) throws Exception {
    String path = "/fence-" + fences.incrementAndGet();
    assertNull(zk.exists(path, tagged("fence")));
    create(b, path, "");
    expect("fence", EventType.NodeCreated, path);
  }

  private static String create(ZooKeeper zk, String path, String data) throws Exception {
    return zk.create(path, bytes(data), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  }

  private static Stat stat(ZooKeeper zk, String path) throws Exception {
    Stat s = zk.exists(path, false);
    assertNotNull(s, path);
    return s;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Total watches the server holds, from {@code wchs}. */
  private int serverWatchCount() throws Exception {
    String out = FourLetterWordMain.send4LetterWord("127.0.0.1", server.clientPort(), "wchs");
    Matcher m = Pattern.compile("Total watches:\\s*(\\d+)").matcher(out);
    assertTrue(m.find(), "unexpected wchs output: " + out);
    return Integer.parseInt(m.group(1));
  }

  private static void awaitState(BlockingQueue<WatchedEvent> q, KeeperState state)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      WatchedEvent e = left > 0 ? q.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        fail("no " + state + " within " + WAIT);
      }
      if (e.getType() == EventType.None && e.getState() == state) {
        return;
      }
    }
  }

  // ---- a minimal wire client for what the official client hides ----

  private static final int OP_EXISTS = 3;
  private static final int OP_CHECK_WATCHES = 17;
  private static final int OP_REMOVE_WATCHES = 18;
  private static final int TYPE_CHILDREN = 1;
  private static final int TYPE_DATA = 2;
  private static final int TYPE_ANY = 3;
  private static final int TYPE_PERSISTENT = 4;

  /** Speaks just enough of the protocol: a new session, then requests one at a time. */
  private static final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int xid;
    private int notifications;

    RawClient(int port) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout((int) WAIT.toMillis());
      in = new DataInputStream(socket.getInputStream());
      out = new DataOutputStream(socket.getOutputStream());
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(buf);
      d.writeInt(0);          // protocolVersion
      d.writeLong(0);         // lastZxidSeen
      d.writeInt(30_000);     // timeOut
      d.writeLong(0);         // sessionId: new
      d.writeInt(16);
      d.write(new byte[16]);  // passwd
      d.writeBoolean(false);  // readOnly
      send(buf.toByteArray());
      DataInputStream r = new DataInputStream(new java.io.ByteArrayInputStream(readFrame()));
      r.readInt();
      int timeout = r.readInt();
      long session = r.readLong();
      if (timeout <= 0 || session == 0) {
        throw new IOException("handshake refused");
      }
    }

    int exists(String path, boolean watch) throws IOException {
      return call(OP_EXISTS, d -> {
        writeString(d, path);
        d.writeBoolean(watch);
      });
    }

    int watchOp(int op, String path, int type) throws IOException {
      return call(op, d -> {
        writeString(d, path);
        d.writeInt(type);
      });
    }

    int notificationsSeen() {
      return notifications;
    }

    private interface Body {
      void write(DataOutputStream d) throws IOException;
    }

    private int call(int op, Body body) throws IOException {
      int myXid = ++xid;
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(buf);
      d.writeInt(myXid);
      d.writeInt(op);
      body.write(d);
      send(buf.toByteArray());
      while (true) {
        DataInputStream r = new DataInputStream(new java.io.ByteArrayInputStream(readFrame()));
        int replyXid = r.readInt();
        r.readLong();
        int err = r.readInt();
        if (replyXid == -1) {
          notifications++;
          continue;
        }
        if (replyXid != myXid) {
          throw new IOException("reply xid " + replyXid + " for request " + myXid);
        }
        return err;
      }
    }

    private static void writeString(DataOutputStream d, String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      d.writeInt(b.length);
      d.write(b);
    }

    private void send(byte[] frame) throws IOException {
      out.writeInt(frame.length);
      out.write(frame);
      out.flush();
    }

    private byte[] readFrame() throws IOException {
      int n = in.readInt();
      byte[] b = new byte[n];
      in.readFully(b);
      return b;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}

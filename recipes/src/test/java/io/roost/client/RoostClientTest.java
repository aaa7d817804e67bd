package io.roost.client;

import io.roost.recipes.testkit.CuttableProxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.proto.CreateMode;
import io.roost.core.proto.Stat;
import io.roost.server.RoostServer;
import io.roost.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roost's client against a real Roost server on an ephemeral port. */
class RoostClientTest {
  @TempDir Path dir;
  private RoostServer server;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void startServer() {
    server = RoostServer.start(ServerConfig.builder()
        .clientPortAddress("127.0.0.1").clientPort(0).adminEnableServer(false)
        .dataDir(dir).preAllocSizeKb(1024).tickTime(200).build());
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    server.close();
  }

  private RoostClient client(String connectString, RoostClient.Builder tweaks) throws Exception {
    RoostClient c = tweaks.connectString(connectString).build();
    closeables.add(c);
    c.start().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return c;
  }

  private RoostClient client() throws Exception {
    return client(server.connectString("127.0.0.1"), RoostClient.builder());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void createReadUpdateDeleteWithTypedErrors() throws Exception {
    BlockingRoostClient c = client().blocking();
    assertEquals("/a", c.create("/a", utf8("one")));
    assertArrayEquals(utf8("one"), c.getData("/a").data());
    Stat s = c.setData("/a", utf8("two"), 0);
    assertEquals(1, s.version());
    assertEquals(1, c.exists("/a").version());
    assertNull(c.exists("/missing"));
    assertThrows(RoostException.NodeExistsException.class, () -> c.create("/a", null));
    RoostException bad = assertThrows(RoostException.BadVersionException.class,
        () -> c.setData("/a", utf8("x"), 0));
    assertEquals("/a", bad.path());
    assertThrows(RoostException.NoNodeException.class, () -> c.getData("/nope"));
    assertThrows(RoostException.NoNodeException.class, () -> c.create("/no/parent", null));
    assertEquals("/no/parent", c.create("/no/parent", null,
        CreateOptions.persistent().withParents(true)));
    assertThrows(RoostException.NotEmptyException.class, () -> c.delete("/no"));
    assertEquals(List.of("parent"), c.getChildren("/no"));
    c.deleteRecursive("/no");
    assertNull(c.exists("/no"));
    c.delete("/a", 1);
    assertTrue(!c.deleteIfExists("/a"));
    assertThrows(IllegalArgumentException.class, () -> c.create("relative", null));
    assertThrows(IllegalArgumentException.class, () -> c.create("/trailing/", null));
  }

  @Test
  void aNamespacePrefixesEveryPathAndIsCreatedOnStart() throws Exception {
    BlockingRoostClient plain = client().blocking();
    BlockingRoostClient app = client(server.connectString("127.0.0.1"),
        RoostClient.builder().namespace("/apps/one")).blocking();
    assertEquals("/x", app.create("/x", utf8("in ns")));
    assertArrayEquals(utf8("in ns"), plain.getData("/apps/one/x").data());
    List<WatchEvent> events = new CopyOnWriteArrayList<>();
    app.getData("/x", events::add);
    plain.setData("/apps/one/x", utf8("changed"), -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
    assertEquals(new WatchEvent(WatchEvent.Type.NODE_DATA_CHANGED, "/x"), events.get(0));
    assertEquals(List.of("x"), app.getChildren("/"));
  }

  @Test
  void watchesFireOnceAndPersistentOnesKeepFiring() throws Exception {
    BlockingRoostClient c = client().blocking();
    BlockingRoostClient other = client().blocking();
    List<WatchEvent> once = new CopyOnWriteArrayList<>();
    List<WatchEvent> always = new CopyOnWriteArrayList<>();
    assertNull(c.exists("/w", once::add));
    c.addWatch("/w", true, always::add);
    other.create("/w", null);
    other.create("/w/child", null);
    other.setData("/w", utf8("1"), -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> always.size() == 3);
    assertEquals(List.of(new WatchEvent(WatchEvent.Type.NODE_CREATED, "/w")), once);
    assertEquals(List.of(new WatchEvent(WatchEvent.Type.NODE_CREATED, "/w"),
        new WatchEvent(WatchEvent.Type.NODE_CREATED, "/w/child"),
        new WatchEvent(WatchEvent.Type.NODE_DATA_CHANGED, "/w")), always);
    List<WatchEvent> children = new CopyOnWriteArrayList<>();
    c.getChildren("/w", children::add);
    other.create("/w/second", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> children.size() == 1);
    assertEquals(WatchEvent.Type.NODE_CHILDREN_CHANGED, children.get(0).type());
  }

  @Test
  void removingOneListenerOfAPersistentWatchLeavesTheOthers() throws Exception {
    BlockingRoostClient c = client().blocking();
    BlockingRoostClient other = client().blocking();
    List<WatchEvent> first = new CopyOnWriteArrayList<>();
    List<WatchEvent> second = new CopyOnWriteArrayList<>();
    WatchListener one = first::add;
    c.addWatch("/shared", true, one);
    c.addWatch("/shared", true, second::add);
    c.removeWatch("/shared", true, one);
    other.create("/shared", null);
    other.create("/shared/x", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> second.size() == 2);
    assertEquals(List.of(), first);
    assertEquals(new WatchEvent(WatchEvent.Type.NODE_CREATED, "/shared/x"), second.get(1));
  }

  @Test
  void aMultiIsAllOrNothingAndNamesTheFailingOp() throws Exception {
    BlockingRoostClient c = client().blocking();
    c.create("/fence", null);
    List<OpResult> ok = c.multi(List.of(Op.check("/fence", 0),
        Op.create("/guarded", utf8("g"), CreateOptions.persistent()),
        Op.setData("/fence", utf8("f"), 0)));
    assertEquals(3, ok.size());
    assertEquals(new OpResult.Checked(), ok.get(0));
    assertEquals("/guarded", ((OpResult.Created) ok.get(1)).path());
    assertEquals(1, ((OpResult.DataSet) ok.get(2)).stat().version());
    RoostException e = assertThrows(RoostException.BadVersionException.class,
        () -> c.multi(List.of(Op.create("/never", null, CreateOptions.persistent()),
            Op.check("/fence", 0))));
    assertEquals(1, e.opIndex());
    assertNull(c.exists("/never"), "a failed multi changed something");
  }

  @Test
  void sequentialCreatesAreProtectedByDefault() throws Exception {
    BlockingRoostClient c = client().blocking();
    c.create("/q", null);
    String path = c.create("/q/item-", null, CreateOptions.of(CreateMode.PERSISTENT_SEQUENTIAL));
    assertTrue(path.matches("/q/_c_[0-9a-f-]{36}-item-\\d{10}"), path);
    String plain = c.create("/q/plain-", null, CreateOptions.of(CreateMode.PERSISTENT_SEQUENTIAL)
        .withProtection(false));
    assertTrue(plain.matches("/q/plain-\\d{10}"), plain);
  }

  @Test
  void aCreateWhoseAnswerWasLostIsFoundNotRepeated() throws Exception {
    try (CuttableProxy proxy = new CuttableProxy(server.clientPort())) {
      RoostClient c = client(proxy.connectString(), RoostClient.builder()
          .sessionTimeout(Duration.ofSeconds(4)));
      BlockingRoostClient b = c.blocking();
      b.create("/jobs", null);
      proxy.swallowNextAnswerAndCut();
      String path = b.create("/jobs/job-", utf8("payload"),
          CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL));
      assertEquals(List.of(path.substring("/jobs/".length())), b.getChildren("/jobs"),
          "the retry left an orphan");
      // Without protection the same loss leaves two nodes: what the default prevents.
      proxy.swallowNextAnswerAndCut();
      b.create("/jobs/raw-", null, CreateOptions.of(CreateMode.PERSISTENT_SEQUENTIAL)
          .withProtection(false));
      assertEquals(2, b.getChildren("/jobs").stream().filter(n -> n.startsWith("raw-"))
          .count());
    }
  }

  @Test
  void versionedWritesAndDeletesWhoseAnswerWasLostCountAsDone() throws Exception {
    try (CuttableProxy proxy = new CuttableProxy(server.clientPort())) {
      BlockingRoostClient b = client(proxy.connectString(), RoostClient.builder()).blocking();
      b.create("/v", utf8("0"));
      proxy.swallowNextAnswerAndCut();
      assertEquals(1, b.setData("/v", utf8("1"), 0).version());
      proxy.swallowNextAnswerAndCut();
      b.delete("/v");
      assertNull(b.exists("/v"), "an unversioned delete whose answer was lost counts as done");
      b.create("/cas", null);
      proxy.swallowNextAnswerAndCut();
      // A compare-and-delete cannot tell its own deletion from another's: it reports NoNode.
      assertThrows(RoostException.NoNodeException.class, () -> b.delete("/cas", 0));
      assertNull(b.exists("/cas"));
      proxy.swallowNextAnswerAndCut();
      // Retried after the loss, the ephemeral is found to be this session's own.
      assertEquals("/e2", b.create("/e2", utf8("x"), CreateOptions.of(CreateMode.EPHEMERAL)));
      assertEquals(c(b), b.exists("/e2").ephemeralOwner());
    }
  }

  private static long c(BlockingRoostClient b) {
    return b.async().sessionId();
  }

  @Test
  void connectionStatesAcrossACutAndASessionLoss() throws Exception {
    try (CuttableProxy proxy = new CuttableProxy(server.clientPort())) {
      List<ConnectionState> states = new CopyOnWriteArrayList<>();
      RoostClient.Builder b = RoostClient.builder().sessionTimeout(Duration.ofMillis(2_000));
      RoostClient c = client(proxy.connectString(), b);
      c.addConnectionStateListener((client, s) -> states.add(s));
      BlockingRoostClient blocking = c.blocking();
      BlockingRoostClient other = client().blocking();
      blocking.create("/mine", null, CreateOptions.of(CreateMode.EPHEMERAL));
      List<WatchEvent> events = new CopyOnWriteArrayList<>();
      blocking.exists("/watched", events::add);
      long session = c.sessionId();
      // A short cut: same session, ephemeral intact, and a change made meanwhile is reported.
      proxy.cutAll(true);
      await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(
          ConnectionState.SUSPENDED));
      other.create("/watched", null);
      proxy.restore();
      await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(
          ConnectionState.RECONNECTED));
      assertEquals(session, c.sessionId());
      assertNotNull(other.exists("/mine"));
      await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
      assertEquals(WatchEvent.Type.NODE_CREATED, events.get(0).type());
      // A cut longer than the session: LOST, then a new session; the old ephemeral is gone.
      states.clear();
      proxy.cutAll(true);
      await().atMost(Duration.ofSeconds(10)).until(() -> states.contains(ConnectionState.LOST));
      proxy.restore();
      await().atMost(Duration.ofSeconds(10)).until(() -> states.contains(
          ConnectionState.RECONNECTED));
      assertEquals(List.of(ConnectionState.SUSPENDED, ConnectionState.LOST,
          ConnectionState.RECONNECTED), states);
      assertNotEquals(session, c.sessionId());
      await().atMost(Duration.ofSeconds(10)).until(() -> other.exists("/mine") == null);
    }
  }

  @Test
  void anExistsWatchOnANodeDeletedWhileCutOffReportsTheDeletionOnReconnect() throws Exception {
    try (CuttableProxy proxy = new CuttableProxy(server.clientPort())) {
      List<ConnectionState> states = new CopyOnWriteArrayList<>();
      RoostClient c = client(proxy.connectString(), RoostClient.builder()
          .sessionTimeout(Duration.ofSeconds(4)));
      c.addConnectionStateListener((client, s) -> states.add(s));
      BlockingRoostClient other = client().blocking();
      other.create("/doomed", null);
      other.create("/kept", null);
      List<WatchEvent> events = new CopyOnWriteArrayList<>();
      assertNotNull(c.blocking().exists("/doomed", events::add));
      assertNotNull(c.blocking().exists("/kept", events::add));
      proxy.cutAll(true);
      await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(
          ConnectionState.SUSPENDED));
      other.delete("/doomed");
      proxy.restore();
      await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(
          ConnectionState.RECONNECTED));
      await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
      other.setData("/kept", utf8("changed"), -1);
      await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
      // The deletion made while cut off, then the later change: no invented NODE_CREATED.
      assertEquals(List.of(new WatchEvent(WatchEvent.Type.NODE_DELETED, "/doomed"),
          new WatchEvent(WatchEvent.Type.NODE_DATA_CHANGED, "/kept")), events);
    }
  }

  @Test
  void requestsPendingWhenTheClientClosesFailInsteadOfHanging() throws Exception {
    try (CuttableProxy proxy = new CuttableProxy(server.clientPort())) {
      // One waiting out a long retry delay, one whose answer never comes.
      RoostClient c = client(proxy.connectString(), RoostClient.builder()
          .retryPolicy(RetryPolicy.nTimes(3, Duration.ofSeconds(60))));
      proxy.stallAnswers();
      java.util.concurrent.CompletableFuture<NodeData> inFlight = c.getData("/")
          .toCompletableFuture();
      c.close();
      java.util.concurrent.ExecutionException e = assertThrows(
          java.util.concurrent.ExecutionException.class,
          () -> inFlight.get(5, TimeUnit.SECONDS));
      assertInstanceOf(RoostException.ConnectionLossException.class, e.getCause());
    }
    try (CuttableProxy proxy = new CuttableProxy(server.clientPort())) {
      List<ConnectionState> states = new CopyOnWriteArrayList<>();
      RoostClient c = client(proxy.connectString(), RoostClient.builder()
          .retryPolicy(RetryPolicy.nTimes(3, Duration.ofSeconds(60))));
      c.addConnectionStateListener((client, s) -> states.add(s));
      proxy.cutAll(true);
      await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(
          ConnectionState.SUSPENDED));
      java.util.concurrent.CompletableFuture<NodeData> retrying = c.getData("/")
          .toCompletableFuture();
      c.close();
      java.util.concurrent.ExecutionException e = assertThrows(
          java.util.concurrent.ExecutionException.class,
          () -> retrying.get(5, TimeUnit.SECONDS));
      assertInstanceOf(RoostException.ConnectionLossException.class, e.getCause());
    }
  }

  @Test
  void theBuilderNamesTheBadSetting() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RoostClient.builder().connectString("host:99999").build());
    assertTrue(e.getMessage().contains("port"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RoostClient.builder().connectString("").build());
    assertTrue(e.getMessage().contains("connectString"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RoostClient.builder()
        .connectString("h:1").sessionTimeout(Duration.ZERO).build());
    assertTrue(e.getMessage().contains("sessionTimeout"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RoostClient.builder()
        .connectString("h:1").namespace("/bad/").build());
    assertTrue(e.getMessage().contains("/bad/"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CreateOptions
        .of(CreateMode.PERSISTENT_WITH_TTL).withAcl(List.of()));
    assertTrue(e.getMessage().contains("acl"), e.getMessage());
  }

  @Test
  void blockingOnTheEventLoopIsRefused() throws Exception {
    RoostClient c = client();
    // On an event-loop context for sure (a stage's callback may run on the caller's thread if
    // the answer is already in when it is attached).
    java.util.concurrent.CompletableFuture<Throwable> refused =
        new java.util.concurrent.CompletableFuture<>();
    c.vertx().getOrCreateContext().runOnContext(v -> {
      try {
        c.blocking().getData("/");
        refused.complete(null);
      } catch (IllegalStateException e) {
        refused.complete(e);
      }
    });
    assertInstanceOf(IllegalStateException.class, refused.get(10, TimeUnit.SECONDS));
  }

  @Test
  void digestCredentialsGuardNodesAndAreSentAgainAfterAReconnect() throws Exception {
    try (CuttableProxy proxy = new CuttableProxy(server.clientPort())) {
      RoostClient alice = client(proxy.connectString(), RoostClient.builder()
          .digestAuth("alice", "secret"));
      BlockingRoostClient a = alice.blocking();
      a.create("/private", utf8("hers"), CreateOptions.persistent().withAcl(List.of(
          new io.roost.core.proto.ACL(io.roost.core.proto.Perms.ALL,
              new io.roost.core.proto.Id("auth", "")))));
      BlockingRoostClient anonymous = client().blocking();
      assertThrows(RoostException.NoAuthException.class, () -> anonymous.getData("/private"));
      BlockingRoostClient wrong = client(server.connectString("127.0.0.1"),
          RoostClient.builder().digestAuth("alice", "guess")).blocking();
      assertThrows(RoostException.NoAuthException.class, () -> wrong.getData("/private"));
      List<ConnectionState> states = new CopyOnWriteArrayList<>();
      alice.addConnectionStateListener((c, s) -> states.add(s));
      proxy.cutAll(false);
      await().atMost(Duration.ofSeconds(10)).until(() -> states.contains(
          ConnectionState.RECONNECTED));
      assertArrayEquals(utf8("hers"), a.getData("/private").data(),
          "the credentials were not sent again on the new connection");
    }
  }

  @Test
  void callsAfterCloseFailTheirStageInsteadOfThrowing() throws Exception {
    RoostClient c = client();
    c.create("/before-close", null).toCompletableFuture().get(10, TimeUnit.SECONDS);
    c.close();
    for (java.util.concurrent.CompletionStage<?> stage : List.of(c.getData("/before-close"),
        c.create("/after-close", null), c.multi(List.of(Op.delete("/before-close", -1))),
        c.whenConnected(Duration.ofSeconds(1)))) {
      java.util.concurrent.ExecutionException e = assertThrows(
          java.util.concurrent.ExecutionException.class,
          () -> stage.toCompletableFuture().get(5, TimeUnit.SECONDS));
      assertInstanceOf(IllegalStateException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
    }
  }

  @Test
  void requestsAndStateChangesAreMetered() throws Exception {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    BlockingRoostClient c = client(server.connectString("127.0.0.1"),
        RoostClient.builder().meterRegistry(meters)).blocking();
    c.create("/m", null);
    assertThrows(RoostException.NodeExistsException.class, () -> c.create("/m", null));
    c.getData("/m");
    assertEquals(1, meters.get("roost.client.requests").tag("op", "create")
        .tag("outcome", "ok").timer().count());
    assertEquals(1, meters.get("roost.client.requests").tag("op", "create")
        .tag("outcome", "node_exists").timer().count());
    assertEquals(1, meters.get("roost.client.requests").tag("op", "getData").timer().count());
    assertEquals(1.0, meters.get("roost.client.connection.state").tag("state", "connected")
        .counter().count());
  }
}

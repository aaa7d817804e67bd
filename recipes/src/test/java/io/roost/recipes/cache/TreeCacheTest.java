package io.roost.recipes.cache;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.client.BlockingRoostClient;
import io.roost.client.ConnectionState;
import io.roost.client.CreateOptions;
import io.roost.client.NodeData;
import io.roost.client.Op;
import io.roost.client.RoostClient;
import io.roost.core.proto.CreateMode;
import io.roost.recipes.testkit.CuttableProxy;
import io.roost.recipes.testkit.RoostFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tree cache against a real server: it follows changes and converges after cuts. */
class TreeCacheTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension final RoostFixture roost = RoostFixture.perTest();
  private BlockingRoostClient writer;

  @BeforeEach
  void start() throws Exception {
    writer = roost.client().blocking();
  }

  private TreeCache started(TreeCache cache, List<CacheEvent> events) throws Exception {
    roost.closeLater(cache);
    cache.addListener(events::add);
    cache.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return cache;
  }

  @Test
  void followsNestedCreatesUpdatesAndDeletesInOrderPerPath() throws Exception {
    RoostClient c = roost.client();
    writer.create("/app", utf8("root"));
    writer.create("/app/a", utf8("a1"));
    List<CacheEvent> events = new CopyOnWriteArrayList<>();
    TreeCache cache = started(TreeCache.builder(c, "/app").build(), events);
    assertEquals(List.of("ADDED /app", "ADDED /app/a", "INITIALIZED /app"), brief(events));
    assertEquals(serverTree("/app"), cacheTree(cache));

    // One path through its whole life, one step at a time: every step is an event, in order.
    writer.create("/app/x", utf8("x1"));
    await().atMost(WAIT).until(() -> cache.currentData("/app/x") != null);
    writer.setData("/app/x", utf8("x2"), -1);
    await().atMost(WAIT).until(() -> cache.currentData("/app/x").stat().version() == 1);
    writer.delete("/app/x");
    await().atMost(WAIT).until(() -> cache.currentData("/app/x") == null);
    List<CacheEvent> x = events.stream().filter(e -> e.path().equals("/app/x")).toList();
    assertEquals(List.of("ADDED /app/x", "UPDATED /app/x", "REMOVED /app/x"), brief(x));
    assertEquals("x2", text(x.get(1).data().data()));
    assertEquals("x1", text(x.get(1).previous().data()));

    // Nested changes, quickly, then a recursive delete: the cache ends where the server is.
    writer.create("/app/b/c/d", utf8("d"), CreateOptions.persistent().withParents(true));
    writer.setData("/app/a", utf8("a2"), -1);
    writer.create("/app/e", null);
    writer.create("/app/b/c/f", utf8("f"));
    await().atMost(WAIT).until(() -> cache.currentData("/app/b/c/f") != null);
    assertEquals(Map.of("d", "d", "f", "f"), cache.currentChildren("/app/b/c").entrySet()
        .stream().collect(Collectors.toMap(Map.Entry::getKey, e -> text(e.getValue().data()))));
    writer.async().deleteRecursive("/app/b").toCompletableFuture().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> cacheTree(cache).equals(serverTree("/app")));
    assertEquals(List.of("/app", "/app/a", "/app/e"), List.copyOf(cache.currentTree().keySet()));
    int removedC = paths(events, "REMOVED").indexOf("/app/b/c");
    assertTrue(paths(events, "REMOVED").indexOf("/app/b/c/d") < removedC
        && removedC < paths(events, "REMOVED").indexOf("/app/b"), brief(events).toString());

    assertEquals(3.0, c.meters().get("roost.recipes.cache.size").tag("path", "/app").gauge()
        .value());
    assertEquals(paths(events, "ADDED").size(), c.meters().get("roost.recipes.cache.events")
        .tag("path", "/app").tag("type", "node_added").counter().count());
  }

  @Test
  void convergesAfterAReconnectWithChangesMadeWhileCut() throws Exception {
    CuttableProxy proxy = roost.proxy();
    RoostClient c = roost.client(proxy, Duration.ofSeconds(4));
    List<ConnectionState> states = RoostFixture.states(c);
    writer.create("/r/keep", utf8("k"), CreateOptions.persistent().withParents(true));
    writer.create("/r/change", utf8("c0"));
    writer.create("/r/gone/child", utf8("g"), CreateOptions.persistent().withParents(true));
    List<CacheEvent> events = new CopyOnWriteArrayList<>();
    TreeCache cache = started(TreeCache.builder(c, "/r").build(), events);
    long session = c.sessionId();

    proxy.cut();
    await().atMost(WAIT).until(() -> states.contains(ConnectionState.SUSPENDED));
    writer.setData("/r/change", utf8("c1"), -1);
    writer.async().deleteRecursive("/r/gone").toCompletableFuture().get(10, TimeUnit.SECONDS);
    writer.create("/r/new/deep", utf8("n"), CreateOptions.persistent().withParents(true));
    assertEquals("c0", text(cache.currentData("/r/change").data()), "changed while cut off");
    proxy.restore();

    await().atMost(WAIT).until(() -> states.contains(ConnectionState.RECONNECTED));
    assertEquals(session, c.sessionId());
    await().atMost(WAIT).until(() -> cacheTree(cache).equals(serverTree("/r")));
    assertTrue(paths(events, "REMOVED").containsAll(List.of("/r/gone/child", "/r/gone")));
    assertTrue(paths(events, "ADDED").containsAll(List.of("/r/new", "/r/new/deep")));
    assertEquals(List.of("/r/change"), paths(events, "UPDATED"));
  }

  @Test
  void convergesAfterASessionLoss() throws Exception {
    CuttableProxy proxy = roost.proxy();
    RoostClient c = roost.client(proxy, Duration.ofSeconds(2));
    List<ConnectionState> states = RoostFixture.states(c);
    writer.create("/s", null);
    writer.create("/s/old", utf8("o"));
    // The cache's own session holds a node: it goes with the session.
    c.blocking().create("/s/mine", utf8("m"), CreateOptions.of(CreateMode.EPHEMERAL));
    List<CacheEvent> events = new CopyOnWriteArrayList<>();
    TreeCache cache = started(TreeCache.builder(c, "/s").build(), events);
    long session = c.sessionId();

    proxy.cut();
    await().atMost(WAIT).until(() -> states.contains(ConnectionState.LOST));
    writer.delete("/s/old");
    writer.create("/s/later", utf8("l"));
    await().atMost(WAIT).until(() -> writer.exists("/s/mine") == null);
    proxy.restore();

    await().atMost(WAIT).until(() -> states.contains(ConnectionState.RECONNECTED));
    assertNotEquals(session, c.sessionId());
    await().atMost(WAIT).until(() -> cacheTree(cache).equals(serverTree("/s")));
    assertEquals(List.of("/s", "/s/later"), List.copyOf(cache.currentTree().keySet()));
    assertTrue(paths(events, "REMOVED").containsAll(List.of("/s/old", "/s/mine")));
  }

  @Test
  void depthAndBoundLimitWhatIsHeld() throws Exception {
    RoostClient c = roost.client();
    writer.create("/d/a/b", null, CreateOptions.persistent().withParents(true));
    TreeCache shallow = started(TreeCache.builder(c, "/d").maxDepth(1).build(),
        new CopyOnWriteArrayList<>());
    writer.create("/d/x/y", null, CreateOptions.persistent().withParents(true));
    writer.create("/d/z", null);
    await().atMost(WAIT).until(() -> shallow.currentData("/d/z") != null);
    assertEquals(List.of("/d", "/d/a", "/d/x", "/d/z"), List.copyOf(shallow.currentTree()
        .keySet()));

    TreeCache bounded = started(TreeCache.builder(c, "/d").maximumSize(2).build(),
        new CopyOnWriteArrayList<>());
    await().atMost(WAIT).until(() -> bounded.size() <= 2);
    assertTrue(bounded.currentTree().size() <= 2);
  }

  @Test
  void aWideSubtreeIsReadAWindowAtATime() throws Exception {
    int children = 3 * SubtreeMirror.WALK_READS_IN_FLIGHT;
    writer.create("/wide", null);
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < children; i++) {
      ops.add(Op.create("/wide/c" + i, utf8("v" + i), CreateOptions.persistent()));
    }
    writer.multi(ops);
    TreeCache cache = started(TreeCache.builder(roost.client(), "/wide").build(),
        new CopyOnWriteArrayList<>());
    assertEquals(children + 1, cache.size(), "every node is read");
    assertEquals(serverTree("/wide"), cacheTree(cache));
    assertEquals(SubtreeMirror.WALK_READS_IN_FLIGHT, cache.mostReadsInFlight(),
        "the re-read should fill its window and never go past it");
  }

  @Test
  void badArgumentsAreRefusedNamingTheSetting() throws Exception {
    RoostClient c = roost.client();
    assertMessage("maxDepth", assertThrows(IllegalArgumentException.class,
        () -> TreeCache.builder(c, "/p").maxDepth(-1)));
    assertMessage("maximumSize", assertThrows(IllegalArgumentException.class,
        () -> TreeCache.builder(c, "/p").maximumSize(0)));
    assertMessage("path", assertThrows(IllegalArgumentException.class,
        () -> TreeCache.builder(c, "p")));
    assertMessage("path", assertThrows(IllegalArgumentException.class,
        () -> new NodeCache(c, "/p/")));
    TreeCache cache = started(TreeCache.builder(c, "/p").build(), new CopyOnWriteArrayList<>());
    assertThrows(IllegalStateException.class, cache::start);
    assertNull(cache.currentData("/p"));
  }

  private static void assertMessage(String expected, IllegalArgumentException e) {
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  /** path -> "data@version" for the server's subtree at {@code root}. */
  private SortedMap<String, String> serverTree(String root) {
    SortedMap<String, String> out = new TreeMap<>();
    NodeData d = writer.getData(root);
    out.put(root, text(d.data()) + "@" + d.stat().version());
    for (String child : writer.getChildren(root)) {
      out.putAll(serverTree(root + "/" + child));
    }
    return out;
  }

  private static SortedMap<String, String> cacheTree(TreeCache cache) {
    SortedMap<String, String> out = new TreeMap<>();
    cache.currentTree().forEach((p, d) -> out.put(p, text(d.data()) + "@" + d.stat().version()));
    return out;
  }

  private static List<String> brief(List<CacheEvent> events) {
    return events.stream().map(e -> e.type().name().replace("NODE_", "") + " " + e.path())
        .toList();
  }

  private static List<String> paths(List<CacheEvent> events, String type) {
    return events.stream().filter(e -> e.type().name().equals("NODE_" + type))
        .map(CacheEvent::path).toList();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return b == null ? "" : new String(b, StandardCharsets.UTF_8);
  }
}

package io.roost.recipes.cache;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.roost.client.BlockingRoostClient;
import io.roost.client.ConnectionState;
import io.roost.client.RoostClient;
import io.roost.recipes.testkit.CuttableProxy;
import io.roost.recipes.testkit.RoostFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The node cache against a real server. */
class NodeCacheTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension final RoostFixture roost = RoostFixture.perTest();
  private BlockingRoostClient writer;

  @BeforeEach
  void start() throws Exception {
    writer = roost.client().blocking();
  }

  private NodeCache started(RoostClient c, String path, List<CacheEvent> events)
      throws Exception {
    NodeCache cache = roost.closeLater(new NodeCache(c, path));
    cache.addListener(events::add);
    cache.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return cache;
  }

  @Test
  void followsCreationChangesAndDeletionOfOneNodeOnly() throws Exception {
    List<CacheEvent> events = new CopyOnWriteArrayList<>();
    NodeCache cache = started(roost.client(), "/n", events);
    assertNull(cache.current());
    writer.create("/n", utf8("1"));
    await().atMost(WAIT).until(() -> cache.current() != null);
    writer.create("/n/child", utf8("not mine"));
    writer.setData("/n", utf8("2"), -1);
    await().atMost(WAIT).until(() -> cache.current().stat().version() == 1);
    assertEquals("2", text(cache.current().data()));
    writer.delete("/n/child");
    writer.delete("/n");
    await().atMost(WAIT).until(() -> cache.current() == null);
    assertEquals(List.of("INITIALIZED /n", "NODE_ADDED /n", "NODE_UPDATED /n",
        "NODE_REMOVED /n"), events.stream().map(e -> e.type() + " " + e.path()).toList());
    assertEquals("2", text(events.get(3).data().data()));
  }

  @Test
  void readsTheNodeAgainAfterAReconnect() throws Exception {
    CuttableProxy proxy = roost.proxy();
    RoostClient c = roost.client(proxy, Duration.ofSeconds(4));
    List<ConnectionState> states = RoostFixture.states(c);
    writer.create("/m", utf8("before"));
    List<CacheEvent> events = new CopyOnWriteArrayList<>();
    NodeCache cache = started(c, "/m", events);
    proxy.cut();
    await().atMost(WAIT).until(() -> states.contains(ConnectionState.SUSPENDED));
    writer.delete("/m");
    writer.create("/m", utf8("after"));
    proxy.restore();
    await().atMost(WAIT).until(() -> "after".equals(text(cache.current().data())));
    // A new incarnation of the node: the old one went, the new one came.
    assertEquals(List.of(CacheEvent.Type.NODE_ADDED, CacheEvent.Type.INITIALIZED,
        CacheEvent.Type.NODE_REMOVED, CacheEvent.Type.NODE_ADDED),
        events.stream().map(CacheEvent::type).toList());
    assertEquals(writer.exists("/m"), cache.current().stat());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return b == null ? "" : new String(b, StandardCharsets.UTF_8);
  }
}

package io.roost.recipes.group;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.client.BlockingRoostClient;
import io.roost.client.ConnectionState;
import io.roost.client.RoostClient;
import io.roost.recipes.testkit.CuttableProxy;
import io.roost.recipes.testkit.RoostFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Group membership against a real server: joins, updates, leaves and a lost session. */
class GroupTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension final RoostFixture roost = RoostFixture.perTest();
  private final List<GroupEvent> events = new CopyOnWriteArrayList<>();
  private Group view;

  @BeforeEach
  void start() throws Exception {
    view = roost.closeLater(new Group(roost.client(), "/groups/workers"));
    view.addListener(events::add);
    view.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private GroupMember joined(RoostClient c, String id, String payload) throws Exception {
    GroupMember m = roost.closeLater(new GroupMember(c, "/groups/workers", id, utf8(payload)));
    m.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return m;
  }

  @Test
  void theViewFollowsJoinsPayloadUpdatesAndLeaves() throws Exception {
    RoostClient a = roost.client();
    RoostClient b = roost.client();
    joined(a, "m1", "p1");
    GroupMember m2 = joined(b, "m2", "p2");
    GroupMember m3 = joined(a, "m3", "p3");
    await().atMost(WAIT).until(() -> members().equals(Map.of("m1", "p1", "m2", "p2", "m3",
        "p3")));
    m2.setPayload(utf8("p2b")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    m3.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> members().equals(Map.of("m1", "p1", "m2", "p2b")));
    assertNull(a.blocking().exists("/groups/workers/m3"), "a closed member left its node");
    assertEquals(List.of("JOINED m2 p2", "UPDATED m2 p2b"), brief("m2"));
    assertEquals(List.of("JOINED m3 p3", "LEFT m3 p3"), brief("m3"));
  }

  @Test
  void aSecondMemberWithTheSameIdWaitsForTheFirstToLeave() throws Exception {
    GroupMember first = joined(roost.client(), "solo", "first");
    GroupMember second = roost.closeLater(new GroupMember(roost.client(), "/groups/workers",
        "solo", utf8("second")));
    CompletableFuture<Void> secondJoined = second.start().toCompletableFuture();
    await().atMost(WAIT).until(() -> members().equals(Map.of("solo", "first")));
    assertFalse(secondJoined.isDone(), "two members hold one id");
    first.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    secondJoined.get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> members().equals(Map.of("solo", "second")));
  }

  @Test
  void aMemberWhoseSessionIsLostDisappearsAndComesBack() throws Exception {
    CuttableProxy proxy = roost.proxy();
    RoostClient c = roost.client(proxy, Duration.ofSeconds(2));
    List<ConnectionState> states = RoostFixture.states(c);
    GroupMember m = joined(c, "flaky", "v1");
    await().atMost(WAIT).until(() -> members().equals(Map.of("flaky", "v1")));
    long oldSession = c.sessionId();

    proxy.cut();
    // The cut closes sockets asynchronously: set the payload only once the client knows.
    await().atMost(WAIT).until(() -> states.contains(ConnectionState.SUSPENDED));
    CompletableFuture<Void> updated = m.setPayload(utf8("v2")).toCompletableFuture();
    // The servers expire the session: the others see the member go.
    await().atMost(WAIT).until(() -> members().isEmpty());
    await().atMost(WAIT).until(() -> states.contains(ConnectionState.LOST));
    assertFalse(m.isJoined());
    proxy.restore();

    updated.get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> members().equals(Map.of("flaky", "v2")));
    assertTrue(m.isJoined());
    BlockingRoostClient check = roost.client().blocking();
    long owner = check.exists("/groups/workers/flaky").ephemeralOwner();
    assertEquals(c.sessionId(), owner);
    assertTrue(owner != oldSession, "the node is still the old session's");
    assertEquals(List.of("JOINED flaky v1", "LEFT flaky v1", "JOINED flaky v2"), brief("flaky"));
  }

  @Test
  void badIdsAndPathsAreRefused() throws Exception {
    RoostClient c = roost.client();
    for (String id : new String[] {"", "a/b", "..", "tab\there"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new GroupMember(c, "/g", id, new byte[0]));
      assertTrue(e.getMessage().contains("memberId"), e.getMessage());
    }
    for (String path : new String[] {"/", "g", "/g/"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Group(c, path));
      assertTrue(e.getMessage().contains("groupPath"), e.getMessage());
    }
  }

  private Map<String, String> members() {
    Map<String, String> out = new LinkedHashMap<>();
    view.members().forEach((id, p) -> out.put(id, text(p)));
    return out;
  }

  private List<String> brief(String id) {
    return events.stream().filter(e -> e.memberId().equals(id))
        .map(e -> e.type() + " " + e.memberId() + " " + text(e.payload())).toList();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}

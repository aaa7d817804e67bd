package io.roost.recipes.nodes;

import static io.roost.recipes.testkit.RoostFixture.get;
import static io.roost.recipes.testkit.RoostFixture.str;
import static io.roost.recipes.testkit.RoostFixture.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.client.ConnectionState;
import io.roost.client.CreateOptions;
import io.roost.client.RoostClient;
import io.roost.core.proto.CreateMode;
import io.roost.core.proto.Stat;
import io.roost.recipes.testkit.CuttableProxy;
import io.roost.recipes.testkit.RoostFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A persistent node comes back after a deletion and after its session is lost. */
class PersistentNodeTest {
  @RegisterExtension final RoostFixture fx = RoostFixture.perTest();

  @Test
  void comesBackWhenSomeoneElseDeletesItWithItsLatestData() throws Exception {
    RoostClient owner = fx.client();
    RoostClient other = fx.client();
    PersistentNode node = PersistentNode.ephemeral(owner, "/members/a", utf8("v1"));
    assertEquals("/members/a", get(node.start()));
    get(node.setData(utf8("v2")));
    for (int i = 0; i < 2; i++) {
      long before = get(other.exists("/members/a")).czxid();
      get(other.delete("/members/a"));
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        Stat s = get(other.exists("/members/a"));
        return s != null && s.czxid() != before;
      });
    }
    assertEquals("v2", str(get(other.getData("/members/a")).data()));
    assertEquals(owner.sessionId(), get(other.exists("/members/a")).ephemeralOwner());
    assertEquals(3.0, owner.meters().counter("roost.recipes.node.created", "path", "/members/a")
        .count());
  }

  @Test
  void comesBackInTheNewSessionAfterTheOldOneIsLost() throws Exception {
    RoostClient other = fx.client();
    CuttableProxy proxy = fx.proxy();
    RoostClient owner = fx.clientVia(proxy, Duration.ofMillis(1000));
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    owner.addConnectionStateListener((c, s) -> states.add(s));
    PersistentNode plain = PersistentNode.ephemeral(owner, "/svc/leader-info", utf8("me"));
    PersistentNode seq = new PersistentNode(owner, "/svc/workers/w-",
        CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL).withParents(true), utf8("w"));
    get(plain.start());
    String firstSeq = get(seq.start());
    long oldSession = owner.sessionId();

    proxy.cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> states.contains(ConnectionState.LOST));
    await().atMost(Duration.ofSeconds(10)).until(() -> get(other.exists("/svc/leader-info"))
        == null && get(other.getChildren("/svc/workers")).isEmpty());
    proxy.restore();
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      Stat s = get(other.exists("/svc/leader-info"));
      return s != null && s.ephemeralOwner() == owner.sessionId();
    });
    assertNotEquals(oldSession, owner.sessionId());
    await().atMost(Duration.ofSeconds(10)).until(() -> get(other.getChildren("/svc/workers"))
        .size() == 1);
    String nowSeq = seq.actualPath();
    assertNotEquals(firstSeq, nowSeq, "a sequential node keeps its name in a new session");
    assertEquals(owner.sessionId(), get(other.exists(nowSeq)).ephemeralOwner());
    assertEquals(List.of(nowSeq.substring("/svc/workers/".length())),
        get(other.getChildren("/svc/workers")), "old or duplicate sequential nodes");
  }

  @Test
  void closingDeletesTheNodeAndStopsKeepingIt() throws Exception {
    RoostClient owner = fx.client();
    RoostClient other = fx.client();
    PersistentNode node = new PersistentNode(owner, "/kept", CreateOptions.persistent(),
        utf8("x"));
    get(node.start());
    get(node.closeAsync());
    assertNull(get(other.exists("/kept")));
    await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
        .until(() -> get(other.exists("/kept")) == null);
    assertThrows(IllegalStateException.class, node::start);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PersistentNode(owner, "relative", CreateOptions.persistent(), null));
    assertTrue(e.getMessage().contains("relative"), e.getMessage());
  }
}

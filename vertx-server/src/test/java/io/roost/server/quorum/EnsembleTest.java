package io.roost.server.quorum;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.consensus.Role;
import io.roost.server.RoostServer;
import io.roost.server.config.PeerSpec;
import io.roost.server.config.ServerConfig;
import io.roost.server.it.TestServers;
import io.roost.server.it.ZkClients;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Roost servers in one JVM form an ensemble on loopback; the official ZooKeeper client
 * writes through any of them (followers forward to the leader) and reads its writes everywhere.
 */
class EnsembleTest {
  @TempDir Path dir;
  private RoostServer[] servers = new RoostServer[3];
  private final List<ZooKeeper> clients = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (ZooKeeper zk : clients) {
      zk.close(1_000);
    }
    for (RoostServer s : servers) {
      if (s != null) {
        s.close();
      }
    }
  }

  private void startEnsemble() throws IOException {
    startEnsemble(3, 0, false);
  }

  /** Servers 1..voters vote; the next {@code observers} observe. */
  private void startEnsemble(int voters, int observers, boolean linearizableReads)
      throws IOException {
    int n = voters + observers;
    servers = new RoostServer[n];
    List<PeerSpec> specs = new ArrayList<>();
    Set<Integer> taken = new HashSet<>();
    for (int i = 1; i <= n; i++) {
      specs.add(new PeerSpec(i, "127.0.0.1", TestServers.freePort(taken),
          TestServers.freePort(taken), i > voters));
    }
    for (int i = 1; i <= n; i++) {
      ServerConfig config = ServerConfig.builder()
          .clientPortAddress("127.0.0.1")
          .clientPort(0)
          .adminEnableServer(false)
          .dataDir(dir.resolve("s" + i))
          .fourLetterWords(ServerConfig.ALL_FOUR_LETTER_WORDS)
          .preAllocSizeKb(1024)
          .tickTime(200)
          .initLimit(10)
          .syncLimit(5)
          .servers(specs)
          .myId(i)
          .linearizableReads(linearizableReads)
          .build();
      servers[i - 1] = RoostServer.start(config);
    }
  }

  private ZooKeeper client(int server) throws Exception {
    ZooKeeper zk = ZkClients.connect(servers[server].connectString("127.0.0.1"));
    clients.add(zk);
    return zk;
  }

  private String modes() {
    StringBuilder b = new StringBuilder();
    for (RoostServer s : servers) {
      b.append(s.mode()).append(' ');
    }
    return b.toString().strip();
  }

  @Test
  void threeServersElectOneLeaderAndServeWritesThroughEveryServer() throws Exception {
    startEnsemble();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      String m = modes();
      return m.chars().filter(c -> c == ' ').count() == 2 && m.contains("leader")
          && m.indexOf("leader") == m.lastIndexOf("leader") && !m.contains("looking");
    });
    for (int i = 0; i < 3; i++) {
      ZooKeeper zk = client(i);
      String path = "/from-" + i;
      zk.create(path, path.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
      assertArrayEquals(path.getBytes(StandardCharsets.UTF_8), zk.getData(path, false, null),
          "server " + (i + 1) + " (" + servers[i].mode() + ") reads its client's write");
    }
    ZooKeeper reader = client(2);
    reader.sync("/", (rc, p, ctx) -> { }, null);
    await().atMost(Duration.ofSeconds(10)).until(() -> reader.exists("/from-0", false) != null
        && reader.exists("/from-1", false) != null);
    // Errors come back from the leader to a follower's client.
    ZooKeeper any = clients.get(1);
    KeeperException e = org.junit.jupiter.api.Assertions.assertThrows(
        KeeperException.NodeExistsException.class, () -> any.create("/from-0", new byte[0],
            ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    assertNotNull(e);
    Stat stat = any.setData("/from-0", new byte[] {7}, 0);
    assertEquals(1, stat.getVersion());
    // Ephemerals go when their session closes, wherever it was created.
    ZooKeeper eph = client(1);
    eph.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    eph.close();
    clients.remove(eph);
    await().atMost(Duration.ofSeconds(10)).until(() -> any.exists("/eph", false) == null);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      long d = servers[0].digest();
      return d == servers[1].digest() && d == servers[2].digest();
    });
    assertNull(any.exists("/eph", false));
    assertTrue(modes().contains("follower"), modes());
    assertEquals(Role.values().length, 4);
  }

  @Test
  void anObserverServesClientsButNeverVotesAndReadsAreLinearizable() throws Exception {
    startEnsemble(3, 1, true);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      List<String> m = List.of(modes().split(" "));
      return m.stream().filter("leader"::equals).count() == 1
          && m.stream().filter("follower"::equals).count() == 2 && "observer".equals(m.get(3));
    });
    ZooKeeper[] zk = new ZooKeeper[4];
    for (int i = 0; i < 4; i++) {
      zk[i] = client(i);
    }
    zk[3].create("/lin", new byte[] {0}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    // Write through one server, read at once through the next: with linearizable reads, no
    // server (follower or observer) may answer from before the acknowledged write.
    for (int i = 1; i <= 40; i++) {
      zk[i % 4].setData("/lin", new byte[] {(byte) i}, -1);
      Stat stat = new Stat();
      byte[] data = zk[(i + 1) % 4].getData("/lin", false, stat);
      assertArrayEquals(new byte[] {(byte) i}, data, "read " + i + " through server "
          + ((i + 1) % 4 + 1) + " (" + servers[(i + 1) % 4].mode() + ") was stale");
      assertEquals(i, stat.getVersion());
    }
    // The observer does not count towards a quorum: one voter and the observer cannot elect.
    int leader = List.of(modes().split(" ")).indexOf("leader");
    int survivor = leader == 0 ? 1 : 0;
    for (int i = 0; i < 3; i++) {
      if (i != survivor) {
        servers[i].close();
        servers[i] = null;
      }
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> !"leader".equals(servers[survivor].mode())
        && !"follower".equals(servers[survivor].mode()));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> !"leader".equals(servers[survivor].mode())
            && !"leader".equals(servers[3].mode()));
    // Without a quorum the survivors serve nobody, and say so as ZooKeeper does.
    assertEquals("This ZooKeeper instance is not currently serving requests\n",
        fourLetterWord(servers[survivor].clientPort(), "srvr"));
    assertTrue(fourLetterWord(servers[3].clientPort(), "stat")
        .contains("not currently serving"));
    // Their clients are cut off and fail over.
    KeeperException lost = org.junit.jupiter.api.Assertions.assertThrows(KeeperException.class,
        () -> zk[survivor].setData("/lin", new byte[] {99}, -1));
    assertEquals(KeeperException.Code.CONNECTIONLOSS, lost.code());
    lost = org.junit.jupiter.api.Assertions.assertThrows(KeeperException.class,
        () -> zk[3].getData("/lin", false, null));
    assertEquals(KeeperException.Code.CONNECTIONLOSS, lost.code());
  }

  /** Sends a four-letter word to a client port and returns the whole answer. */
  private static String fourLetterWord(int port, String word) throws IOException {
    try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aSessionOutlivesItsServerAndKeepsItsEphemeralsAndWatchesOnAnother() throws Exception {
    startEnsemble();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      List<String> m = List.of(modes().split(" "));
      return m.stream().filter("leader"::equals).count() == 1
          && m.stream().filter("follower"::equals).count() == 2;
    });
    List<String> m = List.of(modes().split(" "));
    int leader = m.indexOf("leader");
    List<Integer> followers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (i != leader) {
        followers.add(i);
      }
    }
    // The client may use either follower, never the leader, so expiry depends on the
    // followers' reports to the leader.
    String followersOnly = servers[followers.get(0)].connectString("127.0.0.1") + ","
        + servers[followers.get(1)].connectString("127.0.0.1");
    var events = ZkClients.events();
    ZooKeeper moved = ZkClients.connect(followersOnly, 3_000, events);
    clients.add(moved);
    long session = moved.getSessionId();
    ZooKeeper observerOfIt = client(leader);
    observerOfIt.create("/watched", new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
    moved.create("/owner", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    assertNotNull(moved.exists("/watched", true));
    // Alive well past its timeout: the follower tells the leader about it every tick.
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
        .until(() -> observerOfIt.exists("/owner", false) != null);
    String hex = "0x" + Long.toHexString(session);
    int home = -1;
    for (int f : followers) {
      if (fourLetterWord(servers[f].clientPort(), "cons").contains(hex)) {
        home = f;
      }
    }
    assertTrue(home >= 0, "no follower lists session " + hex);
    servers[home].close();
    servers[home] = null;
    int other = followers.get(0) == home ? followers.get(1) : followers.get(0);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        fourLetterWord(servers[other].clientPort(), "cons").contains(hex));
    assertEquals(session, moved.getSessionId(), "the session moved, it was not replaced");
    Stat owner = observerOfIt.exists("/owner", false);
    assertNotNull(owner, "the ephemeral survived the move");
    assertEquals(session, owner.getEphemeralOwner());
    // The watch set through the first server fires through the second.
    events.clear();
    observerOfIt.setData("/watched", new byte[] {2}, -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e ->
        e.getType() == org.apache.zookeeper.Watcher.Event.EventType.NodeDataChanged
            && "/watched".equals(e.getPath())));
    // Closing the session removes its ephemeral once, on both remaining servers.
    moved.close();
    clients.remove(moved);
    await().atMost(Duration.ofSeconds(10)).until(() -> observerOfIt.exists("/owner", false)
        == null);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        servers[leader].digest() == servers[other].digest());
  }
}

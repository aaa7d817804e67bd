package io.roost.server.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.server.RoostServer;
import io.roost.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.jute.Record;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.RequestHeader;
import org.apache.zookeeper.proto.SetACLRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives a real Roost server with the official ZooKeeper client through every op code, node type
 * and error code a client can meet. Most tests share one server and use their own top-level path;
 * the sweeper and TTL-switch tests start their own server.
 */
@SuppressWarnings("try") // ZooKeeper.close() throws InterruptedException; fine in try-with-resources here
class ZkOperationsTest {
  private static final List<ACL> OPEN = Ids.OPEN_ACL_UNSAFE;
  private static final byte[] NO_DATA = new byte[0];
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long CONTAINER_OWNER = 0x8000000000000000L;
  private static final long TTL_MARK = 0xff00000000000000L;

  @TempDir
  static Path dataDir;
  private static RoostServer server;
  private static String connectString;

  private ZooKeeper zk;
  private final List<ZooKeeper> others = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    server = TestServers.start(dataDir);
    connectString = server.connectString("127.0.0.1");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void connect() throws Exception {
    zk = ZkClients.connect(connectString);
  }

  @AfterEach
  void closeClients() throws Exception {
    for (ZooKeeper other : others) {
      other.close();
    }
    zk.close();
  }

  private ZooKeeper another() throws Exception {
    ZooKeeper z = ZkClients.connect(connectString);
    others.add(z);
    return z;
  }

  /**
   * An ACL list the client accepts: its own check calls {@code contains(null)}, which the
   * immutable {@code List.of} lists refuse.
   */
  private static List<ACL> aclOf(ACL... entries) {
    return new ArrayList<>(List.of(entries));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void mkdir(String path) throws Exception {
    zk.create(path, NO_DATA, OPEN, CreateMode.PERSISTENT);
  }

  private static RoostServer fastSweepingServer(Path dir, UnaryOperator<ServerConfig.Builder> more) {
    return TestServers.start(dir, b -> more.apply(b.tickTime(100).minSessionTimeout(200)
        .maxSessionTimeout(20000).containerCheckIntervalMs(100)));
  }

  // ---------------------------------------------------------------- create and node types

  @Test
  void plainCreateReturnsPathAndNewNodeStatIsExact() throws Exception {
    assertEquals("/plain", zk.create("/plain", bytes("abc"), OPEN, CreateMode.PERSISTENT));

    Stat created = new Stat();
    long before = System.currentTimeMillis();
    String path = zk.create("/stat", bytes("hello"), OPEN, CreateMode.PERSISTENT, created);
    long after = System.currentTimeMillis();

    assertEquals("/stat", path);
    assertTrue(created.getCzxid() > 0, "czxid must be a real zxid");
    assertEquals(created.getCzxid(), created.getMzxid(), "mzxid of a new node");
    assertEquals(created.getCzxid(), created.getPzxid(), "pzxid of a new node");
    assertEquals(0, created.getVersion());
    assertEquals(0, created.getCversion());
    assertEquals(0, created.getAversion());
    assertEquals(0L, created.getEphemeralOwner());
    assertEquals(5, created.getDataLength());
    assertEquals(0, created.getNumChildren());
    assertEquals(created.getCtime(), created.getMtime());
    assertTrue(created.getCtime() >= before - 1000 && created.getCtime() <= after + 1000,
        "ctime " + created.getCtime() + " is not the creation time");

    assertEquals(created, zk.exists("/stat", false), "exists returns the create2 stat");
    Stat read = new Stat();
    assertArrayEquals(bytes("hello"), zk.getData("/stat", false, read));
    assertEquals(created, read);
    // The plain create (op 1) came before, so it has a smaller zxid.
    assertTrue(zk.exists("/plain", false).getCzxid() < created.getCzxid());
  }

  @Test
  void parentCversionNumChildrenAndPzxidFollowCreatesAndDeletes() throws Exception {
    Stat parentCreated = new Stat();
    zk.create("/cv", NO_DATA, OPEN, CreateMode.PERSISTENT, parentCreated);
    Stat a = new Stat();
    Stat b = new Stat();
    zk.create("/cv/a", NO_DATA, OPEN, CreateMode.PERSISTENT, a);
    zk.create("/cv/b", NO_DATA, OPEN, CreateMode.PERSISTENT, b);

    Stat parent = zk.exists("/cv", false);
    assertEquals(2, parent.getCversion());
    assertEquals(2, parent.getNumChildren());
    assertEquals(b.getCzxid(), parent.getPzxid(), "pzxid is the last child change");
    assertEquals(parentCreated.getMzxid(), parent.getMzxid(), "children do not change mzxid");
    assertEquals(0, parent.getVersion(), "children do not change the data version");

    zk.delete("/cv/a", -1);
    Stat afterDelete = new Stat();
    List<String> children = zk.getChildren("/cv", false, afterDelete); // getChildren2
    assertEquals(List.of("b"), children);
    assertEquals(3, afterDelete.getCversion());
    assertEquals(1, afterDelete.getNumChildren());
    assertTrue(afterDelete.getPzxid() > b.getCzxid(), "delete moves pzxid");
    assertEquals(afterDelete, zk.exists("/cv", false));
  }

  @Test
  void sequentialNamesUseParentCversion() throws Exception {
    mkdir("/seq");
    assertEquals("/seq/n-0000000000",
        zk.create("/seq/n-", NO_DATA, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
    assertEquals("/seq/n-0000000001",
        zk.create("/seq/n-", NO_DATA, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL));
    // A plain create and a delete each bump the parent's cversion.
    mkdir("/seq/x");
    zk.delete("/seq/x", -1);
    Stat stat = new Stat();
    assertEquals("/seq/n-0000000004",
        zk.create("/seq/n-", NO_DATA, OPEN, CreateMode.PERSISTENT_SEQUENTIAL, stat));
    assertEquals(0L, stat.getEphemeralOwner());
    // A path ending in '/' is fine for sequential nodes: the name is the suffix alone.
    assertEquals("/seq/0000000005",
        zk.create("/seq/", NO_DATA, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
    assertEquals(Set.of("n-0000000000", "n-0000000001", "n-0000000004", "0000000005"),
        new HashSet<>(zk.getChildren("/seq", false)));
  }

  @Test
  void ephemeralsAreOwnedByTheSession() throws Exception {
    mkdir("/eo");
    Stat eph = new Stat();
    zk.create("/eo/e", bytes("x"), OPEN, CreateMode.EPHEMERAL, eph);
    assertEquals(zk.getSessionId(), eph.getEphemeralOwner());
    Stat seq = new Stat();
    String name = zk.create("/eo/s-", NO_DATA, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL, seq);
    assertEquals("/eo/s-0000000001", name);
    assertEquals(zk.getSessionId(), seq.getEphemeralOwner());
    assertEquals(zk.getSessionId(), zk.exists(name, false).getEphemeralOwner());
    assertEquals(0L, zk.exists("/eo", false).getEphemeralOwner());
  }

  @Test
  void containerNodesCarryTheContainerOwner() throws Exception {
    Stat stat = new Stat();
    assertEquals("/cont", zk.create("/cont", bytes("c"), OPEN, CreateMode.CONTAINER, stat));
    assertEquals(CONTAINER_OWNER, stat.getEphemeralOwner());
    assertEquals(CONTAINER_OWNER, zk.exists("/cont", false).getEphemeralOwner());
    // The four-argument create sends createContainer too.
    assertEquals("/cont2", zk.create("/cont2", NO_DATA, OPEN, CreateMode.CONTAINER));
    assertEquals(CONTAINER_OWNER, zk.exists("/cont2", false).getEphemeralOwner());
    // A container may have children of any kind.
    zk.create("/cont/child", NO_DATA, OPEN, CreateMode.EPHEMERAL);
    assertEquals(1, zk.exists("/cont", false).getNumChildren());
  }

  @Test
  void ttlNodesAreCreatedWithCreateTtl() throws Exception {
    Stat stat = new Stat();
    String path = zk.create("/ttl", bytes("t"), OPEN, CreateMode.PERSISTENT_WITH_TTL, stat, 60_000);
    assertEquals("/ttl", path);
    assertEquals(TTL_MARK | 60_000L, stat.getEphemeralOwner());
    assertEquals(stat.getCzxid(), stat.getMzxid());
    assertEquals(1, stat.getDataLength());
    assertEquals(stat, zk.exists("/ttl", false));

    mkdir("/ttlseq");
    Stat seqStat = new Stat();
    String seq = zk.create("/ttlseq/s-", NO_DATA, OPEN, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
        seqStat, 90_000);
    assertEquals("/ttlseq/s-0000000000", seq);
    assertEquals(TTL_MARK | 90_000L, seqStat.getEphemeralOwner());
    // A TTL node may have children.
    zk.create("/ttl/child", NO_DATA, OPEN, CreateMode.PERSISTENT);
    assertEquals(1, zk.exists("/ttl", false).getNumChildren());
  }

  @Test
  void asyncCreate2ReportsStat() throws Exception {
    CompletableFuture<Object[]> done = new CompletableFuture<>();
    zk.create("/async", bytes("a"), OPEN, CreateMode.PERSISTENT,
        (rc, path, ctx, name, stat) -> done.complete(new Object[] {rc, name, stat, ctx}), "ctx");
    Object[] r = done.get(10, TimeUnit.SECONDS);
    assertEquals(0, r[0]);
    assertEquals("/async", r[1]);
    assertEquals("ctx", r[3]);
    Stat stat = (Stat) r[2];
    assertEquals(zk.exists("/async", false), stat);
  }

  // ---------------------------------------------------------------- reads and writes

  @Test
  void setDataIsCompareAndSet() throws Exception {
    Stat created = new Stat();
    zk.create("/cas", bytes("v0"), OPEN, CreateMode.PERSISTENT, created);
    // Let the clock move so a later mtime is observable.
    await().atMost(WAIT).until(() -> System.currentTimeMillis() > created.getCtime() + 2);

    Stat s1 = zk.setData("/cas", bytes("version-one"), 0);
    assertEquals(1, s1.getVersion());
    assertEquals(11, s1.getDataLength());
    assertTrue(s1.getMzxid() > created.getMzxid());
    assertEquals(created.getCzxid(), s1.getCzxid());
    assertEquals(created.getPzxid(), s1.getPzxid(), "setData does not move pzxid");
    assertEquals(created.getCtime(), s1.getCtime());
    assertTrue(s1.getMtime() > created.getMtime(), "mtime must change on setData");

    KeeperException.BadVersionException bad = assertThrows(KeeperException.BadVersionException.class,
        () -> zk.setData("/cas", bytes("stale"), 0));
    assertEquals("/cas", bad.getPath());
    Stat read = new Stat();
    assertArrayEquals(bytes("version-one"), zk.getData("/cas", false, read));
    assertEquals(s1, read, "a failed CAS changes nothing");

    Stat s2 = zk.setData("/cas", bytes("any"), -1);
    assertEquals(2, s2.getVersion());
    assertArrayEquals(bytes("any"), zk.getData("/cas", false, null));
  }

  @Test
  void nullDataReadsBackAsNull() throws Exception {
    // ZooKeeper keeps null data as null (zkCli's "get" prints "null"); empty data stays empty.
    Stat stat = new Stat();
    zk.create("/nulldata", null, OPEN, CreateMode.PERSISTENT, stat);
    assertEquals(0, stat.getDataLength());
    assertNull(zk.getData("/nulldata", false, null));
    zk.setData("/nulldata", bytes("x"), -1);
    assertArrayEquals(bytes("x"), zk.getData("/nulldata", false, null));
    assertEquals(0, zk.setData("/nulldata", null, -1).getDataLength());
    assertNull(zk.getData("/nulldata", false, null));

    zk.create("/emptydata", new byte[0], OPEN, CreateMode.PERSISTENT);
    assertArrayEquals(new byte[0], zk.getData("/emptydata", false, null));
  }

  @Test
  void deleteWithAnyOrExactVersion() throws Exception {
    mkdir("/del");
    mkdir("/del/any");
    zk.create("/del/exact", NO_DATA, OPEN, CreateMode.PERSISTENT);
    zk.setData("/del/exact", bytes("x"), -1);
    zk.setData("/del/exact", bytes("y"), -1);

    zk.delete("/del/any", -1);
    assertNull(zk.exists("/del/any", false));

    assertThrows(KeeperException.BadVersionException.class, () -> zk.delete("/del/exact", 1));
    assertNotNull(zk.exists("/del/exact", false), "a delete with the wrong version must not delete");
    zk.delete("/del/exact", 2);
    assertNull(zk.exists("/del/exact", false));
    assertEquals(List.of(), zk.getChildren("/del", false));
  }

  @Test
  void existsGetDataAndGetChildren() throws Exception {
    assertNull(zk.exists("/rd", false));
    mkdir("/rd");
    zk.create("/rd/one", bytes("1"), OPEN, CreateMode.PERSISTENT);
    zk.create("/rd/two", bytes("22"), OPEN, CreateMode.PERSISTENT);
    zk.create("/rd/three", new byte[300], OPEN, CreateMode.PERSISTENT);

    Stat exists = zk.exists("/rd/two", false);
    assertNotNull(exists);
    assertEquals(2, exists.getDataLength());
    assertArrayEquals(bytes("22"), zk.getData("/rd/two", false, null));
    assertArrayEquals(new byte[300], zk.getData("/rd/three", false, null));

    assertEquals(Set.of("one", "two", "three"), new HashSet<>(zk.getChildren("/rd", false)));
    Stat parent = new Stat();
    assertEquals(Set.of("one", "two", "three"), new HashSet<>(zk.getChildren("/rd", false, parent)));
    assertEquals(3, parent.getNumChildren());
    assertEquals(List.of(), zk.getChildren("/rd/one", false));
    assertTrue(zk.getChildren("/", false).containsAll(List.of("rd", "zookeeper")));
  }

  @Test
  void getAclAndSetAclWithVersions() throws Exception {
    zk.create("/acl", NO_DATA, OPEN, CreateMode.PERSISTENT);
    Stat stat = new Stat();
    assertEquals(OPEN, zk.getACL("/acl", stat));
    assertEquals(0, stat.getAversion());

    List<ACL> readAll = aclOf(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.ADMIN,
        Ids.ANYONE_ID_UNSAFE));
    Stat set = zk.setACL("/acl", readAll, 0);
    assertEquals(1, set.getAversion());
    assertEquals(0, set.getVersion(), "setACL does not change the data version");

    assertThrows(KeeperException.BadVersionException.class, () -> zk.setACL("/acl", OPEN, 0));
    Stat after = new Stat();
    assertEquals(readAll, zk.getACL("/acl", after));
    assertEquals(1, after.getAversion());
    assertEquals(set, after);

    zk.setACL("/acl", OPEN, -1);
    assertEquals(2, zk.exists("/acl", false).getAversion());
    assertEquals(OPEN, zk.getACL("/acl", null));
  }

  @Test
  void syncCompletesOk() throws Exception {
    mkdir("/sync");
    CompletableFuture<Object[]> done = new CompletableFuture<>();
    zk.sync("/sync", (rc, path, ctx) -> done.complete(new Object[] {rc, path, ctx}), "c");
    Object[] r = done.get(10, TimeUnit.SECONDS);
    assertEquals(KeeperException.Code.OK.intValue(), r[0]);
    assertEquals("/sync", r[1]);
    assertEquals("c", r[2]);
    zk.sync("/sync"); // the blocking form throws on a non-zero code
  }

  // ---------------------------------------------------------------- multi and multiRead

  @Test
  void multiIsAllOrNothingWithPerOpResults() throws Exception {
    zk.create("/mu", bytes("orig"), OPEN, CreateMode.PERSISTENT);
    KeeperException e = assertThrows(KeeperException.NoNodeException.class, () -> zk.multi(List.of(
        Op.create("/mu/a", NO_DATA, OPEN, CreateMode.PERSISTENT),
        Op.setData("/mu", bytes("changed"), -1),
        Op.delete("/mu/missing", -1),
        Op.create("/mu/b", NO_DATA, OPEN, CreateMode.PERSISTENT))));
    List<OpResult> results = e.getResults();
    assertNotNull(results);
    assertEquals(List.of(0, 0, KeeperException.Code.NONODE.intValue(),
        KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()), errors(results));

    assertNull(zk.exists("/mu/a", false), "an earlier create must be rolled back");
    assertNull(zk.exists("/mu/b", false));
    Stat stat = new Stat();
    assertArrayEquals(bytes("orig"), zk.getData("/mu", false, stat));
    assertEquals(0, stat.getVersion());
    assertEquals(0, stat.getCversion());
  }

  @Test
  void checkInsideMulti() throws Exception {
    zk.create("/chk", NO_DATA, OPEN, CreateMode.PERSISTENT);
    KeeperException e = assertThrows(KeeperException.BadVersionException.class, () -> zk.multi(
        List.of(Op.create("/chk/c", NO_DATA, OPEN, CreateMode.PERSISTENT), Op.check("/chk", 5))));
    assertEquals(List.of(0, KeeperException.Code.BADVERSION.intValue()), errors(e.getResults()));
    assertNull(zk.exists("/chk/c", false));

    KeeperException missing = assertThrows(KeeperException.NoNodeException.class,
        () -> zk.multi(List.of(Op.check("/chk/nope", -1), Op.setData("/chk", bytes("x"), -1))));
    assertEquals(List.of(KeeperException.Code.NONODE.intValue(),
        KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()), errors(missing.getResults()));

    List<OpResult> ok = zk.multi(List.of(Op.check("/chk", 0), Op.setData("/chk", bytes("x"), 0)));
    assertInstanceOf(OpResult.CheckResult.class, ok.get(0));
    OpResult.SetDataResult set = assertInstanceOf(OpResult.SetDataResult.class, ok.get(1));
    assertEquals(1, set.getStat().getVersion());
    assertEquals(OpResult.CheckResult.class, zk.multi(List.of(Op.check("/chk", 1))).get(0).getClass());
  }

  @Test
  void multiCreatesParentAndChildInOneZxid() throws Exception {
    List<OpResult> results = zk.multi(List.of(
        Op.create("/mp", bytes("p"), OPEN, CreateMode.PERSISTENT),
        Op.create("/mp/child", bytes("c"), OPEN, CreateMode.PERSISTENT),
        Op.create("/mp/seq-", NO_DATA, OPEN, CreateMode.PERSISTENT_SEQUENTIAL),
        Op.setData("/mp", bytes("p2"), 0)));
    assertEquals("/mp", ((OpResult.CreateResult) results.get(0)).getPath());
    assertEquals("/mp/child", ((OpResult.CreateResult) results.get(1)).getPath());
    assertEquals("/mp/seq-0000000001", ((OpResult.CreateResult) results.get(2)).getPath());
    Stat setStat = ((OpResult.SetDataResult) results.get(3)).getStat();
    assertEquals(1, setStat.getVersion());

    Stat parent = zk.exists("/mp", false);
    Stat child = zk.exists("/mp/child", false);
    Stat seq = zk.exists("/mp/seq-0000000001", false);
    assertEquals(parent.getCzxid(), child.getCzxid(), "all ops of a multi share one zxid");
    assertEquals(parent.getCzxid(), seq.getCzxid());
    assertEquals(parent.getCzxid(), parent.getMzxid());
    assertEquals(parent.getCzxid(), parent.getPzxid());
    assertEquals(setStat, parent);
    assertEquals(2, parent.getNumChildren());
    assertEquals(2, parent.getCversion());
    assertArrayEquals(bytes("p2"), zk.getData("/mp", false, null));

    // Deletes in a multi: children first, then the parent, all at once.
    List<OpResult> deleted = zk.multi(List.of(Op.delete("/mp/child", -1),
        Op.delete("/mp/seq-0000000001", -1), Op.delete("/mp", 1)));
    deleted.forEach(r -> assertInstanceOf(OpResult.DeleteResult.class, r));
    assertNull(zk.exists("/mp", false));
  }

  @Test
  void multiCreate2ResultsCarryStat() throws Exception {
    // Op.create with a container mode is sent as createContainer, whose result has a stat.
    List<OpResult> results = zk.multi(List.of(
        Op.create("/mc", NO_DATA, OPEN, CreateMode.CONTAINER),
        Op.create("/mc/ttl", NO_DATA, OPEN, CreateMode.PERSISTENT_WITH_TTL, 50_000)));
    OpResult.CreateResult container = (OpResult.CreateResult) results.get(0);
    OpResult.CreateResult ttl = (OpResult.CreateResult) results.get(1);
    assertEquals("/mc", container.getPath());
    assertNotNull(container.getStat());
    assertEquals(CONTAINER_OWNER, container.getStat().getEphemeralOwner());
    assertEquals("/mc/ttl", ttl.getPath());
    assertNotNull(ttl.getStat());
    assertEquals(TTL_MARK | 50_000L, ttl.getStat().getEphemeralOwner());
    assertEquals(container.getStat().getCzxid(), ttl.getStat().getCzxid());
  }

  @Test
  void multiReadOpsSucceedOrFailOnTheirOwn() throws Exception {
    zk.create("/mr", bytes("data"), OPEN, CreateMode.PERSISTENT);
    mkdir("/mr/k1");
    mkdir("/mr/k2");
    List<OpResult> results = zk.multi(List.of(
        Op.getData("/mr"),
        Op.getData("/mr/missing"),
        Op.getChildren("/mr"),
        Op.getChildren("/nowhere")));
    assertEquals(4, results.size());
    OpResult.GetDataResult data = assertInstanceOf(OpResult.GetDataResult.class, results.get(0));
    assertArrayEquals(bytes("data"), data.getData());
    assertEquals(zk.exists("/mr", false), data.getStat());
    assertEquals(KeeperException.Code.NONODE.intValue(),
        assertInstanceOf(OpResult.ErrorResult.class, results.get(1)).getErr());
    OpResult.GetChildrenResult children =
        assertInstanceOf(OpResult.GetChildrenResult.class, results.get(2));
    assertEquals(Set.of("k1", "k2"), new HashSet<>(children.getChildren()));
    assertEquals(KeeperException.Code.NONODE.intValue(),
        assertInstanceOf(OpResult.ErrorResult.class, results.get(3)).getErr());
  }

  private static List<Integer> errors(List<OpResult> results) {
    List<Integer> out = new ArrayList<>();
    for (OpResult r : results) {
      out.add(assertInstanceOf(OpResult.ErrorResult.class, r, "every result of a failed multi is an error")
          .getErr());
    }
    return out;
  }

  // ---------------------------------------------------------------- session-level reads

  @Test
  void getEphemeralsListsOnlyThisSessionsEphemerals() throws Exception {
    mkdir("/ge");
    mkdir("/ge/a");
    mkdir("/gx");
    zk.create("/ge/a/e1", NO_DATA, OPEN, CreateMode.EPHEMERAL);
    zk.create("/ge/e2", NO_DATA, OPEN, CreateMode.EPHEMERAL);
    zk.create("/gx/e3", NO_DATA, OPEN, CreateMode.EPHEMERAL);
    zk.create("/ge/persistent", NO_DATA, OPEN, CreateMode.PERSISTENT);
    ZooKeeper other = another();
    other.create("/ge/theirs", NO_DATA, OPEN, CreateMode.EPHEMERAL);

    assertEquals(Set.of("/ge/a/e1", "/ge/e2", "/gx/e3"), new HashSet<>(zk.getEphemerals()));
    assertEquals(Set.of("/ge/a/e1", "/ge/e2"), new HashSet<>(zk.getEphemerals("/ge")));
    assertEquals(List.of("/ge/a/e1"), zk.getEphemerals("/ge/a"));
    assertEquals(List.of(), zk.getEphemerals("/nothing-here"));
    assertEquals(List.of("/ge/theirs"), other.getEphemerals());
  }

  @Test
  void getAllChildrenNumberCountsAllDescendants() throws Exception {
    mkdir("/gac");
    mkdir("/gac/a");
    mkdir("/gac/a/b");
    mkdir("/gac/a/b/c");
    mkdir("/gac/d");
    assertEquals(4, zk.getAllChildrenNumber("/gac"));
    assertEquals(2, zk.getAllChildrenNumber("/gac/a"));
    assertEquals(0, zk.getAllChildrenNumber("/gac/d"));
    assertThrows(KeeperException.NoNodeException.class, () -> zk.getAllChildrenNumber("/gac/none"));
  }

  @Test
  void whoAmIListsIpAndDigestIdentities() throws Exception {
    List<ClientInfo> before = zk.whoAmI();
    assertEquals(List.of(new ClientInfo("ip", "127.0.0.1")), before);

    zk.addAuthInfo("digest", bytes("u:p"));
    List<ClientInfo> after = zk.whoAmI();
    assertEquals(Set.of(new ClientInfo("ip", "127.0.0.1"), new ClientInfo("digest", "u")),
        new HashSet<>(after));
    assertEquals(2, after.size());
  }

  // ---------------------------------------------------------------- error codes

  @Test
  void noNodeErrors() throws Exception {
    KeeperException.NoNodeException get = assertThrows(KeeperException.NoNodeException.class,
        () -> zk.getData("/nn-missing", false, null));
    assertEquals("/nn-missing", get.getPath());
    assertThrows(KeeperException.NoNodeException.class,
        () -> zk.setData("/nn-missing", NO_DATA, -1));
    assertThrows(KeeperException.NoNodeException.class, () -> zk.delete("/nn-missing", -1));
    assertThrows(KeeperException.NoNodeException.class,
        () -> zk.getChildren("/nn-missing", false));
    assertThrows(KeeperException.NoNodeException.class, () -> zk.getACL("/nn-missing", null));
    assertThrows(KeeperException.NoNodeException.class,
        () -> zk.setACL("/nn-missing", OPEN, -1));
    assertThrows(KeeperException.NoNodeException.class,
        () -> zk.create("/nn-missing/child", NO_DATA, OPEN, CreateMode.PERSISTENT));
    assertThrows(KeeperException.NoNodeException.class,
        () -> zk.create("/nn-missing/seq-", NO_DATA, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL));
    assertNull(zk.exists("/nn-missing", false));
  }

  @Test
  void nodeExistsError() throws Exception {
    zk.create("/ne", bytes("first"), OPEN, CreateMode.PERSISTENT);
    KeeperException.NodeExistsException e = assertThrows(KeeperException.NodeExistsException.class,
        () -> zk.create("/ne", bytes("second"), OPEN, CreateMode.PERSISTENT));
    assertEquals("/ne", e.getPath());
    assertThrows(KeeperException.NodeExistsException.class,
        () -> zk.create("/ne", NO_DATA, OPEN, CreateMode.EPHEMERAL, new Stat()));
    assertArrayEquals(bytes("first"), zk.getData("/ne", false, null));
  }

  @Test
  void notEmptyError() throws Exception {
    mkdir("/nemp");
    mkdir("/nemp/kid");
    assertThrows(KeeperException.NotEmptyException.class, () -> zk.delete("/nemp", -1));
    assertNotNull(zk.exists("/nemp/kid", false));
    zk.delete("/nemp/kid", -1);
    zk.delete("/nemp", -1);
    assertNull(zk.exists("/nemp", false));
  }

  @Test
  void noChildrenForEphemeralsError() throws Exception {
    zk.create("/eph-parent", NO_DATA, OPEN, CreateMode.EPHEMERAL);
    assertThrows(KeeperException.NoChildrenForEphemeralsException.class,
        () -> zk.create("/eph-parent/child", NO_DATA, OPEN, CreateMode.PERSISTENT));
    assertThrows(KeeperException.NoChildrenForEphemeralsException.class,
        () -> zk.create("/eph-parent/seq-", NO_DATA, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL));
    assertEquals(0, zk.exists("/eph-parent", false).getNumChildren());
  }

  @Test
  void invalidAclErrors() throws Exception {
    // The client itself refuses an empty ACL in create...
    assertThrows(KeeperException.InvalidACLException.class,
        () -> zk.create("/ia-empty", NO_DATA, List.of(), CreateMode.PERSISTENT));
    // ...but not inside a multi, so this one is the server's answer.
    KeeperException multi = assertThrows(KeeperException.InvalidACLException.class,
        () -> zk.multi(List.of(Op.create("/ia-empty", NO_DATA, List.of(), CreateMode.PERSISTENT))));
    assertEquals(List.of(KeeperException.Code.INVALIDACL.intValue()), errors(multi.getResults()));
    assertNull(zk.exists("/ia-empty", false));

    List<ACL> badDigest = aclOf(new ACL(ZooDefs.Perms.ALL, new Id("digest", "no-colon-here")));
    assertThrows(KeeperException.InvalidACLException.class,
        () -> zk.create("/ia-digest", NO_DATA, badDigest, CreateMode.PERSISTENT));
    assertNull(zk.exists("/ia-digest", false));

    // "auth" stands for the creator's ids; a client with none cannot use it.
    assertThrows(KeeperException.InvalidACLException.class,
        () -> zk.create("/ia-auth", NO_DATA, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT));
    assertNull(zk.exists("/ia-auth", false));

    List<ACL> unknownScheme = aclOf(new ACL(ZooDefs.Perms.ALL, new Id("nosuch", "x")));
    assertThrows(KeeperException.InvalidACLException.class,
        () -> zk.create("/ia-scheme", NO_DATA, unknownScheme, CreateMode.PERSISTENT));

    mkdir("/ia-set");
    assertThrows(KeeperException.InvalidACLException.class,
        () -> zk.setACL("/ia-set", badDigest, -1));
    assertThrows(KeeperException.InvalidACLException.class,
        () -> zk.setACL("/ia-set", Ids.CREATOR_ALL_ACL, -1));
    assertEquals(OPEN, zk.getACL("/ia-set", null));
    assertEquals(0, zk.exists("/ia-set", false).getAversion());
  }

  @Test
  void invalidAclFromServerForRawEmptyAcl() throws Exception {
    try (RawZk raw = RawZk.connect(connectString)) {
      int err = raw.submit(ZooDefs.OpCode.create,
          new CreateRequest("/raw-empty-acl", NO_DATA, List.of(), 0), new CreateResponse());
      assertEquals(KeeperException.Code.INVALIDACL.intValue(), err);
      raw.create("/raw-acl", NO_DATA, OPEN, CreateMode.PERSISTENT);
      assertEquals(KeeperException.Code.INVALIDACL.intValue(),
          raw.submit(ZooDefs.OpCode.setACL, new SetACLRequest("/raw-acl", List.of(), -1), null));
    }
    assertNull(zk.exists("/raw-empty-acl", false));
    assertEquals(OPEN, zk.getACL("/raw-acl", null));
  }

  @Test
  void badArgumentsErrors() throws Exception {
    KeeperException.BadArgumentsException e = assertThrows(
        KeeperException.BadArgumentsException.class, () -> zk.delete("/zookeeper", -1));
    assertNotNull(e);
    assertNotNull(zk.exists("/zookeeper", false));

    try (RawZk raw = RawZk.connect(connectString)) {
      // TTL of 0: the client's own check is bypassed, so this is the server's answer.
      assertEquals(KeeperException.Code.BADARGUMENTS.intValue(), raw.submit(ZooDefs.OpCode.createTTL,
          new CreateTTLRequest("/ba-ttl0", NO_DATA, OPEN, CreateMode.PERSISTENT_WITH_TTL.toFlag(), 0),
          new CreateResponse()));
      // createTTL with a mode that is not a TTL mode.
      assertEquals(KeeperException.Code.BADARGUMENTS.intValue(), raw.submit(ZooDefs.OpCode.createTTL,
          new CreateTTLRequest("/ba-mode", NO_DATA, OPEN, CreateMode.PERSISTENT.toFlag(), 1000),
          new CreateResponse()));
      // Invalid paths the client would have refused.
      assertEquals(KeeperException.Code.BADARGUMENTS.intValue(), raw.submit(ZooDefs.OpCode.create,
          new CreateRequest("no-slash", NO_DATA, OPEN, 0), new CreateResponse()));
      assertEquals(KeeperException.Code.BADARGUMENTS.intValue(), raw.submit(ZooDefs.OpCode.create,
          new CreateRequest("/ba//double", NO_DATA, OPEN, 0), new CreateResponse()));
      assertEquals(KeeperException.Code.BADARGUMENTS.intValue(), raw.submit(ZooDefs.OpCode.create,
          new CreateRequest("/ba-trailing/", NO_DATA, OPEN, 0), new CreateResponse()));
      // Unknown create flags.
      assertEquals(KeeperException.Code.BADARGUMENTS.intValue(), raw.submit(ZooDefs.OpCode.create,
          new CreateRequest("/ba-flags", NO_DATA, OPEN, 99), new CreateResponse()));
    }
    for (String p : List.of("/ba-ttl0", "/ba-mode", "/ba-trailing", "/ba-flags")) {
      assertNull(zk.exists(p, false), p);
    }
  }

  @Test
  void unknownOpCodeIsUnimplemented() throws Exception {
    try (RawZk raw = RawZk.connect(connectString)) {
      assertEquals(KeeperException.Code.UNIMPLEMENTED.intValue(), raw.submit(999, null, null));
      // The connection is still usable afterwards.
      assertNotNull(raw.exists("/", false));
    }
  }

  @Test
  void systemNodesBehaveAsInZooKeeper() throws Exception {
    assertNotNull(zk.exists("/zookeeper", false));
    assertEquals(Set.of("quota", "config"), new HashSet<>(zk.getChildren("/zookeeper", false)));
    assertNotNull(zk.exists("/zookeeper/quota", false));
    assertNotNull(zk.exists("/zookeeper/config", false));

    assertThrows(KeeperException.NodeExistsException.class,
        () -> zk.create("/zookeeper", NO_DATA, OPEN, CreateMode.PERSISTENT));
    // ZooKeeper lets clients create below /zookeeper (quota nodes live there).
    zk.create("/zookeeper/mine", NO_DATA, OPEN, CreateMode.PERSISTENT);
    zk.delete("/zookeeper/mine", -1);
    Stat config = zk.exists("/zookeeper/config", false);
    assertThrows(KeeperException.NoAuthException.class,
        () -> zk.setData("/zookeeper/config", bytes("x"), -1));
    assertEquals(config, zk.exists("/zookeeper/config", false));
    for (String system : List.of("/zookeeper/quota", "/zookeeper/config", "/zookeeper")) {
      assertThrows(KeeperException.BadArgumentsException.class, () -> zk.delete(system, -1));
      assertNotNull(zk.exists(system, false));
    }
    assertEquals(Set.of("quota", "config"), new HashSet<>(zk.getChildren("/zookeeper", false)));
  }

  // ---------------------------------------------------------------- sessions

  @Test
  void ephemeralsGoWhenTheirSessionCloses() throws Exception {
    mkdir("/sess");
    ZooKeeper owner = ZkClients.connect(connectString);
    others.add(owner);
    owner.create("/sess/e", bytes("x"), OPEN, CreateMode.EPHEMERAL);
    owner.create("/sess/s-", NO_DATA, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL);

    BlockingQueue<WatchedEvent> events = ZkClients.events();
    ZooKeeper watcher = ZkClients.connect(connectString, 15_000, events);
    others.add(watcher);
    assertNotNull(watcher.exists("/sess/e", true));
    assertEquals(2, watcher.getChildren("/sess", true).size());

    owner.close();

    await().atMost(WAIT).until(() -> events.stream().anyMatch(e ->
        e.getType() == Watcher.Event.EventType.NodeDeleted && "/sess/e".equals(e.getPath())));
    await().atMost(WAIT).until(() -> events.stream().anyMatch(e ->
        e.getType() == Watcher.Event.EventType.NodeChildrenChanged && "/sess".equals(e.getPath())));
    assertNull(watcher.exists("/sess/e", false));
    assertEquals(List.of(), watcher.getChildren("/sess", false));
    Stat parent = watcher.exists("/sess", false);
    assertEquals(4, parent.getCversion());
    assertEquals(0, parent.getNumChildren());
  }

  // ---------------------------------------------------------------- servers of their own

  @Test
  void containersAreSweptOnlyAfterTheyHadAChild(@TempDir Path dir) throws Exception {
    try (RoostServer fast = fastSweepingServer(dir, b -> b);
        ZooKeeper z = ZkClients.connect(fast.connectString("127.0.0.1"))) {
      z.create("/never", NO_DATA, OPEN, CreateMode.CONTAINER);
      z.create("/busy", NO_DATA, OPEN, CreateMode.CONTAINER);
      z.create("/busy/kid", NO_DATA, OPEN, CreateMode.PERSISTENT);
      z.create("/had", NO_DATA, OPEN, CreateMode.CONTAINER);
      z.create("/had/kid", NO_DATA, OPEN, CreateMode.PERSISTENT);

      z.delete("/had/kid", -1);
      await().atMost(WAIT).until(() -> z.exists("/had", false) == null);

      // A second qualifying container, emptied later, proves at least one more sweep ran.
      z.create("/had2", NO_DATA, OPEN, CreateMode.CONTAINER);
      z.create("/had2/kid", NO_DATA, OPEN, CreateMode.EPHEMERAL);
      z.delete("/had2/kid", -1);
      await().atMost(WAIT).until(() -> z.exists("/had2", false) == null);

      assertNotNull(z.exists("/never", false), "a container that never had a child stays");
      assertNotNull(z.exists("/busy", false), "a container with a child stays");
      assertEquals(List.of("kid"), z.getChildren("/busy", false));
    }
  }

  @Test
  void ttlNodesExpireWhenIdleAndChildless(@TempDir Path dir) throws Exception {
    try (RoostServer fast = fastSweepingServer(dir, b -> b);
        ZooKeeper z = ZkClients.connect(fast.connectString("127.0.0.1"))) {
      Stat lone = new Stat();
      z.create("/lone", NO_DATA, OPEN, CreateMode.PERSISTENT_WITH_TTL, lone, 200);
      assertEquals(TTL_MARK | 200L, lone.getEphemeralOwner());
      // Parent and child in one multi, so the sweeper cannot catch the parent childless.
      z.multi(List.of(Op.create("/parent", NO_DATA, OPEN, CreateMode.PERSISTENT_WITH_TTL, 200),
          Op.create("/parent/kid", NO_DATA, OPEN, CreateMode.PERSISTENT)));
      String seq = z.create("/s-", NO_DATA, OPEN, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
          new Stat(), 200);
      z.create("/keep", NO_DATA, OPEN, CreateMode.PERSISTENT);

      await().atMost(WAIT).until(() -> z.exists("/lone", false) == null);
      await().atMost(WAIT).until(() -> z.exists(seq, false) == null);

      // Another TTL node created now and swept later: the parent has been past its TTL for
      // at least one more sweep by the time this one is gone.
      z.create("/late", NO_DATA, OPEN, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 200);
      await().atMost(WAIT).until(() -> z.exists("/late", false) == null);
      assertNotNull(z.exists("/parent", false), "a TTL node with a child stays");
      assertNotNull(z.exists("/keep", false), "plain persistent nodes are never swept");

      z.delete("/parent/kid", -1);
      await().atMost(WAIT).until(() -> z.exists("/parent", false) == null);
    }
  }

  @Test
  void ttlCreateIsUnimplementedWhenTtlNodesAreDisabled(@TempDir Path dir) throws Exception {
    try (RoostServer noTtl = TestServers.start(dir, b -> b.ttlNodesEnabled(false));
        ZooKeeper z = ZkClients.connect(noTtl.connectString("127.0.0.1"))) {
      assertThrows(KeeperException.UnimplementedException.class,
          () -> z.create("/t", NO_DATA, OPEN, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 1000));
      assertThrows(KeeperException.UnimplementedException.class,
          () -> z.create("/t-", NO_DATA, OPEN, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
              new Stat(), 1000));
      assertThrows(KeeperException.UnimplementedException.class, () -> z.multi(List.of(
          Op.create("/t", NO_DATA, OPEN, CreateMode.PERSISTENT_WITH_TTL, 1000))));
      assertNull(z.exists("/t", false));
      // Other node types still work.
      assertEquals("/plain", z.create("/plain", NO_DATA, OPEN, CreateMode.PERSISTENT));
      assertEquals(CONTAINER_OWNER, z.exists(
          z.create("/c", NO_DATA, OPEN, CreateMode.CONTAINER), false).getEphemeralOwner());
    }
  }

  /**
   * The official client with a way to send a request it would normally refuse to build, so the
   * server's own validation can be tested. Requests still go through the client's connection,
   * framing and xid matching.
   */
  static final class RawZk extends ZooKeeper {
    private RawZk(String connectString, Watcher watcher) throws IOException {
      super(connectString, 15_000, watcher);
    }

    static RawZk connect(String connectString) throws Exception {
      AtomicBoolean connected = new AtomicBoolean();
      RawZk zk = new RawZk(connectString, e -> {
        if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
          connected.set(true);
        }
      });
      await().atMost(WAIT).untilTrue(connected);
      return zk;
    }

    /** Sends one request of type {@code type} and returns the reply's error code. */
    int submit(int type, Record request, Record response) throws InterruptedException {
      RequestHeader h = new RequestHeader();
      h.setType(type);
      return cnxn.submitRequest(h, request, response, null).getErr();
    }
  }
}

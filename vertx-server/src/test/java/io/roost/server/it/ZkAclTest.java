package io.roost.server.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.roost.server.RoostServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ACL schemes (world, digest, auth, ip) and each permission, checked through the official client. */
class ZkAclTest {
  private static final byte[] NO_DATA = new byte[0];
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  static Path dataDir;
  private static RoostServer server;
  private static String connectString;
  private static String digestUP;

  /** A client with no authentication (its only identity is its ip). */
  private ZooKeeper anon;
  /** A client authenticated as digest u:p (closed with {@link #others}). */
  private ZooKeeper user;
  private final List<ZooKeeper> others = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServers.start(dataDir);
    connectString = server.connectString("127.0.0.1");
    digestUP = DigestAuthenticationProvider.generateDigest("u:p");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void connect() throws Exception {
    anon = ZkClients.connect(connectString);
    user = authenticated("u:p");
  }

  @AfterEach
  void closeClients() throws Exception {
    for (ZooKeeper z : others) {
      z.close();
    }
    anon.close();
  }

  private ZooKeeper authenticated(String userColonPassword) throws Exception {
    ZooKeeper z = ZkClients.connect(connectString);
    others.add(z);
    z.addAuthInfo("digest", userColonPassword.getBytes(StandardCharsets.UTF_8));
    return z;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<ACL> acl(int perms, Id id) {
    // Mutable: the client's own check calls contains(null), which List.of refuses.
    return new ArrayList<>(List.of(new ACL(perms, id)));
  }

  @FunctionalInterface
  private interface ZkCall {
    void run() throws Exception;
  }

  /** True when the call succeeds, false on NoAuth; any other failure fails the test. */
  private static boolean allowed(ZkCall call) throws Exception {
    try {
      call.run();
      return true;
    } catch (KeeperException.NoAuthException e) {
      return false;
    }
  }

  /** The code a call fails with, or OK. */
  private static KeeperException.Code outcome(ZkCall call) throws Exception {
    try {
      call.run();
      return KeeperException.Code.OK;
    } catch (KeeperException e) {
      return e.code();
    }
  }

  // ---------------------------------------------------------------- world

  @Test
  void worldAnyoneAllowsEveryone() throws Exception {
    anon.create("/world", bytes("w"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertEquals(Ids.OPEN_ACL_UNSAFE, user.getACL("/world", null));
    assertArrayEquals(bytes("w"), user.getData("/world", false, null));
    user.setData("/world", bytes("x"), -1);
    user.create("/world/kid", NO_DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    anon.delete("/world/kid", -1);
    anon.setACL("/world", Ids.READ_ACL_UNSAFE, -1);
    assertEquals(Ids.READ_ACL_UNSAFE, user.getACL("/world", null));
    // Now world may only read: nobody writes, not even the authenticated client.
    assertArrayEquals(bytes("x"), anon.getData("/world", false, null));
    assertThrows(KeeperException.NoAuthException.class, () -> user.setData("/world", NO_DATA, -1));
    assertThrows(KeeperException.NoAuthException.class, () -> anon.setData("/world", NO_DATA, -1));
    assertThrows(KeeperException.NoAuthException.class,
        () -> anon.setACL("/world", Ids.OPEN_ACL_UNSAFE, -1));
  }

  // ---------------------------------------------------------------- one permission at a time

  @ParameterizedTest(name = "perm {0}")
  @ValueSource(ints = {Perms.READ, Perms.WRITE, Perms.CREATE, Perms.DELETE, Perms.ADMIN})
  void eachPermissionAllowsOnlyItsOps(int perm) throws Exception {
    String node = "/perm-" + perm;
    anon.create(node, bytes("d"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    anon.create(node + "/victim", NO_DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    List<ACL> only = acl(perm, Ids.ANYONE_ID_UNSAFE);
    anon.setACL(node, only, -1);

    Map<String, Boolean> expected = new LinkedHashMap<>();
    Map<String, Boolean> actual = new LinkedHashMap<>();
    expected.put("getData", perm == Perms.READ);
    actual.put("getData", allowed(() -> anon.getData(node, false, null)));
    expected.put("getChildren", perm == Perms.READ);
    actual.put("getChildren", allowed(() -> anon.getChildren(node, false)));
    expected.put("getChildren2", perm == Perms.READ);
    actual.put("getChildren2", allowed(() -> anon.getChildren(node, false, new Stat())));
    expected.put("getAllChildrenNumber", perm == Perms.READ);
    actual.put("getAllChildrenNumber", allowed(() -> anon.getAllChildrenNumber(node)));
    expected.put("getACL", perm == Perms.READ || perm == Perms.ADMIN);
    actual.put("getACL", allowed(() -> anon.getACL(node, null)));
    expected.put("setData", perm == Perms.WRITE);
    actual.put("setData", allowed(() -> anon.setData(node, bytes("new"), -1)));
    expected.put("create", perm == Perms.CREATE);
    actual.put("create", allowed(() ->
        anon.create(node + "/new", NO_DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
    expected.put("delete", perm == Perms.DELETE);
    actual.put("delete", allowed(() -> anon.delete(node + "/victim", -1)));
    expected.put("setACL", perm == Perms.ADMIN);
    actual.put("setACL", allowed(() -> anon.setACL(node, only, -1)));
    expected.put("check", perm == Perms.READ); // multi's version check needs READ
    actual.put("check", allowed(() -> anon.multi(List.of(Op.check(node, -1)))));
    expected.put("exists", true); // exists checks no permission
    actual.put("exists", allowed(() -> assertNotNull(anon.exists(node, false))));
    assertEquals(expected, actual, "ops allowed by an ACL granting only perm " + perm);

    // And the successful ones really happened, the refused ones did not.
    Stat stat = anon.exists(node, false);
    assertEquals(perm == Perms.WRITE ? 1 : 0, stat.getVersion());
    assertEquals(perm == Perms.ADMIN ? 2 : 1, stat.getAversion());
    assertEquals(perm == Perms.CREATE, anon.exists(node + "/new", false) != null);
    assertEquals(perm == Perms.DELETE, anon.exists(node + "/victim", false) == null);
  }

  // ---------------------------------------------------------------- digest

  @Test
  void digestAclAdmitsOnlyTheMatchingUser() throws Exception {
    List<ACL> digestAll = acl(Perms.ALL, new Id("digest", digestUP));
    user.create("/dg", bytes("secret"), digestAll, CreateMode.PERSISTENT);
    user.create("/dg/victim", NO_DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    ZooKeeper wrongPassword = authenticated("u:wrong");

    for (ZooKeeper outsider : List.of(anon, wrongPassword)) {
      assertThrows(KeeperException.NoAuthException.class, () -> outsider.getData("/dg", false, null));
      assertThrows(KeeperException.NoAuthException.class, () -> outsider.getChildren("/dg", false));
      assertThrows(KeeperException.NoAuthException.class, () -> outsider.setData("/dg", NO_DATA, -1));
      assertThrows(KeeperException.NoAuthException.class, () ->
          outsider.create("/dg/x", NO_DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
      assertThrows(KeeperException.NoAuthException.class, () -> outsider.delete("/dg/victim", -1));
      assertThrows(KeeperException.NoAuthException.class, () -> outsider.getACL("/dg", null));
      assertThrows(KeeperException.NoAuthException.class,
          () -> outsider.setACL("/dg", Ids.OPEN_ACL_UNSAFE, -1));
      assertNotNull(outsider.exists("/dg", false));
    }

    // The same credentials on another connection work; so does the original client.
    ZooKeeper sameUser = authenticated("u:p");
    assertArrayEquals(bytes("secret"), sameUser.getData("/dg", false, null));
    user.setData("/dg", bytes("changed"), 0);
    user.create("/dg/x", NO_DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    user.delete("/dg/victim", -1);
    assertEquals(digestAll, user.getACL("/dg", null));
    assertEquals(List.of("x"), sameUser.getChildren("/dg", false));
    sameUser.setACL("/dg", Ids.OPEN_ACL_UNSAFE, 0);
    assertArrayEquals(bytes("changed"), anon.getData("/dg", false, null));
  }

  @Test
  void authSchemeExpandsToTheCreatorsDigest() throws Exception {
    Stat stat = new Stat();
    user.create("/creator", bytes("mine"), Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT, stat);
    List<ACL> expected = acl(Perms.ALL, new Id("digest", digestUP));
    assertEquals(expected, user.getACL("/creator", null));

    assertThrows(KeeperException.NoAuthException.class, () -> anon.getData("/creator", false, null));
    assertArrayEquals(bytes("mine"), authenticated("u:p").getData("/creator", false, null));

    // A client with two digest ids gets both in the expanded ACL.
    ZooKeeper two = authenticated("u:p");
    two.addAuthInfo("digest", bytes("v:q"));
    two.create("/creator2", NO_DATA, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
    List<ACL> both = two.getACL("/creator2", null);
    assertEquals(2, both.size());
    assertEquals(Set.copyOf(List.of(new ACL(Perms.ALL, new Id("digest", digestUP)),
        new ACL(Perms.ALL, new Id("digest", DigestAuthenticationProvider.generateDigest("v:q"))))),
        Set.copyOf(both));
    ZooKeeper v = authenticated("v:q");
    v.setData("/creator2", bytes("by v"), -1);

    // setACL with "auth" expands too.
    user.create("/later", NO_DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    user.setACL("/later", acl(Perms.READ | Perms.ADMIN, Ids.AUTH_IDS), -1);
    assertEquals(acl(Perms.READ | Perms.ADMIN, new Id("digest", digestUP)),
        user.getACL("/later", null));
    assertThrows(KeeperException.NoAuthException.class, () -> anon.getData("/later", false, null));

    // Without any authenticated id, "auth" is an invalid ACL.
    assertThrows(KeeperException.InvalidACLException.class,
        () -> anon.create("/noauth-creator", NO_DATA, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT));
    assertNull(anon.exists("/noauth-creator", false));
  }

  @Test
  void getAclWithoutAdminRedactsDigestIds() throws Exception {
    List<ACL> full = new ArrayList<>(List.of(
        new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE),
        new ACL(Perms.ALL, new Id("digest", digestUP))));
    user.create("/red", NO_DATA, full, CreateMode.PERSISTENT);

    assertEquals(full, user.getACL("/red", null), "a client with ADMIN sees the hash");
    List<ACL> redacted = List.of(
        new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE),
        new ACL(Perms.ALL, new Id("digest", "u:x")));
    Stat stat = new Stat();
    assertEquals(redacted, anon.getACL("/red", stat), "a reader without ADMIN sees user:x");
    assertEquals(user.exists("/red", false), stat);
  }

  // ---------------------------------------------------------------- ip

  @Test
  void ipAclMatchesTheClientAddress() throws Exception {
    anon.create("/ip-exact", bytes("e"), acl(Perms.ALL, new Id("ip", "127.0.0.1")),
        CreateMode.PERSISTENT);
    anon.create("/ip-net8", bytes("n"), acl(Perms.ALL, new Id("ip", "127.0.0.0/8")),
        CreateMode.PERSISTENT);
    anon.create("/ip-other", bytes("o"), acl(Perms.ALL, new Id("ip", "10.0.0.0/8")),
        CreateMode.PERSISTENT);
    anon.create("/ip-host", bytes("h"), acl(Perms.ALL, new Id("ip", "10.1.2.3")),
        CreateMode.PERSISTENT);

    assertArrayEquals(bytes("e"), anon.getData("/ip-exact", false, null));
    anon.setData("/ip-exact", bytes("e2"), -1);
    assertArrayEquals(bytes("n"), user.getData("/ip-net8", false, null));
    user.create("/ip-net8/kid", NO_DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

    for (String denied : List.of("/ip-other", "/ip-host")) {
      assertThrows(KeeperException.NoAuthException.class, () -> anon.getData(denied, false, null));
      assertThrows(KeeperException.NoAuthException.class, () -> user.setData(denied, NO_DATA, -1));
      assertThrows(KeeperException.NoAuthException.class, () ->
          anon.create(denied + "/kid", NO_DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    }

    assertThrows(KeeperException.InvalidACLException.class, () -> anon.create("/ip-bad", NO_DATA,
        acl(Perms.ALL, new Id("ip", "not.an.address")), CreateMode.PERSISTENT));
    assertThrows(KeeperException.InvalidACLException.class, () -> anon.create("/ip-bad", NO_DATA,
        acl(Perms.ALL, new Id("ip", "127.0.0.1/40")), CreateMode.PERSISTENT));
    assertNull(anon.exists("/ip-bad", false));
  }

  // ---------------------------------------------------------------- which error wins

  /**
   * When a request has several faults, ZooKeeper 3.9 reports them in a fixed order (from its
   * PrepRequestProcessor): create checks the ACL it is given (InvalidACL) before the parent's
   * existence (NoNode) and the parent's CREATE permission (NoAuth); delete checks the parent's
   * DELETE permission before the node's existence and version; setACL checks the new ACL before
   * the node's existence and ADMIN permission. Clients see these codes, so Roost must agree.
   */
  @Test
  void errorPrecedenceMatchesZooKeeper() throws Exception {
    List<ACL> badDigest = acl(Perms.ALL, new Id("digest", "no-hash"));
    anon.create("/prec", NO_DATA, acl(Perms.READ | Perms.WRITE, Ids.ANYONE_ID_UNSAFE),
        CreateMode.PERSISTENT);
    anon.create("/prec-open", NO_DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    anon.create("/prec-open/kid", NO_DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    anon.setACL("/prec-open", acl(Perms.READ | Perms.ADMIN, Ids.ANYONE_ID_UNSAFE), -1);
    anon.setACL("/prec-open/kid", Ids.READ_ACL_UNSAFE, -1);

    Map<String, KeeperException.Code> expected = new LinkedHashMap<>();
    Map<String, KeeperException.Code> actual = new LinkedHashMap<>();
    // create: InvalidACL before NoNode and before NoAuth; NoAuth before NodeExists.
    expected.put("create bad digest under missing parent", KeeperException.Code.INVALIDACL);
    actual.put("create bad digest under missing parent", outcome(() ->
        anon.create("/prec-missing/kid", NO_DATA, badDigest, CreateMode.PERSISTENT)));
    expected.put("create unauthenticated 'auth' ACL under missing parent",
        KeeperException.Code.INVALIDACL);
    actual.put("create unauthenticated 'auth' ACL under missing parent", outcome(() ->
        anon.create("/prec-missing/kid", NO_DATA, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT)));
    expected.put("create bad digest under parent without CREATE", KeeperException.Code.INVALIDACL);
    actual.put("create bad digest under parent without CREATE", outcome(() ->
        anon.create("/prec/kid", NO_DATA, badDigest, CreateMode.PERSISTENT)));
    expected.put("create existing node under parent without CREATE", KeeperException.Code.NOAUTH);
    actual.put("create existing node under parent without CREATE", outcome(() ->
        anon.create("/prec-open/kid", NO_DATA, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));

    // delete: NoAuth (parent lacks DELETE) before NoNode and BadVersion.
    expected.put("delete missing node under parent without DELETE", KeeperException.Code.NOAUTH);
    actual.put("delete missing node under parent without DELETE",
        outcome(() -> anon.delete("/prec/missing", -1)));
    expected.put("delete wrong version under parent without DELETE", KeeperException.Code.NOAUTH);
    actual.put("delete wrong version under parent without DELETE",
        outcome(() -> anon.delete("/prec-open/kid", 7)));

    // setData: NoAuth before BadVersion.
    expected.put("setData wrong version without WRITE", KeeperException.Code.NOAUTH);
    actual.put("setData wrong version without WRITE",
        outcome(() -> anon.setData("/prec-open/kid", NO_DATA, 7)));

    // setACL: InvalidACL before NoNode and NoAuth; NoAuth before BadVersion.
    expected.put("setACL bad digest on missing node", KeeperException.Code.INVALIDACL);
    actual.put("setACL bad digest on missing node",
        outcome(() -> anon.setACL("/prec-missing", badDigest, -1)));
    expected.put("setACL bad digest without ADMIN", KeeperException.Code.INVALIDACL);
    actual.put("setACL bad digest without ADMIN",
        outcome(() -> anon.setACL("/prec", badDigest, -1)));
    expected.put("setACL wrong version without ADMIN", KeeperException.Code.NOAUTH);
    actual.put("setACL wrong version without ADMIN",
        outcome(() -> anon.setACL("/prec", Ids.OPEN_ACL_UNSAFE, 7)));

    assertEquals(expected, actual, "error codes of requests with several faults");
    assertNotNull(anon.exists("/prec-open/kid", false));
  }

  // ---------------------------------------------------------------- failed authentication

  @Test
  void unknownAuthSchemeFailsTheClient() throws Exception {
    anon.create("/af", bytes("a"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    BlockingQueue<WatchedEvent> events = ZkClients.events();
    ZooKeeper bad = ZkClients.connect(connectString, 15_000, events);
    others.add(bad);
    assertArrayEquals(bytes("a"), bad.getData("/af", false, null));

    bad.addAuthInfo("nosuch", bytes("whatever"));
    await().atMost(WAIT).until(() -> events.stream()
        .anyMatch(e -> e.getState() == Watcher.Event.KeeperState.AuthFailed));

    try {
      bad.getData("/af", false, null);
      fail("an operation after a failed authentication must fail");
    } catch (KeeperException.AuthFailedException expected) {
      // what the ZooKeeper client reports once the server refused its credentials
    }
    assertThrows(KeeperException.class, () -> bad.setData("/af", NO_DATA, -1));
    assertArrayEquals(bytes("a"), anon.getData("/af", false, null), "nothing changed");
  }
}

package io.roost.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Code;
import io.roost.core.proto.ConnectRequest;
import io.roost.core.proto.ConnectResponse;
import io.roost.core.proto.CreateMode;
import io.roost.core.proto.CreateRequest;
import io.roost.core.proto.CreateResponse;
import io.roost.core.proto.CreateTTLRequest;
import io.roost.core.proto.DeleteRequest;
import io.roost.core.proto.ErrorResponse;
import io.roost.core.proto.EventType;
import io.roost.core.proto.GetDataRequest;
import io.roost.core.proto.GetDataResponse;
import io.roost.core.proto.Id;
import io.roost.core.proto.JuteInput;
import io.roost.core.proto.JuteOutput;
import io.roost.core.proto.MultiRequest;
import io.roost.core.proto.MultiResponse;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.Perms;
import io.roost.core.proto.ReplyHeader;
import io.roost.core.proto.SetDataRequest;
import io.roost.core.proto.WatcherEvent;
import io.roost.core.proto.Xid;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerCoreTest {
  private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

  private final CoreHarness h = new CoreHarness(new CoreSettings(0, 100, 200, 4000, true, 1000));

  private static CreateRequest create(String path, CreateMode mode) {
    return new CreateRequest(path, new byte[] {1}, OPEN, mode.flag());
  }

  @Test
  void negotiatesTheTimeoutWithinBounds() {
    assertEquals(200, h.connect(1).timeout);
    assertEquals(4000, h.connect(1_000_000).timeout);
    assertEquals(1000, h.connect(1000).timeout);
  }

  @Test
  void sessionExpiryRemovesEphemeralsAndClosesTheConnection() {
    CoreHarness.Client a = h.connect(1000);
    h.send(a, 1, OpCode.create, create("/e", CreateMode.EPHEMERAL));
    assertEquals(0, CoreHarness.header(a.next()).err());
    assertNotNull(h.state.tree().get("/e"));

    h.clock.millis += 900;
    h.core.tick();
    assertNotNull(h.state.tree().get("/e"), "not expired before the timeout");
    h.clock.millis += 300;
    h.core.tick();
    assertNull(h.state.tree().get("/e"));
    assertTrue(a.closed);
    assertEquals(0, h.core.sessionCount());
    assertNull(h.state.session(a.sessionId));
  }

  @Test
  void recoveredSessionsExpireByTheTimeTheServerWasDown() {
    CoreHarness first = new CoreHarness(new CoreSettings(0, 100, 200, 4000, true, 1000));
    CoreHarness.Client shortLived = first.connect(1000);
    CoreHarness.Client longLived = first.connect(4000);
    first.send(shortLived, 1, OpCode.create, create("/short", CreateMode.EPHEMERAL));
    first.send(longLived, 1, OpCode.create, create("/long", CreateMode.EPHEMERAL));
    long lastAlive = first.clock.millis;

    // A new core over the same state (what recovery from disk gives), 2 s later.
    CoreHarness.ManualClock clock = new CoreHarness.ManualClock();
    clock.millis = lastAlive + 2000;
    ServerCore restarted = new ServerCore(new CoreSettings(0, 100, 200, 4000, true, 1000),
        first.state, Replicator.IN_MEMORY, clock, new java.util.Random(2));
    restarted.sessionsLastSeenAt(lastAlive);
    restarted.tick();
    assertNull(first.state.tree().get("/short"), "its 1 s timeout ran out while down");
    assertNotNull(first.state.tree().get("/long"));
    assertEquals(1, restarted.sessionCount());
    clock.millis += 2100;
    restarted.tick();
    assertNull(first.state.tree().get("/long"), "only the time left after the downtime counts");
  }

  @Test
  void pingsKeepASessionAlive() {
    CoreHarness.Client a = h.connect(1000);
    for (int i = 0; i < 10; i++) {
      h.clock.millis += 500;
      h.send(a, Xid.PING, OpCode.ping, null);
      h.core.tick();
    }
    assertFalse(a.closed);
    assertEquals(1, h.core.sessionCount());
  }

  @Test
  void reconnectWithIdAndPasswordKeepsTheSessionAndClosesTheOldConnection() {
    CoreHarness.Client a = h.connect(1000);
    h.send(a, 1, OpCode.create, create("/e", CreateMode.EPHEMERAL));
    a.next();
    CoreHarness.Client b = h.connect(1000, a.sessionId, a.password);
    assertEquals(a.sessionId, b.sessionId);
    assertTrue(a.closed, "the session moved, so the old connection closes");
    assertNotNull(h.state.tree().get("/e"));
  }

  @Test
  void aReconnectRenegotiatesTheTimeoutAndExpiryFollowsIt() {
    CoreHarness.Client a = h.connect(1000);
    CoreHarness.Client b = h.connect(3000, a.sessionId, a.password);
    assertEquals(3000, b.timeout);
    h.clock.millis += 2000;
    h.core.tick();
    assertFalse(b.closed, "the new, longer timeout applies");
    h.clock.millis += 1200;
    h.core.tick();
    assertTrue(b.closed);
  }

  @Test
  void wrongPasswordGetsTheExpiredReplyAndIsClosed() {
    CoreHarness.Client a = h.connect(1000);
    byte[] wrong = a.password.clone();
    wrong[0] ^= 1;
    CoreHarness.Client b = h.connect(1000, a.sessionId, wrong);
    assertEquals(0, b.timeout);
    assertEquals(0, b.sessionId);
    assertArrayEquals(new byte[16], b.password);
    assertTrue(b.closed);
  }

  @Test
  void refusesAClientThatHasSeenMoreThanTheServer() {
    CoreHarness.Client c = new CoreHarness.Client();
    c.conn = h.core.open(c);
    JuteOutput out = new JuteOutput();
    new ConnectRequest(0, 99, 1000, 0, new byte[16], false, true).write(out);
    byte[] bytes = out.toByteArray();
    h.core.receive(c.conn, bytes, 0, bytes.length);
    assertTrue(c.closed);
    assertTrue(c.frames.isEmpty());
    assertEquals(0, h.core.sessionCount());
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderAndReadTheirOwnWrites() {
    CoreHarness.Client a = h.connect(1000);
    h.send(a, 1, OpCode.create, create("/p", CreateMode.PERSISTENT));
    h.send(a, 2, OpCode.getData, new GetDataRequest("/p", false));
    h.send(a, 3, OpCode.setData, new SetDataRequest("/p", new byte[] {9}, 0));
    h.send(a, 4, OpCode.getData, new GetDataRequest("/p", false));
    h.send(a, 5, OpCode.setData, new SetDataRequest("/p", new byte[] {7}, 0));
    int[] xids = new int[5];
    GetDataResponse last = null;
    int lastErr = 0;
    for (int i = 0; i < 5; i++) {
      JuteInput in = a.next();
      ReplyHeader rh = CoreHarness.header(in);
      xids[i] = rh.xid();
      if (rh.xid() == 4) {
        last = GetDataResponse.read(in);
      }
      lastErr = rh.err();
    }
    assertArrayEquals(new int[] {1, 2, 3, 4, 5}, xids);
    assertArrayEquals(new byte[] {9}, last.data());
    assertEquals(Code.BAD_VERSION.code(), lastErr);
  }

  @Test
  void aWatchEventReachesTheClientBeforeTheReplyOfTheChange() {
    CoreHarness.Client a = h.connect(1000);
    h.send(a, 1, OpCode.create, create("/w", CreateMode.PERSISTENT));
    a.next();
    h.send(a, 2, OpCode.getData, new GetDataRequest("/w", true));
    a.next();
    h.send(a, 3, OpCode.setData, new SetDataRequest("/w", new byte[] {2}, -1));
    JuteInput first = a.next();
    assertEquals(Xid.NOTIFICATION, CoreHarness.header(first).xid());
    WatcherEvent ev = WatcherEvent.read(first);
    assertEquals(EventType.NODE_DATA_CHANGED, ev.type());
    assertEquals("/w", ev.path());
    assertEquals(3, CoreHarness.header(a.next()).xid());
  }

  @Test
  void failedMultiChangesNothingAndReportsPerOpCodes() {
    CoreHarness.Client a = h.connect(1000);
    long digest = h.state.digest();
    long zxid = h.state.lastZxid();
    h.send(a, 1, OpCode.multi, new MultiRequest(List.of(
        new MultiRequest.Op(OpCode.create, create("/m1", CreateMode.PERSISTENT)),
        new MultiRequest.Op(OpCode.delete, new DeleteRequest("/missing", -1)),
        new MultiRequest.Op(OpCode.create, create("/m2", CreateMode.PERSISTENT)))));
    JuteInput in = a.next();
    assertEquals(0, CoreHarness.header(in).err());
    MultiResponse r = MultiResponse.read(in);
    assertEquals(List.of(new ErrorResponse(0), new ErrorResponse(Code.NO_NODE.code()),
        new ErrorResponse(Code.RUNTIME_INCONSISTENCY.code())), r.results());
    assertEquals(digest, h.state.digest());
    assertEquals(zxid, h.state.lastZxid());
    assertNull(h.state.tree().get("/m1"));
  }

  @Test
  void multiSeesItsOwnEarlierOps() {
    CoreHarness.Client a = h.connect(1000);
    h.send(a, 1, OpCode.multi, new MultiRequest(List.of(
        new MultiRequest.Op(OpCode.create, create("/m", CreateMode.PERSISTENT)),
        new MultiRequest.Op(OpCode.create, create("/m/s-", CreateMode.PERSISTENT_SEQUENTIAL)),
        new MultiRequest.Op(OpCode.create, create("/m/s-", CreateMode.PERSISTENT_SEQUENTIAL)),
        new MultiRequest.Op(OpCode.setData, new SetDataRequest("/m", new byte[0], 0)))));
    JuteInput in = a.next();
    CoreHarness.header(in);
    MultiResponse r = MultiResponse.read(in);
    assertEquals(new CreateResponse("/m/s-0000000000"), r.results().get(1));
    assertEquals(new CreateResponse("/m/s-0000000001"), r.results().get(2));
    assertEquals(1, h.state.tree().get("/m").version());
  }

  @Test
  void sequentialNamesUseAsciiDigitsWhateverTheDefaultLocale() {
    java.util.Locale saved = java.util.Locale.getDefault();
    try {
      java.util.Locale.setDefault(java.util.Locale.forLanguageTag("ar-EG-u-nu-arab"));
      CoreHarness.Client a = h.connect(1000);
      h.send(a, 1, OpCode.create, create("/s-", CreateMode.PERSISTENT_SEQUENTIAL));
      JuteInput in = a.next();
      CoreHarness.header(in);
      assertEquals("/s-0000000000", CreateResponse.read(in).path());
    } finally {
      java.util.Locale.setDefault(saved);
    }
  }

  @Test
  void emptyContainersAreSweptOnlyAfterHavingHadAChild() {
    CoreHarness.Client a = h.connect(4000);
    h.send(a, 1, OpCode.createContainer, create("/c1", CreateMode.CONTAINER));
    h.send(a, 2, OpCode.createContainer, create("/c2", CreateMode.CONTAINER));
    h.send(a, 3, OpCode.create, create("/c1/x", CreateMode.PERSISTENT));
    h.send(a, 4, OpCode.delete, new DeleteRequest("/c1/x", -1));
    for (int i = 0; i < 4; i++) {
      assertEquals(0, CoreHarness.header(a.next()).err());
    }
    h.clock.millis += 1000;
    h.send(a, Xid.PING, OpCode.ping, null);
    h.core.tick();
    assertNull(h.state.tree().get("/c1"));
    assertNotNull(h.state.tree().get("/c2"));
  }

  @Test
  void ttlNodesGoOnceIdleForTheirTtlAndChildless() {
    CoreHarness.Client a = h.connect(4000);
    h.send(a, 1, OpCode.createTTL, new CreateTTLRequest("/t", new byte[0], OPEN,
        CreateMode.PERSISTENT_WITH_TTL.flag(), 500));
    h.send(a, 2, OpCode.createTTL, new CreateTTLRequest("/u", new byte[0], OPEN,
        CreateMode.PERSISTENT_WITH_TTL.flag(), 500));
    h.send(a, 3, OpCode.create, create("/u/child", CreateMode.PERSISTENT));
    for (int i = 0; i < 3; i++) {
      assertEquals(0, CoreHarness.header(a.next()).err());
    }
    h.clock.millis += 400;
    h.core.sweep(h.clock.millis);
    assertNotNull(h.state.tree().get("/t"), "younger than its TTL");
    h.clock.millis += 200;
    h.core.sweep(h.clock.millis);
    assertNull(h.state.tree().get("/t"));
    assertNotNull(h.state.tree().get("/u"), "has a child");
  }

  @Test
  void ttlModesAreRefusedWhenDisabled() {
    CoreHarness off = new CoreHarness(new CoreSettings(0, 100, 200, 4000, false, 1000));
    CoreHarness.Client a = off.connect(1000);
    off.send(a, 1, OpCode.createTTL, new CreateTTLRequest("/t", new byte[0], OPEN,
        CreateMode.PERSISTENT_WITH_TTL.flag(), 500));
    assertEquals(Code.UNIMPLEMENTED.code(), CoreHarness.header(a.next()).err());
  }

  @Test
  void unknownOpCodesGetUnimplementedAndTheConnectionStays() {
    CoreHarness.Client a = h.connect(1000);
    h.send(a, 7, 999, null);
    ReplyHeader rh = CoreHarness.header(a.next());
    assertEquals(7, rh.xid());
    assertEquals(Code.UNIMPLEMENTED.code(), rh.err());
    assertFalse(a.closed);
    h.send(a, 8, OpCode.exists, new io.roost.core.proto.ExistsRequest("/", false));
    assertEquals(0, CoreHarness.header(a.next()).err());
  }

  @Test
  void garbageBeforeTheHandshakeClosesOnlyThatConnection() {
    CoreHarness.Client good = h.connect(1000);
    CoreHarness.Client bad = new CoreHarness.Client();
    bad.conn = h.core.open(bad);
    byte[] junk = {0, 0, 0, 1, 2, 3};
    h.core.receive(bad.conn, junk, 0, junk.length);
    assertTrue(bad.closed);
    assertFalse(good.closed);
    assertEquals(1, h.core.sessionCount());
  }

  @Test
  void closeSessionRepliesThenClosesAndRemovesEphemerals() {
    CoreHarness.Client a = h.connect(1000);
    h.send(a, 1, OpCode.create, create("/e", CreateMode.EPHEMERAL));
    a.next();
    h.send(a, 2, OpCode.closeSession, null);
    assertEquals(2, CoreHarness.header(a.next()).xid());
    assertTrue(a.closed);
    assertNull(h.state.tree().get("/e"));
    CoreHarness.Client again = h.connect(1000, a.sessionId, a.password);
    assertEquals(0, again.timeout, "a closed session cannot be resumed");
    assertNotEquals(a.sessionId, again.sessionId);
  }

  @Test
  void aNewSessionGetsAnIdAndASixteenBytePassword() {
    CoreHarness.Client c = new CoreHarness.Client();
    c.conn = h.core.open(c);
    JuteOutput out = new JuteOutput();
    new ConnectRequest(0, 0, 1000, 0, new byte[16], false, true).write(out);
    byte[] bytes = out.toByteArray();
    h.core.receive(c.conn, bytes, 0, bytes.length);
    ConnectResponse resp = ConnectResponse.read(c.next());
    assertTrue(resp.sessionId() != 0);
    assertEquals(16, resp.passwd().length);
  }
}

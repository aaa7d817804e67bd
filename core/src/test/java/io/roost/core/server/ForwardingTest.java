package io.roost.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Code;
import io.roost.core.proto.CreateMode;
import io.roost.core.proto.CreateRequest;
import io.roost.core.proto.CreateResponse;
import io.roost.core.proto.DeleteRequest;
import io.roost.core.proto.ErrorResponse;
import io.roost.core.proto.GetDataRequest;
import io.roost.core.proto.GetDataResponse;
import io.roost.core.proto.Id;
import io.roost.core.proto.JuteInput;
import io.roost.core.proto.MultiRequest;
import io.roost.core.proto.MultiResponse;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.Perms;
import io.roost.core.proto.ReplyHeader;
import io.roost.core.proto.SyncRequest;
import io.roost.core.state.StateMachine;
import io.roost.core.txn.Transaction;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A leader core and a follower core wired in memory: the leader's proposals commit when the test
 * pumps, and are applied to both states in order; the follower's forwarded requests and the
 * leader's direct replies travel through queues. Checks that a follower's clients get exactly what
 * a leader's clients get.
 */
class ForwardingTest {
  private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

  private final CoreHarness.ManualClock clock = new CoreHarness.ManualClock();
  private final ArrayDeque<Transaction> proposed = new ArrayDeque<>();
  private final ArrayDeque<LeaderRequest> toLeader = new ArrayDeque<>();
  private final ArrayDeque<FollowerReply> toFollower = new ArrayDeque<>();
  private final StateMachine leaderState = new StateMachine();
  private final StateMachine followerState = new StateMachine();
  private final ServerCore leader = new ServerCore(
      new CoreSettings(1, 100, 200, 4000, true, 1000), leaderState,
      (txn, commit) -> proposed.add(txn), clock, new Random(1));
  private final ServerCore follower = new ServerCore(
      new CoreSettings(2, 100, 200, 4000, true, 1000), followerState,
      (txn, commit) -> {
        throw new AssertionError("a follower proposed " + txn);
      }, clock, new Random(2));

  ForwardingTest() {
    leader.setRole(ServerRole.LEADER, Transaction.zxid(1, 0), null);
    follower.setRole(ServerRole.FOLLOWER, 0, toLeader::add);
  }

  /** Delivers forwarded requests, commits every proposal on both servers, delivers replies. */
  private void pump() {
    for (int round = 0; round < 10; round++) {
      while (!toLeader.isEmpty()) {
        leader.fromFollower(toLeader.poll(), toFollower::add);
      }
      while (!proposed.isEmpty()) {
        Transaction t = proposed.poll();
        leader.applyCommitted(t);
        follower.applyCommitted(t);
      }
      while (!toFollower.isEmpty()) {
        follower.fromLeader(toFollower.poll());
      }
    }
  }

  private CoreHarness.Client connect(ServerCore core) {
    CoreHarness.Client c = new CoreHarness.Client();
    c.conn = core.open(c);
    io.roost.core.proto.JuteOutput out = new io.roost.core.proto.JuteOutput();
    new io.roost.core.proto.ConnectRequest(0, 0, 1000, 0, new byte[16], false, true).write(out);
    byte[] bytes = out.toByteArray();
    core.receive(c.conn, bytes, 0, bytes.length);
    pump();
    io.roost.core.proto.ConnectResponse r = io.roost.core.proto.ConnectResponse.read(c.next());
    c.sessionId = r.sessionId();
    c.password = r.passwd();
    return c;
  }

  private static void send(ServerCore core, CoreHarness.Client c, int xid, int op,
      io.roost.core.proto.Record body) {
    io.roost.core.proto.JuteOutput out = new io.roost.core.proto.JuteOutput();
    new io.roost.core.proto.RequestHeader(xid, op).write(out);
    if (body != null) {
      body.write(out);
    }
    byte[] bytes = out.toByteArray();
    core.receive(c.conn, bytes, 0, bytes.length);
  }

  private static CreateRequest create(String path) {
    return new CreateRequest(path, path.getBytes(java.nio.charset.StandardCharsets.UTF_8), OPEN,
        CreateMode.PERSISTENT.flag());
  }

  @Test
  void aFollowersSessionIsCreatedThroughTheLeader() {
    CoreHarness.Client c = connect(follower);
    assertTrue(c.sessionId != 0);
    assertEquals(2, c.sessionId >>> 56, "session ids carry the follower's server id");
    assertNotNull(leaderState.session(c.sessionId));
    assertNotNull(followerState.session(c.sessionId));
  }

  @Test
  void aFollowersWriteCommitsThroughTheLeaderAndIsAnsweredInOrder() {
    CoreHarness.Client c = connect(follower);
    send(follower, c, 1, OpCode.create, create("/a"));
    send(follower, c, 2, OpCode.getData, new GetDataRequest("/a", false));
    assertTrue(c.frames.isEmpty(), "answered before the leader committed");
    pump();
    JuteInput in = c.next();
    assertEquals(1, ReplyHeader.read(in).xid());
    assertEquals(new CreateResponse("/a"), CreateResponse.read(in));
    in = c.next();
    ReplyHeader h = ReplyHeader.read(in);
    assertEquals(2, h.xid());
    assertArrayEquals("/a".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        GetDataResponse.read(in).data(), "the read after the write sees it");
    assertEquals(leaderState.digest(), followerState.digest());
  }

  @Test
  void anEmptyMultiSucceedsOnAFollowerAsOnTheLeader() {
    CoreHarness.Client c = connect(follower);
    long zxid = followerState.lastZxid();
    send(follower, c, 1, OpCode.multi, new MultiRequest(List.of()));
    pump();
    JuteInput in = c.next();
    ReplyHeader h = ReplyHeader.read(in);
    assertEquals(0, h.err());
    assertEquals(List.of(), MultiResponse.read(in).results());
    assertEquals(zxid, followerState.lastZxid(), "nothing was committed");
  }

  @Test
  void theLeadersRejectionReachesTheFollowersClient() {
    CoreHarness.Client c = connect(follower);
    long digest = followerState.digest();
    send(follower, c, 1, OpCode.create, create("/missing/child"));
    pump();
    ReplyHeader h = ReplyHeader.read(c.next());
    assertEquals(Code.NO_NODE.code(), h.err());
    assertEquals(digest, followerState.digest());
    assertEquals(digest, leaderState.digest());
  }

  @Test
  void aFailedMultiOnAFollowerReportsPerOpResults() {
    CoreHarness.Client c = connect(follower);
    send(follower, c, 1, OpCode.multi, new MultiRequest(List.of(
        new MultiRequest.Op(OpCode.create, create("/m1")),
        new MultiRequest.Op(OpCode.delete, new DeleteRequest("/nope", -1)))));
    pump();
    JuteInput in = c.next();
    assertEquals(0, ReplyHeader.read(in).err());
    assertEquals(List.of(new ErrorResponse(0), new ErrorResponse(Code.NO_NODE.code())),
        MultiResponse.read(in).results());
    assertNull(followerState.tree().get("/m1"));
  }

  @Test
  void syncOnAFollowerAnswersOnlyOnceItHasCaughtUpWithTheLeader() {
    CoreHarness.Client onLeader = connect(leader);
    CoreHarness.Client onFollower = connect(follower);
    send(leader, onLeader, 1, OpCode.create, create("/s"));
    // The leader proposed /s; the follower has not applied it yet.
    leader.fromFollower(new LeaderRequest.Sync(onFollower.sessionId, 7), toFollower::add);
    send(follower, onFollower, 7, OpCode.sync, new SyncRequest("/"));
    follower.fromLeader(toFollower.poll());
    assertTrue(onFollower.frames.isEmpty(), "sync answered before /s was applied here");
    pump();
    ReplyHeader h = ReplyHeader.read(onFollower.next());
    assertEquals(7, h.xid());
    assertNotNull(followerState.tree().get("/s"));
  }

  @Test
  void theLeaderExpiresASessionOnlyWhenFollowersStopTouchingIt() {
    CoreHarness.Client c = connect(follower);
    for (int i = 0; i < 30; i++) { // 3 s of ticks, more than the 1 s timeout
      clock.millis += 100;
      follower.tick();
      leader.tick();
      pump();
    }
    assertNotNull(leaderState.session(c.sessionId), "expired although the follower touched it");
    follower.disconnected(c.conn);
    for (int i = 0; i < 30; i++) {
      clock.millis += 100;
      follower.tick();
      leader.tick();
      pump();
    }
    assertNull(leaderState.session(c.sessionId));
    assertNull(followerState.session(c.sessionId), "the close reached the follower too");
  }

  @Test
  void aClientCanMoveItsSessionFromTheLeaderToAFollower() {
    CoreHarness.Client c = connect(leader);
    send(leader, c, 1, OpCode.create, new CreateRequest("/e", new byte[0], OPEN,
        CreateMode.EPHEMERAL.flag()));
    pump();
    c.next();
    CoreHarness.Client moved = new CoreHarness.Client();
    moved.conn = follower.open(moved);
    io.roost.core.proto.JuteOutput out = new io.roost.core.proto.JuteOutput();
    new io.roost.core.proto.ConnectRequest(0, leaderState.lastZxid(), 1000, c.sessionId,
        c.password, false, true).write(out);
    byte[] bytes = out.toByteArray();
    follower.receive(moved.conn, bytes, 0, bytes.length);
    io.roost.core.proto.ConnectResponse r = io.roost.core.proto.ConnectResponse.read(moved.next());
    assertEquals(c.sessionId, r.sessionId(), "the follower accepted the session");
    send(follower, moved, 2, OpCode.delete, new DeleteRequest("/e", -1));
    pump();
    assertEquals(0, ReplyHeader.read(moved.next()).err());
    assertNull(leaderState.tree().get("/e"));
  }

  @Test
  void closingASessionOnAFollowerRemovesItsEphemeralsEverywhere() {
    CoreHarness.Client c = connect(follower);
    send(follower, c, 1, OpCode.create, new CreateRequest("/eph", new byte[0], OPEN,
        CreateMode.EPHEMERAL.flag()));
    pump();
    c.next();
    assertNotNull(leaderState.tree().get("/eph"));
    send(follower, c, 2, OpCode.closeSession, null);
    pump();
    assertEquals(2, ReplyHeader.read(c.next()).xid());
    assertTrue(c.closed);
    assertNull(leaderState.tree().get("/eph"));
    assertNull(followerState.tree().get("/eph"));
    assertNull(followerState.session(c.sessionId));
  }

  @Test
  void anOfflineServerRefusesClients() {
    follower.setRole(ServerRole.OFFLINE, 0, null);
    CoreHarness.Client c = new CoreHarness.Client();
    c.conn = follower.open(c);
    io.roost.core.proto.JuteOutput out = new io.roost.core.proto.JuteOutput();
    new io.roost.core.proto.ConnectRequest(0, 0, 1000, 0, new byte[16], false, true).write(out);
    byte[] bytes = out.toByteArray();
    follower.receive(c.conn, bytes, 0, bytes.length);
    assertTrue(c.closed);
  }
}

package io.roost.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Code;
import io.roost.core.proto.ConnectRequest;
import io.roost.core.proto.ConnectResponse;
import io.roost.core.proto.CreateMode;
import io.roost.core.proto.CreateRequest;
import io.roost.core.proto.GetDataRequest;
import io.roost.core.proto.GetDataResponse;
import io.roost.core.proto.Id;
import io.roost.core.proto.JuteInput;
import io.roost.core.proto.JuteOutput;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.Perms;
import io.roost.core.proto.Record;
import io.roost.core.proto.ReplyHeader;
import io.roost.core.proto.RequestHeader;
import io.roost.core.proto.SetDataRequest;
import io.roost.core.state.StateMachine;
import io.roost.core.txn.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/**
 * With {@code linearizableReads} on, a read waits for a read index the leader confirmed and for
 * its server to apply that far, so a follower that lags never answers from the past. A leader
 * core and a follower core wired in memory; the test decides when commits reach each server and
 * when the leader's read indexes are confirmed.
 */
class LinearizableReadsTest {
  private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

  private final CoreHarness.ManualClock clock = new CoreHarness.ManualClock();
  private final ArrayDeque<Transaction> proposed = new ArrayDeque<>();
  private final ArrayDeque<Transaction> toFollowerState = new ArrayDeque<>();
  private final ArrayDeque<LeaderRequest> toLeader = new ArrayDeque<>();
  private final ArrayDeque<FollowerReply> toFollower = new ArrayDeque<>();
  private final ArrayDeque<LongConsumer> unconfirmed = new ArrayDeque<>();
  private boolean leading = true;
  private final StateMachine leaderState = new StateMachine();
  private final StateMachine followerState = new StateMachine();
  private final ServerCore leader = new ServerCore(
      new CoreSettings(1, 100, 200, 4000, true, 1000, true), leaderState,
      (txn, commit) -> proposed.add(txn), clock, new Random(1));
  private final ServerCore follower = new ServerCore(
      new CoreSettings(2, 100, 200, 4000, true, 1000, true), followerState,
      (txn, commit) -> {
        throw new AssertionError("a follower proposed " + txn);
      }, clock, new Random(2));

  LinearizableReadsTest() {
    leader.setRole(ServerRole.LEADER, Transaction.zxid(1, 0), null);
    leader.setReadBarrier(confirmed -> leading && unconfirmed.add(confirmed));
    follower.setRole(ServerRole.FOLLOWER, 0, toLeader::add);
  }

  /** Commits what the leader proposed on the leader only; the follower lags until told. */
  private void commitOnLeader() {
    while (!proposed.isEmpty()) {
      Transaction t = proposed.poll();
      leader.applyCommitted(t);
      toFollowerState.add(t);
    }
  }

  private void commitOnFollower() {
    while (!toFollowerState.isEmpty()) {
      follower.applyCommitted(toFollowerState.poll());
    }
  }

  private void deliverToLeader() {
    while (!toLeader.isEmpty()) {
      leader.fromFollower(toLeader.poll(), toFollower::add);
    }
  }

  private void deliverToFollower() {
    while (!toFollower.isEmpty()) {
      follower.fromLeader(toFollower.poll());
    }
  }

  /** The leader's quorum answers: every read index asked for so far is confirmed. */
  private void confirmReadIndexes() {
    while (!unconfirmed.isEmpty()) {
      unconfirmed.poll().accept(leaderState.lastZxid());
    }
  }

  /** Everything flows until nothing moves. */
  private void settle() {
    for (int i = 0; i < 10; i++) {
      deliverToLeader();
      confirmReadIndexes();
      commitOnLeader();
      commitOnFollower();
      deliverToFollower();
    }
  }

  private CoreHarness.Client connect(ServerCore core) {
    CoreHarness.Client c = new CoreHarness.Client();
    c.conn = core.open(c);
    JuteOutput out = new JuteOutput();
    new ConnectRequest(0, 0, 1000, 0, new byte[16], false, true).write(out);
    byte[] bytes = out.toByteArray();
    core.receive(c.conn, bytes, 0, bytes.length);
    settle();
    c.sessionId = ConnectResponse.read(c.next()).sessionId();
    return c;
  }

  private static void send(ServerCore core, CoreHarness.Client c, int xid, int op, Record body) {
    JuteOutput out = new JuteOutput();
    new RequestHeader(xid, op).write(out);
    body.write(out);
    byte[] bytes = out.toByteArray();
    core.receive(c.conn, bytes, 0, bytes.length);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aLaggingFollowerAnswersAReadOnlyAfterCatchingUpWithTheConfirmedIndex() {
    CoreHarness.Client writer = connect(leader);
    CoreHarness.Client reader = connect(follower);
    send(leader, writer, 1, OpCode.create, new CreateRequest("/x", utf8("v1"), OPEN,
        CreateMode.PERSISTENT.flag()));
    commitOnLeader();
    assertEquals(1, ReplyHeader.read(writer.next()).xid(), "the write is acknowledged");
    // The follower has not applied /x yet; a sequentially consistent read would say NoNode.
    send(follower, reader, 1, OpCode.getData, new GetDataRequest("/x", false));
    assertTrue(reader.frames.isEmpty(), "answered before any read index");
    deliverToLeader();
    assertTrue(reader.frames.isEmpty(), "answered before the leader's quorum confirmed");
    confirmReadIndexes();
    deliverToFollower();
    assertTrue(reader.frames.isEmpty(), "answered before applying up to the read index");
    commitOnFollower();
    JuteInput in = reader.next();
    ReplyHeader h = ReplyHeader.read(in);
    assertEquals(0, h.err());
    assertArrayEquals(utf8("v1"), GetDataResponse.read(in).data());
  }

  @Test
  void aReadOnTheLeaderWaitsForItsReadIndex() {
    CoreHarness.Client c = connect(leader);
    send(leader, c, 1, OpCode.create, new CreateRequest("/y", utf8("a"), OPEN,
        CreateMode.PERSISTENT.flag()));
    commitOnLeader();
    c.next();
    send(leader, c, 2, OpCode.getData, new GetDataRequest("/y", false));
    assertTrue(c.frames.isEmpty(), "a leader answered without a quorum's confirmation");
    confirmReadIndexes();
    JuteInput in = c.next();
    assertEquals(2, ReplyHeader.read(in).xid());
    assertArrayEquals(utf8("a"), GetDataResponse.read(in).data());
  }

  @Test
  void aLaterWriteOfTheSameSessionWaitsSoTheReadCannotSeeIt() {
    CoreHarness.Client setup = connect(leader);
    send(leader, setup, 1, OpCode.create, new CreateRequest("/z", utf8("old"), OPEN,
        CreateMode.PERSISTENT.flag()));
    settle();
    CoreHarness.Client c = connect(follower);
    send(follower, c, 1, OpCode.getData, new GetDataRequest("/z", false));
    send(follower, c, 2, OpCode.setData, new SetDataRequest("/z", utf8("new"), -1));
    assertEquals(1, toLeader.size(), "the write went out before the read it follows");
    assertInstanceOf(LeaderRequest.Sync.class, toLeader.peek());
    settle();
    JuteInput in = c.next();
    assertEquals(1, ReplyHeader.read(in).xid());
    assertArrayEquals(utf8("old"), GetDataResponse.read(in).data());
    assertEquals(2, ReplyHeader.read(c.next()).xid());
    assertArrayEquals(utf8("new"), leaderState.tree().get("/z").data());
  }

  @Test
  void aLeaderThatCannotConfirmFailsTheReadWithConnectionLoss() {
    CoreHarness.Client remote = connect(follower);
    CoreHarness.Client local = connect(leader);
    leading = false; // the node stopped leading; the core has not heard yet
    send(follower, remote, 1, OpCode.getData, new GetDataRequest("/", false));
    send(leader, local, 1, OpCode.getData, new GetDataRequest("/", false));
    settle();
    assertEquals(Code.CONNECTION_LOSS.code(), ReplyHeader.read(remote.next()).err());
    assertEquals(Code.CONNECTION_LOSS.code(), ReplyHeader.read(local.next()).err());
  }
}

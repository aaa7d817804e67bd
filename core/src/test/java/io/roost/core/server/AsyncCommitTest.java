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
import io.roost.core.proto.GetDataRequest;
import io.roost.core.proto.GetDataResponse;
import io.roost.core.proto.Id;
import io.roost.core.proto.JuteInput;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.Perms;
import io.roost.core.proto.ReplyHeader;
import io.roost.core.proto.SetDataRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pipeline when commits are asynchronous (a disk or a quorum in between): prepare must see
 * outstanding changes, replies keep request order, reads wait for their own connection's writes.
 */
class AsyncCommitTest {
  private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

  private final CoreHarness.HeldReplicator disk = new CoreHarness.HeldReplicator();
  private final CoreHarness h =
      new CoreHarness(new CoreSettings(0, 100, 200, 4000, true, 1000), disk);

  private CoreHarness.Client connect() {
    CoreHarness.Client c = h.connect(1000);
    if (c.sessionId == 0) {
      disk.commitAll();
      var r = io.roost.core.proto.ConnectResponse.read(c.next());
      c.sessionId = r.sessionId();
      c.password = r.passwd();
      c.timeout = r.timeOut();
    }
    return c;
  }

  private static CreateRequest create(String path, CreateMode mode) {
    return new CreateRequest(path, new byte[] {1}, OPEN, mode.flag());
  }

  @Test
  void aSecondCreateOfAnOutstandingPathFailsInsteadOfBreakingApply() {
    CoreHarness.Client a = connect();
    CoreHarness.Client b = connect();
    h.send(a, 1, OpCode.create, create("/x", CreateMode.PERSISTENT));
    h.send(b, 1, OpCode.create, create("/x", CreateMode.PERSISTENT));
    assertEquals(Code.NODE_EXISTS.code(), CoreHarness.header(b.next()).err());
    assertTrue(a.frames.isEmpty(), "a's create waits for its commit");
    disk.commitAll();
    assertEquals(0, CoreHarness.header(a.next()).err());
    assertNotNull(h.state.tree().get("/x"));
  }

  @Test
  void sequentialNamesStayUniqueAcrossOutstandingCreates() {
    CoreHarness.Client a = connect();
    CoreHarness.Client b = connect();
    for (int i = 0; i < 5; i++) {
      h.send(a, i, OpCode.create, create("/q-", CreateMode.PERSISTENT_SEQUENTIAL));
      h.send(b, i, OpCode.create, create("/q-", CreateMode.PERSISTENT_SEQUENTIAL));
    }
    disk.commitAll();
    Set<String> names = new HashSet<>();
    for (CoreHarness.Client c : List.of(a, b)) {
      for (int i = 0; i < 5; i++) {
        JuteInput in = c.next();
        assertEquals(0, CoreHarness.header(in).err());
        names.add(CreateResponse.read(in).path());
      }
    }
    assertEquals(10, names.size());
  }

  @Test
  void pipelinedWritesKeepOrderAndReadsWaitForThem() {
    CoreHarness.Client a = connect();
    h.send(a, 1, OpCode.create, create("/p", CreateMode.PERSISTENT));
    h.send(a, 2, OpCode.setData, new SetDataRequest("/p", new byte[] {2}, 0));
    h.send(a, 3, OpCode.setData, new SetDataRequest("/p", new byte[] {3}, 0)); // stale version
    h.send(a, 4, OpCode.getData, new GetDataRequest("/p", false));
    assertEquals(2, disk.held.size(), "both good writes are proposed without waiting");
    assertTrue(a.frames.isEmpty(), "the BadVersion reply waits behind the writes before it");
    disk.commitOne();
    assertEquals(1, a.frames.size());
    disk.commitOne();
    int[] xids = new int[4];
    int[] errs = new int[4];
    GetDataResponse read = null;
    for (int i = 0; i < 4; i++) {
      JuteInput in = a.next();
      ReplyHeader rh = CoreHarness.header(in);
      xids[i] = rh.xid();
      errs[i] = rh.err();
      if (rh.xid() == 4) {
        read = GetDataResponse.read(in);
      }
    }
    assertArrayEquals(new int[] {1, 2, 3, 4}, xids);
    assertArrayEquals(new int[] {0, 0, Code.BAD_VERSION.code(), 0}, errs);
    assertArrayEquals(new byte[] {2}, read.data(), "the read sees its own connection's writes");
  }

  @Test
  void deletingAnEphemeralWhoseSessionIsClosingIsRefusedCleanly() {
    CoreHarness.Client owner = connect();
    CoreHarness.Client other = connect();
    h.send(owner, 1, OpCode.create, create("/e", CreateMode.EPHEMERAL));
    disk.commitAll();
    owner.next();
    h.send(owner, 2, OpCode.closeSession, null);
    h.send(other, 1, OpCode.delete, new DeleteRequest("/e", -1));
    assertEquals(Code.NO_NODE.code(), CoreHarness.header(other.next()).err());
    disk.commitAll();
    assertNull(h.state.tree().get("/e"));
    assertEquals(2, CoreHarness.header(owner.next()).xid());
  }

  @Test
  void anExpiringSessionTakesItsOutstandingEphemeralsWithIt() {
    CoreHarness.Client owner = connect();
    h.send(owner, 1, OpCode.create, create("/late", CreateMode.EPHEMERAL));
    h.clock.millis += 5000;
    h.core.tick(); // expiry is prepared while the create is still outstanding
    CoreHarness.Client other = connect();
    h.send(other, 1, OpCode.create, create("/late/child", CreateMode.PERSISTENT));
    disk.commitAll();
    assertNull(h.state.tree().get("/late"), "the close deleted the ephemeral created before it");
    assertTrue(h.state.tree().ephemeralsOf(owner.sessionId).isEmpty());
    assertNull(h.state.session(owner.sessionId));
  }
}

package io.roost.core.server;

import io.roost.core.proto.CheckVersionRequest;
import io.roost.core.proto.Code;
import io.roost.core.proto.Create2Response;
import io.roost.core.proto.CreateRequest;
import io.roost.core.proto.CreateResponse;
import io.roost.core.proto.CreateTTLRequest;
import io.roost.core.proto.DeleteRequest;
import io.roost.core.proto.Id;
import io.roost.core.proto.MultiRequest;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.Record;
import io.roost.core.proto.SetACLRequest;
import io.roost.core.proto.SetDataRequest;
import io.roost.core.proto.StatResponse;
import io.roost.core.state.OpOutcome;
import io.roost.core.txn.TxnOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a client write into a transaction op, for a session and its identities, against a
 * prepare view — the same for a server's own clients and for writes a follower forwarded — and
 * builds the reply once it is applied.
 */
final class WritePreparers {
  /** A multi failed in prepare: every result is an error, this one at {@code index}. */
  static final class MultiFailed extends RuntimeException {
    final int index;
    final Code code;

    MultiFailed(int index, Code code) {
      super(null, null, false, false);
      this.index = index;
      this.code = code;
    }
  }

  private final Prepare prepare;

  WritePreparers(Prepare prepare) {
    this.prepare = prepare;
  }

  /** True for the ops that change the tree and so go through prepare and commit. */
  static boolean isWrite(int op) {
    return switch (op) {
      case OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL,
          OpCode.delete, OpCode.setData, OpCode.setACL, OpCode.multi -> true;
      default -> false;
    };
  }

  /**
   * Prepares a write. Returns null for an empty multi (nothing to commit).
   *
   * @throws RequestError if the write cannot be done (not for multi)
   * @throws MultiFailed if an op of a multi cannot be done
   */
  TxnOp prepare(int op, PrepView view, long sessionId, List<Id> ids, Record body) {
    return switch (op) {
      case OpCode.create, OpCode.create2, OpCode.createContainer ->
          prepare.create(view, op, (CreateRequest) body, sessionId, ids);
      case OpCode.createTTL -> prepare.createTtl(view, (CreateTTLRequest) body, sessionId, ids);
      case OpCode.delete -> prepare.delete(view, (DeleteRequest) body, ids);
      case OpCode.setData -> prepare.setData(view, (SetDataRequest) body, ids);
      case OpCode.setACL -> prepare.setAcl(view, (SetACLRequest) body, ids);
      case OpCode.multi -> multi(view, sessionId, ids, (MultiRequest) body);
      default -> throw new IllegalArgumentException("not a write: " + OpCode.name(op));
    };
  }

  private TxnOp multi(PrepView view, long sessionId, List<Id> ids, MultiRequest m) {
    List<TxnOp> ops = new ArrayList<>(m.ops().size());
    for (int i = 0; i < m.ops().size(); i++) {
      MultiRequest.Op op = m.ops().get(i);
      try {
        ops.add(inMulti(view, sessionId, ids, op));
      } catch (RequestError e) {
        throw new MultiFailed(i, e.code());
      }
    }
    return ops.isEmpty() ? null : new TxnOp.Multi(ops);
  }

  private TxnOp inMulti(PrepView view, long sessionId, List<Id> ids, MultiRequest.Op op) {
    Record r = op.request();
    return switch (op.type()) {
      case OpCode.create, OpCode.create2, OpCode.createContainer ->
          prepare.create(view, op.type(), (CreateRequest) r, sessionId, ids);
      case OpCode.createTTL -> prepare.createTtl(view, (CreateTTLRequest) r, sessionId, ids);
      case OpCode.delete -> prepare.delete(view, (DeleteRequest) r, ids);
      case OpCode.setData -> prepare.setData(view, (SetDataRequest) r, ids);
      case OpCode.check -> prepare.check(view, (CheckVersionRequest) r, ids);
      default -> throw new RequestError(Code.BAD_ARGUMENTS, "op " + OpCode.name(op.type())
          + " is not allowed in multi");
    };
  }

  /** The reply to a write whose transaction was applied with these outcomes. */
  static Record reply(int op, Record request, List<OpOutcome> o) {
    return switch (op) {
      case OpCode.create -> new CreateResponse(o.get(0).path());
      case OpCode.create2, OpCode.createContainer, OpCode.createTTL ->
          new Create2Response(o.get(0).path(), o.get(0).stat());
      case OpCode.setData, OpCode.setACL -> new StatResponse(o.get(0).stat());
      case OpCode.multi -> MultiResults.succeeded((MultiRequest) request, o);
      default -> null;
    };
  }
}

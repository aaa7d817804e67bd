package io.roost.core.server;

import io.roost.core.proto.Code;
import io.roost.core.proto.JuteInput;
import io.roost.core.proto.ProtocolException;
import io.roost.core.proto.Record;
import io.roost.core.proto.RequestCodec;
import io.roost.core.session.SessionTracker;
import io.roost.core.txn.TxnOp;
import java.util.function.Consumer;

/**
 * A leader's handling of what its followers forward: writes prepared against the leader's view
 * as if the client were connected here, session creation and close, syncs, and the followers'
 * reports of live sessions. A success travels back as the committed transaction; a failure as a
 * {@link FollowerReply.Rejected}. Single-threaded, on the core's context.
 */
final class FollowerRequests {
  private final SessionTracker tracker;
  private final CoreClock clock;
  private final Proposer proposer;
  private final WritePreparers preparers;

  FollowerRequests(SessionTracker tracker, CoreClock clock, Proposer proposer,
      WritePreparers preparers) {
    this.tracker = tracker;
    this.clock = clock;
    this.proposer = proposer;
    this.preparers = preparers;
  }

  /** Handles one forwarded request; {@code barrier} confirms read indexes for syncs. */
  void handle(LeaderRequest request, Consumer<FollowerReply> reply, ReadBarrier barrier) {
    if (request instanceof LeaderRequest.Touch t) {
      long now = clock.millis();
      for (long id : t.sessionIds()) {
        tracker.touch(id, now);
      }
    } else if (request instanceof LeaderRequest.CreateSession cs) {
      proposer.propose(cs.sessionId(), 0, new TxnOp.CreateSession(cs.timeoutMs(), cs.password()),
          proposer.scratch(), null);
    } else if (request instanceof LeaderRequest.CloseSession cl) {
      tracker.remove(cl.sessionId());
      proposer.propose(cl.sessionId(), cl.cxid(), new TxnOp.CloseSession(),
          proposer.closeScratch(cl.sessionId()), null);
    } else if (request instanceof LeaderRequest.Sync sy) {
      // Confirmed by a quorum, so a follower's sync (and linearizable read) never trusts a
      // leader that was deposed without knowing it.
      long proposed = proposer.lastProposedZxid();
      if (!barrier.confirm(index -> reply.accept(new FollowerReply.Synced(sy.sessionId(),
          sy.cxid(), Math.max(proposed, index))))) {
        reply.accept(new FollowerReply.Rejected(sy.sessionId(), sy.cxid(),
            Code.CONNECTION_LOSS.code(), -1));
      }
    } else if (request instanceof LeaderRequest.Write w) {
      write(w, reply);
    }
  }

  private void write(LeaderRequest.Write w, Consumer<FollowerReply> reply) {
    if (!tracker.touch(w.sessionId(), clock.millis())) {
      reply.accept(rejected(w, Code.SESSION_EXPIRED.code(), -1));
      return;
    }
    Record body;
    try {
      body = RequestCodec.decode(w.op(), new JuteInput(w.body(), 0, w.body().length));
    } catch (ProtocolException e) { // includes an unknown op code
      reply.accept(rejected(w, Code.MARSHALLING_ERROR.code(), -1));
      return;
    }
    if (!WritePreparers.isWrite(w.op())) {
      reply.accept(rejected(w, Code.BAD_ARGUMENTS.code(), -1));
      return;
    }
    PrepView scratch = proposer.scratch();
    TxnOp op;
    try {
      op = preparers.prepare(w.op(), scratch, w.sessionId(), w.ids(), body);
    } catch (RequestError e) {
      reply.accept(rejected(w, e.code().code(), -1));
      return;
    } catch (WritePreparers.MultiFailed e) {
      reply.accept(rejected(w, e.code.code(), e.index));
      return;
    }
    if (op == null) { // an empty multi: the follower answers it itself, this is a stray
      reply.accept(rejected(w, Code.BAD_ARGUMENTS.code(), -1));
      return;
    }
    proposer.propose(w.sessionId(), w.cxid(), op, scratch, null);
  }

  private static FollowerReply.Rejected rejected(LeaderRequest.Write w, int err, int index) {
    return new FollowerReply.Rejected(w.sessionId(), w.cxid(), err, index);
  }
}

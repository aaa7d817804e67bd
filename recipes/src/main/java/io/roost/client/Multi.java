package io.roost.client;

import io.roost.core.proto.CheckVersionRequest;
import io.roost.core.proto.Code;
import io.roost.core.proto.Create2Response;
import io.roost.core.proto.CreateRequest;
import io.roost.core.proto.CreateTTLRequest;
import io.roost.core.proto.DeleteRequest;
import io.roost.core.proto.ErrorResponse;
import io.roost.core.proto.MultiRequest;
import io.roost.core.proto.MultiResponse;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.Record;
import io.roost.core.proto.SetDataRequest;
import io.roost.core.proto.StatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Encodes a multi and reads its answer: the op results, or the failing op's error. */
final class Multi {
  private Multi() {}

  static CompletableFuture<List<OpResult>> send(RoostClient client, List<Op> ops) {
    Namespace ns = client.ns();
    List<MultiRequest.Op> wire = new ArrayList<>(ops.size());
    for (Op op : ops) {
      wire.add(encode(op, ns));
    }
    return client.send(OpCode.multi, ops.isEmpty() ? "/" : ops.get(0).path(),
        new MultiRequest(wire), MultiResponse::read, null).thenCompose(r -> {
          List<OpResult> out = new ArrayList<>(r.results().size());
          for (int i = 0; i < r.results().size(); i++) {
            Record rec = r.results().get(i);
            if (rec instanceof ErrorResponse err && err.err() != 0
                && err.err() != Code.RUNTIME_INCONSISTENCY.code()) {
              return CompletableFuture.failedFuture(RoostException.of(Code.of(err.err()),
                  ops.get(i).path()).atOp(i));
            }
          }
          for (int i = 0; i < r.results().size(); i++) {
            Record rec = r.results().get(i);
            if (rec instanceof Create2Response c) {
              out.add(new OpResult.Created(ns.fromServer(c.path()), c.stat()));
            } else if (rec instanceof io.roost.core.proto.CreateResponse c) {
              out.add(new OpResult.Created(ns.fromServer(c.path()), null));
            } else if (rec instanceof StatResponse st) {
              out.add(new OpResult.DataSet(st.stat()));
            } else if (rec instanceof io.roost.core.proto.OpResult.Delete) {
              out.add(new OpResult.Deleted());
            } else {
              out.add(new OpResult.Checked());
            }
          }
          return CompletableFuture.completedFuture(out);
        });
  }

  private static MultiRequest.Op encode(Op op, Namespace ns) {
    if (op instanceof Op.Create c) {
      c.options().validate();
      String path = ns.toServerForCreate(c.path(), c.options().mode().isSequential());
      int flag = c.options().mode().flag();
      if (c.options().mode().isTtl()) {
        return new MultiRequest.Op(OpCode.createTTL, new CreateTTLRequest(path, c.data(),
            c.options().acl(), flag, c.options().ttlMs()));
      }
      return new MultiRequest.Op(c.options().mode().isContainer() ? OpCode.createContainer
          : OpCode.create2, new CreateRequest(path, c.data(), c.options().acl(), flag));
    } else if (op instanceof Op.Delete d) {
      return new MultiRequest.Op(OpCode.delete, new DeleteRequest(ns.toServer(d.path()),
          d.version()));
    } else if (op instanceof Op.SetData s) {
      return new MultiRequest.Op(OpCode.setData, new SetDataRequest(ns.toServer(s.path()),
          s.data(), s.version()));
    } else {
      Op.Check k = (Op.Check) op;
      return new MultiRequest.Op(OpCode.check, new CheckVersionRequest(ns.toServer(k.path()),
          k.version()));
    }
  }
}

package io.roost.core.server;

import io.roost.core.proto.Code;
import io.roost.core.proto.Create2Response;
import io.roost.core.proto.CreateResponse;
import io.roost.core.proto.ErrorResponse;
import io.roost.core.proto.MultiRequest;
import io.roost.core.proto.MultiResponse;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.OpResult;
import io.roost.core.proto.Record;
import io.roost.core.proto.StatResponse;
import io.roost.core.state.OpOutcome;
import java.util.ArrayList;
import java.util.List;

/** Builds multi replies in ZooKeeper's shape. */
final class MultiResults {
  private MultiResults() {}

  /**
   * The reply of a multi that failed at op {@code failedAt}: earlier ops report 0, the failing op
   * its code, later ops RuntimeInconsistency.
   */
  static MultiResponse failed(int size, int failedAt, Code code) {
    List<Record> results = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int err = i < failedAt ? 0
          : i == failedAt ? code.code() : Code.RUNTIME_INCONSISTENCY.code();
      results.add(new ErrorResponse(err));
    }
    return new MultiResponse(results);
  }

  /** The reply of an applied multi, one result per requested op. */
  static MultiResponse succeeded(MultiRequest m, List<OpOutcome> outcomes) {
    List<Record> results = new ArrayList<>(outcomes.size());
    for (int i = 0; i < m.ops().size(); i++) {
      OpOutcome o = outcomes.get(i);
      results.add(switch (m.ops().get(i).type()) {
        case OpCode.create -> new CreateResponse(o.path());
        case OpCode.create2, OpCode.createContainer, OpCode.createTTL ->
            new Create2Response(o.path(), o.stat());
        case OpCode.delete -> new OpResult.Delete();
        case OpCode.setData -> new StatResponse(o.stat());
        case OpCode.check -> new OpResult.Check();
        default -> throw new IllegalStateException("op " + m.ops().get(i).type() + " in multi");
      });
    }
    return new MultiResponse(results);
  }
}

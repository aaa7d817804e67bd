package io.roost.bench.jmh;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Id;
import io.roost.core.proto.Perms;
import io.roost.core.state.OpOutcome;
import io.roost.core.state.StateMachine;
import io.roost.core.tree.ChangeSink;
import io.roost.core.tree.DataNode;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link StateMachine#apply} on a tree of {@code nodes} nodes of 100 bytes under one parent: a
 * setData transaction (on the nodes in turn), and a create transaction followed by the delete of
 * the same node, so the tree keeps its size however long JMH runs. Events go to a sink that
 * ignores them, as at replay; the watch path is not in these figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ApplyBench {
  private static final String PARENT = "/bench";
  private static final long SESSION = 0x1000001L;
  private static final long TIME = 1_700_000_000_000L;
  private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

  /** How many nodes the tree holds. */
  @Param("100000")
  public int nodes;

  private StateMachine state;
  private byte[] data;
  private String[] paths;
  private long zxid;
  private int next;
  private int version;
  private DataNode parent;

  /** Loads the tree through apply, as replay at start-up would. */
  @Setup(Level.Trial)
  public void load() {
    state = new StateMachine();
    data = new byte[100];
    Arrays.fill(data, (byte) 'x');
    paths = new String[nodes];
    int rootCversion = state.tree().get("/").cversion();
    apply(new TxnOp.Create(PARENT, new byte[0], OPEN, 0, rootCversion + 1));
    parent = state.tree().get(PARENT);
    for (int i = 0; i < nodes; i++) {
      paths[i] = PARENT + "/n" + i;
      apply(new TxnOp.Create(paths[i], data, OPEN, 0, parent.cversion() + 1));
    }
  }

  private List<OpOutcome> apply(TxnOp op) {
    return state.apply(new Transaction(SESSION, 1, ++zxid, TIME, op), ChangeSink.NONE);
  }

  /** One setData transaction on an existing node (the next one in turn). */
  @Benchmark
  public List<OpOutcome> setData() {
    String path = paths[next];
    next = next + 1 == nodes ? 0 : next + 1;
    // The leader puts the node's next version into the transaction; apply does not check it.
    return apply(new TxnOp.SetData(path, data, ++version));
  }

  /** A create transaction of a new node under the parent, then its delete (two applies). */
  @Benchmark
  public List<OpOutcome> createThenDelete() {
    String path = PARENT + "/new";
    apply(new TxnOp.Create(path, data, OPEN, 0, parent.cversion() + 1));
    return apply(new TxnOp.Delete(path));
  }
}

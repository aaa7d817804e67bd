package io.roost.core.server;

import io.roost.core.txn.Transaction;
import java.util.function.Consumer;

/**
 * Where a prepared transaction goes to become committed: the seam between request processing and
 * durability/consensus. Standalone in-memory commits at once; the storage issue makes it "append,
 * fsync on a worker, then commit"; the replication issue makes it "propose to the quorum".
 * Implementations call {@code commit} on the core's thread, once per transaction, in zxid order.
 */
@FunctionalInterface
public interface Replicator {
  /** Commits every transaction immediately, in memory. */
  Replicator IN_MEMORY = (txn, commit) -> commit.accept(txn);

  /** Hands over a prepared transaction; {@code commit} runs once it is committed. */
  void propose(Transaction txn, Consumer<Transaction> commit);
}

package io.roost.recipes.lock;

import java.util.List;

/**
 * Decides, from the sorted contenders of a lock path, whether a contender holds the lock, and if
 * not what it must watch before asking again. Locks, read/write locks, semaphores and leader
 * election differ only in this rule.
 */
interface LockRule {
  /**
   * The outcome for one contender.
   *
   * @param acquired whether the contender holds the lock
   * @param watchNode the node to wait on, or null
   * @param watchChildren whether to wait on the child list instead
   * @param decisive whether {@code watchNode} is the only contender standing in the way, so that
   *     its deletion alone means the lock is held: contenders only ever join behind existing ones
   *     (sequence numbers grow), so nothing can step in ahead once it is gone. Saves the re-read of
   *     the child list on the hand-off path.
   */
  record Decision(boolean acquired, String watchNode, boolean watchChildren, boolean decisive) {
    static final Decision ACQUIRED = new Decision(true, null, false, false);
    static final Decision WATCH_CHILDREN = new Decision(false, null, true, false);

    static Decision watch(String node, boolean decisive) {
      return new Decision(false, node, false, decisive);
    }
  }

  /**
   * @param sorted the contenders' node names, in creation order
   * @param ours the index of this contender among them
   */
  Decision decide(List<String> sorted, int ours);

  /** One holder at a time: the first contender; the others each watch the one before them. */
  LockRule MUTEX = (sorted, ours) -> ours == 0 ? Decision.ACQUIRED
      : Decision.watch(sorted.get(ours - 1), ours == 1);

  /** {@code leases} holders at a time; waiters watch the child list (any release may free one). */
  static LockRule semaphore(int leases) {
    return (sorted, ours) -> ours < leases ? Decision.ACQUIRED : Decision.WATCH_CHILDREN;
  }

  /** Readers share: a reader holds unless a writer came before it; then it watches that writer. */
  LockRule READ = (sorted, ours) -> {
    for (int i = ours - 1; i >= 0; i--) {
      if (ReadWriteLock.isWriter(sorted.get(i))) {
        boolean onlyWriterAhead = true;
        for (int j = i - 1; j >= 0 && onlyWriterAhead; j--) {
          onlyWriterAhead = !ReadWriteLock.isWriter(sorted.get(j));
        }
        return Decision.watch(sorted.get(i), onlyWriterAhead);
      }
    }
    return Decision.ACQUIRED;
  };
}

package io.roost.recipes.lock;

import java.util.List;

/**
 * Decides, from the sorted contenders of a lock path, whether a contender holds the lock, and if
 * not what it must watch before asking again. Locks, read/write locks, semaphores and leader
 * election differ only in this rule.
 */
interface LockRule {
  /** The outcome for one contender. */
  record Decision(boolean acquired, String watchNode, boolean watchChildren) {
    static final Decision ACQUIRED = new Decision(true, null, false);
    static final Decision WATCH_CHILDREN = new Decision(false, null, true);

    static Decision watch(String node) {
      return new Decision(false, node, false);
    }
  }

  /**
   * @param sorted the contenders' node names, in creation order
   * @param ours the index of this contender among them
   */
  Decision decide(List<String> sorted, int ours);

  /** One holder at a time: the first contender; the others each watch the one before them. */
  LockRule MUTEX = (sorted, ours) -> ours == 0 ? Decision.ACQUIRED
      : Decision.watch(sorted.get(ours - 1));

  /** {@code leases} holders at a time; waiters watch the child list (any release may free one). */
  static LockRule semaphore(int leases) {
    return (sorted, ours) -> ours < leases ? Decision.ACQUIRED : Decision.WATCH_CHILDREN;
  }

  /** Readers share: a reader holds unless a writer came before it; then it watches that writer. */
  LockRule READ = (sorted, ours) -> {
    for (int i = ours - 1; i >= 0; i--) {
      if (ReadWriteLock.isWriter(sorted.get(i))) {
        return Decision.watch(sorted.get(i));
      }
    }
    return Decision.ACQUIRED;
  };
}

package io.roost.core.server;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Work that waits until this server has applied up to a zxid: a linearizable read whose index
 * is confirmed but not applied here yet. Single-threaded, on the core's context.
 */
final class AppliedWaiters {
  private final TreeMap<Long, List<Runnable>> waiting = new TreeMap<>();

  /** Runs {@code then} now if {@code zxid} is applied, else once it is. */
  void whenApplied(long zxid, long applied, Runnable then) {
    if (zxid <= applied) {
      then.run();
    } else {
      waiting.computeIfAbsent(zxid, z -> new ArrayList<>()).add(then);
    }
  }

  /** Everything up to {@code applied} is applied: runs what waited for it, in zxid order. */
  void applied(long applied) {
    while (!waiting.isEmpty() && waiting.firstKey() <= applied) {
      for (Runnable r : waiting.pollFirstEntry().getValue()) {
        r.run();
      }
    }
  }

  /** Forgets everything waiting (the role changed; the connections waiting are closed). */
  void clear() {
    waiting.clear();
  }
}

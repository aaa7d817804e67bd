package io.roost.samples;

import io.roost.client.BlockingRoostClient;
import io.roost.client.CreateOptions;
import io.roost.client.NodeData;
import io.roost.client.Op;
import io.roost.client.RoostClient;
import io.roost.recipes.lock.Lease;
import io.roost.recipes.lock.Mutex;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Several processes increment one shared counter node under a {@link Mutex}: a read, then a
 * guarded write of the value plus one. Run a few at once; the counter ends at the sum of their
 * increments, because only the lock holder reads and writes.
 */
final class LockDemo {
  static final String COUNTER = "/lock-demo/counter";
  static final String LOCK = "/lock-demo/lock";

  private LockDemo() {}

  public static void main(String[] args) {
    Args a = new Args(args, 0);
    int increments = a.getInt("increments", 100);
    String id = a.get("id", "demo-" + ProcessHandle.current().pid());
    try (RoostClient client = RoostClient.builder()
        .connectString(a.get("connect", "127.0.0.1:2181")).build()) {
      client.start().toCompletableFuture().join();
      BlockingRoostClient b = client.blocking();
      b.createIfAbsent(COUNTER, "0".getBytes(StandardCharsets.UTF_8), CreateOptions.persistent()
          .withParents(true));
      Mutex mutex = new Mutex(client, LOCK);
      for (int i = 0; i < increments; i++) {
        Lease lease = b.await(mutex.acquire());
        try {
          NodeData d = b.getData(COUNTER);
          long value = Long.parseLong(new String(d.data(), StandardCharsets.UTF_8));
          b.await(lease.guardedWrite(List.of(Op.setData(COUNTER,
              Long.toString(value + 1).getBytes(StandardCharsets.UTF_8), d.stat().version()))));
        } finally {
          b.await(mutex.release(lease));
        }
      }
      String end = new String(b.getData(COUNTER).data(), StandardCharsets.UTF_8);
      System.out.println(id + " did " + increments + " increments; the counter is now " + end);
    }
  }
}

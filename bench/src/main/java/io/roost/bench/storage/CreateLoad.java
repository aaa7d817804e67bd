package io.roost.bench.storage;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Creates many nodes as fast as the server takes them: asynchronous creates spread round-robin
 * over several clients, each with a bounded number in flight, issued from the calling thread.
 * Stops at the first failed create and reports it.
 */
public final class CreateLoad {
  /**
   * What a load did.
   *
   * @param created nodes created
   * @param nanos from the first create sent to the last reply
   * @param lastPath the node with the highest creation zxid: the one the server created last
   * @param lastZxid its creation zxid
   */
  public record Result(long created, long nanos, String lastPath, long lastZxid) {
    /** Creates per second. */
    public double perSecond() {
      return nanos == 0 ? 0 : created * 1e9 / nanos;
    }
  }

  private final List<ZooKeeper> clients;
  private final int inFlightPerClient;
  private final Duration stallTimeout;

  /**
   * @param clients connected clients to spread the creates over
   * @param inFlightPerClient creates each client may have waiting for a reply
   * @param stallTimeout the longest wait for any one reply before the load is given up
   */
  public CreateLoad(List<ZooKeeper> clients, int inFlightPerClient, Duration stallTimeout) {
    if (clients.isEmpty() || inFlightPerClient < 1) {
      throw new IllegalArgumentException("need at least one client and one request in flight");
    }
    this.clients = List.copyOf(clients);
    this.inFlightPerClient = inFlightPerClient;
    this.stallTimeout = stallTimeout;
  }

  /**
   * Creates nodes {@code 0..count-1}, persistent, open ACL, all with {@code data}, and waits for
   * every reply.
   *
   * @param count how many
   * @param path the path of node {@code i}; its parent must exist
   * @param data each node's data
   * @throws IllegalStateException if a create fails or no reply comes within the stall timeout
   */
  public Result run(int count, IntFunction<String> path, byte[] data)
      throws InterruptedException {
    int k = clients.size();
    Semaphore[] permits = new Semaphore[k];
    // Written on each client's own event thread, read here after its permits are all back.
    long[] lastZxid = new long[k];
    String[] lastPath = new String[k];
    for (int c = 0; c < k; c++) {
      permits[c] = new Semaphore(inFlightPerClient);
      lastZxid[c] = -1;
    }
    AtomicReference<Exception> failure = new AtomicReference<>();
    long started = System.nanoTime();
    for (int i = 0; i < count && failure.get() == null; i++) {
      int c = i % k;
      acquire(permits[c], 1, failure);
      if (failure.get() != null) {
        break;
      }
      clients.get(c).create(path.apply(i), data, ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT, (rc, p, ctx, name, stat) -> {
            if (rc != KeeperException.Code.OK.intValue()) {
              failure.compareAndSet(null,
                  KeeperException.create(KeeperException.Code.get(rc), p));
            } else if (stat.getCzxid() > lastZxid[c]) {
              lastZxid[c] = stat.getCzxid();
              lastPath[c] = name;
            }
            permits[c].release();
          }, null);
    }
    for (int c = 0; c < k; c++) {
      acquire(permits[c], inFlightPerClient, failure);
    }
    long nanos = System.nanoTime() - started;
    if (failure.get() != null) {
      throw new IllegalStateException("loading stopped: " + failure.get().getMessage(),
          failure.get());
    }
    int newest = 0;
    for (int c = 1; c < k; c++) {
      if (lastZxid[c] > lastZxid[newest]) {
        newest = c;
      }
    }
    return new Result(count, nanos, lastPath[newest], lastZxid[newest]);
  }

  private void acquire(Semaphore permits, int n, AtomicReference<Exception> failure)
      throws InterruptedException {
    if (!permits.tryAcquire(n, stallTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      failure.compareAndSet(null, new IllegalStateException(
          "no reply to a create within " + stallTimeout + "; is the server stuck?"));
    }
  }
}

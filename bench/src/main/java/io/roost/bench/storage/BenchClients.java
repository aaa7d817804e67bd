package io.roost.bench.storage;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Official ZooKeeper clients, connected before they are handed out. */
public final class BenchClients {
  /** Long enough that a GC pause or a snapshot stall never expires a session. */
  public static final int SESSION_TIMEOUT_MS = 30_000;
  /** How long {@link #close} waits for a client's threads. */
  private static final int CLOSE_WAIT_MS = 5_000;

  private BenchClients() {}

  /**
   * A client connected to {@code connectString}.
   *
   * @throws IllegalStateException if it is not connected within {@code wait}
   */
  public static ZooKeeper connect(String connectString, Duration wait)
      throws IOException, InterruptedException {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(connectString, SESSION_TIMEOUT_MS, event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    if (!connected.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      zk.close(CLOSE_WAIT_MS);
      throw new IllegalStateException("no connection to " + connectString + " within " + wait);
    }
    return zk;
  }

  /** Closes a client (ends its session), waiting a bounded time; null is ignored. */
  public static void close(ZooKeeper zk) {
    if (zk == null) {
      return;
    }
    try {
      zk.close(CLOSE_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

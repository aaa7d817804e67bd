package io.roost.server.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Official ZooKeeper clients connected and ready, for tests. */
public final class ZkClients {
  private ZkClients() {}

  /** A client whose default watcher records every event into {@code events} (may be null). */
  public static ZooKeeper connect(String connectString, int sessionTimeoutMs,
      BlockingQueue<WatchedEvent> events) throws Exception {
    AtomicBoolean connected = new AtomicBoolean();
    Watcher watcher = e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.set(true);
      }
      if (events != null) {
        events.add(e);
      }
    };
    ZooKeeper zk = new ZooKeeper(connectString, sessionTimeoutMs, watcher);
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .atMost(Duration.ofSeconds(15))
        .untilTrue(connected);
    return zk;
  }

  /** A connected client that ignores its default watcher's events. */
  public static ZooKeeper connect(String connectString) throws Exception {
    return connect(connectString, 15_000, null);
  }

  /** A fresh event queue. */
  public static BlockingQueue<WatchedEvent> events() {
    return new LinkedBlockingQueue<>();
  }
}

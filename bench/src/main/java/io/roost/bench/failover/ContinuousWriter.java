package io.roost.bench.failover;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * One official ZooKeeper client that writes without pause on its own thread: a synchronous
 * {@code setData} of one node, the next as soon as the last returns, so every acknowledgement
 * time is exact and no write waits behind another. A failed write is counted and retried at
 * once, or as soon as the client is connected again when the connection was lost; an expired
 * session is replaced by a new client.
 *
 * <p>Every acknowledged write is kept (when it was sent and when it was acknowledged, on the
 * {@link System#nanoTime()} clock) so that the benchmark can ask, from its own thread, when the
 * first write sent after a kill came back. Failed writes keep their time too.
 */
public final class ContinuousWriter implements AutoCloseable {
  /** How long the writer waits for a connection before it tries a write anyway. */
  private static final long RECONNECT_WAIT_MS = 100;
  private static final int CLOSE_WAIT_MS = 5_000;
  /** The pause after a failed write while the client still counts as connected. */
  private static final long FAILURE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final String connectString;
  private final int sessionTimeoutMs;
  private final String path;
  private final byte[] data;
  private final long[] sentAt;
  private final long[] ackedAt;
  /** How many of sentAt/ackedAt are filled; written after the arrays (publishes them). */
  private final AtomicInteger acks = new AtomicInteger();
  private final long[] failedAt;
  private final AtomicInteger failures = new AtomicInteger();
  private final Map<String, LongAdder> failuresByKind = new ConcurrentHashMap<>();
  private final AtomicLong sessions = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition connectedChanged = lock.newCondition();
  private volatile boolean connected;
  private volatile boolean stopping;
  private volatile Throwable fatal;
  private volatile RemoteAwareZooKeeper client;
  private Thread thread;

  /**
   * @param connectString every server of the ensemble
   * @param sessionTimeoutMs the session timeout the client asks for
   * @param path the node written, created if missing
   * @param data what each write sets
   * @param capacity how many acknowledged (and, separately, failed) writes can be kept
   */
  public ContinuousWriter(String connectString, int sessionTimeoutMs, String path, byte[] data,
      int capacity) {
    this.connectString = connectString;
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.path = path;
    this.data = data.clone();
    this.sentAt = new long[capacity];
    this.ackedAt = new long[capacity];
    this.failedAt = new long[capacity];
  }

  /**
   * Connects, creates the node if missing and starts writing.
   *
   * @throws IllegalStateException if no connection comes within {@code connectWait}
   */
  public void start(Duration connectWait) throws IOException, InterruptedException, KeeperException {
    client = connect(connectWait);
    try {
      client.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } catch (KeeperException.NodeExistsException e) {
      // written by an earlier run on the same data
    }
    thread = new Thread(this::writeLoop, "failover-writer");
    thread.setDaemon(true);
    thread.start();
  }

  private RemoteAwareZooKeeper connect(Duration wait) throws IOException, InterruptedException {
    connected = false;
    // Events of a replaced client (its Closed event, say) must not touch the new one's state.
    long generation = sessions.incrementAndGet();
    RemoteAwareZooKeeper zk = new RemoteAwareZooKeeper(connectString, sessionTimeoutMs, event -> {
      Watcher.Event.KeeperState state = event.getState();
      if (event.getType() == Watcher.Event.EventType.None && sessions.get() == generation) {
        lock.lock();
        try {
          connected = state == Watcher.Event.KeeperState.SyncConnected;
          connectedChanged.signalAll();
        } finally {
          lock.unlock();
        }
      }
    });
    if (!awaitConnected(wait.toMillis())) {
      zk.close(CLOSE_WAIT_MS);
      throw new IllegalStateException("the writer got no connection to " + connectString
          + " within " + wait);
    }
    return zk;
  }

  private boolean awaitConnected(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    lock.lock();
    try {
      while (!connected && !stopping) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        connectedChanged.awaitNanos(left);
      }
      return connected;
    } finally {
      lock.unlock();
    }
  }

  private void writeLoop() {
    try {
      while (!stopping) {
        long sent = System.nanoTime();
        try {
          client.setData(path, data, -1);
          recordAck(sent, System.nanoTime());
        } catch (KeeperException.SessionExpiredException e) {
          recordFailure(e);
          RemoteAwareZooKeeper old = client;
          old.close(CLOSE_WAIT_MS);
          client = connect(Duration.ofMillis(sessionTimeoutMs));
        } catch (KeeperException e) {
          recordFailure(e);
          if (!connected) {
            awaitConnected(RECONNECT_WAIT_MS);
          } else {
            // Connected yet failing (a server that refuses writes): do not spin.
            LockSupport.parkNanos(FAILURE_PAUSE_NANOS);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | IOException | Error e) {
      fatal = e;
    }
  }

  private void recordAck(long sent, long acked) {
    int i = acks.get();
    if (i >= sentAt.length) {
      throw new IllegalStateException("the writer's record of " + sentAt.length
          + " writes is full; the run is longer than it was sized for");
    }
    sentAt[i] = sent;
    ackedAt[i] = acked;
    acks.set(i + 1);
  }

  private void recordFailure(KeeperException e) {
    failuresByKind.computeIfAbsent(e.code().name(), k -> new LongAdder()).increment();
    int i = failures.get();
    if (i < failedAt.length) {
      failedAt[i] = System.nanoTime();
      failures.set(i + 1);
    }
  }

  /** Throws what stopped the writer thread, if anything did. */
  public void checkAlive() {
    Throwable t = fatal;
    if (t != null) {
      throw new IllegalStateException("the writer stopped: " + t, t);
    }
  }

  /** Acknowledged writes so far. */
  int acknowledged() {
    return acks.get();
  }

  /** Failed writes so far, by {@link KeeperException.Code} name. */
  Map<String, Long> failuresByKind() {
    Map<String, Long> out = new TreeMap<>();
    failuresByKind.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** How many sessions the writer has opened (more than 1 means a session expired). */
  long sessions() {
    return sessions.get();
  }

  /**
   * The acknowledgement time of the first write sent at or after {@code nanos}, or empty if none
   * has come back yet.
   */
  OptionalLong firstAckOfWriteSentFrom(long nanos) {
    int n = acks.get();
    int i = firstIndexSentFrom(nanos, n);
    return i < n ? OptionalLong.of(ackedAt[i]) : OptionalLong.empty();
  }

  /** The latest acknowledgement before {@code nanos}, or empty if there is none. */
  OptionalLong lastAckBefore(long nanos) {
    int n = acks.get();
    // Acks come in order (one write at a time), so the last one before nanos is found by search.
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ackedAt[mid] < nanos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo == 0 ? OptionalLong.empty() : OptionalLong.of(ackedAt[lo - 1]);
  }

  /** Writes acknowledged in [{@code from}, {@code to}). */
  int acknowledgedBetween(long from, long to) {
    int n = acks.get();
    int count = 0;
    for (int i = firstIndexSentFrom(from, n); i < n && ackedAt[i] < to; i++) {
      count++;
    }
    return count;
  }

  /** Writes that failed in [{@code from}, {@code to}). */
  int failedBetween(long from, long to) {
    int n = failures.get();
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (failedAt[i] >= from && failedAt[i] < to) {
        count++;
      }
    }
    return count;
  }

  private int firstIndexSentFrom(long nanos, int n) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sentAt[mid] < nanos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The client port of the server the writer is connected to now, or -1 when it is not. */
  int connectedPort() {
    RemoteAwareZooKeeper zk = client;
    SocketAddress remote = zk == null || !connected ? null : zk.remote();
    return remote instanceof InetSocketAddress inet ? inet.getPort() : -1;
  }

  /**
   * Stops writing, waits (bounded) for the last write and closes the client. Idempotent; if
   * interrupted, it stops waiting and keeps the interrupt.
   */
  @Override
  public void close() {
    stopping = true;
    lock.lock();
    try {
      connectedChanged.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      if (thread != null) {
        thread.join(sessionTimeoutMs);
      }
      RemoteAwareZooKeeper zk = client;
      if (zk != null) {
        zk.close(CLOSE_WAIT_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The official client, with the server it is connected to made visible. */
  @SuppressWarnings("try") // ZooKeeper.close() may throw InterruptedException; not ours to change
  private static final class RemoteAwareZooKeeper extends ZooKeeper {
    RemoteAwareZooKeeper(String connectString, int sessionTimeoutMs, Watcher watcher)
        throws IOException {
      super(connectString, sessionTimeoutMs, watcher);
    }

    SocketAddress remote() {
      return testableRemoteSocketAddress();
    }
  }
}

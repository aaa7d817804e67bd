package io.roost.bench.compare;

import io.roost.bench.stats.LatencyHistogram;
import io.roost.client.RoostClient;
import io.roost.recipes.lock.Mutex;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryNTimes;

/**
 * Lock hand-offs: N contenders, each with its own session, take and release one lock in a loop
 * for a fixed window; a hand-off is one acquisition. Roost runs Roost's {@link Mutex} on its own
 * client; ZooKeeper runs Curator's {@link InterProcessMutex}. The latency of a hand-off is from
 * the acquisition's call to the lock being held (waiting in line included).
 */
final class LockHandoffs {
  private static final Duration CONNECT_WAIT = Duration.ofSeconds(30);
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(60);
  private static final int SESSION_TIMEOUT_MS = Workloads.SESSION_TIMEOUT_MS;

  private LockHandoffs() {}

  /** Roost's mutex on Roost. */
  static Measurement roost(String connectString, int contenders, Duration window)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    List<RoostClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < contenders; i++) {
        RoostClient c = RoostClient.builder().connectString(connectString).vertx(vertx)
            .sessionTimeout(Duration.ofMillis(SESSION_TIMEOUT_MS)).build();
        clients.add(c);
        c.start().toCompletableFuture().get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      long start = System.nanoTime();
      long end = start + window.toNanos();
      CountDownLatch stopped = new CountDownLatch(contenders);
      RoostContender[] all = new RoostContender[contenders];
      for (int i = 0; i < contenders; i++) {
        all[i] = new RoostContender(new Mutex(clients.get(i), Workloads.LOCK_PATH), start, end,
            stopped);
        all[i].next();
      }
      if (!stopped.await(window.plus(DRAIN_WAIT).toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("Roost lock contenders still busy "
            + DRAIN_WAIT.toSeconds() + " s after the window");
      }
      LatencyHistogram h = new LatencyHistogram();
      long count = 0;
      long errors = 0;
      for (RoostContender c : all) {
        h.add(c.latencies);
        count += c.handoffs;
        errors += c.errors;
      }
      return new Measurement(count, errors, window.toNanos() / 1e9, h);
    } finally {
      for (RoostClient c : clients) {
        c.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** One Roost contender: acquire, count, release, again, until the window ends. */
  private static final class RoostContender {
    private final Mutex mutex;
    private final long start;
    private final long end;
    private final CountDownLatch stopped;
    private final LatencyHistogram latencies = new LatencyHistogram();
    // Written and read by one chain of completions at a time, then read after the latch.
    private long handoffs;
    private long errors;

    RoostContender(Mutex mutex, long start, long end, CountDownLatch stopped) {
      this.mutex = mutex;
      this.start = start;
      this.end = end;
      this.stopped = stopped;
    }

    void next() {
      long asked = System.nanoTime();
      if (asked >= end) {
        stopped.countDown();
        return;
      }
      mutex.acquire().thenCompose(lease -> {
        long held = System.nanoTime();
        if (held >= start && held < end) {
          handoffs++;
          latencies.record(held - asked);
        }
        return mutex.release(lease);
      }).whenComplete((v, e) -> {
        if (e != null) {
          errors++;
        }
        next();
      });
    }
  }

  /** Curator's InterProcessMutex on ZooKeeper, one thread per contender. */
  static Measurement curator(String connectString, int contenders, Duration window)
      throws Exception {
    List<CuratorFramework> clients = new ArrayList<>();
    try {
      for (int i = 0; i < contenders; i++) {
        CuratorFramework c = CuratorFrameworkFactory.newClient(connectString, SESSION_TIMEOUT_MS,
            (int) CONNECT_WAIT.toMillis(), new RetryNTimes(3, 100));
        clients.add(c);
        c.start();
        if (!c.blockUntilConnected((int) CONNECT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("Curator client not connected to " + connectString
              + " within " + CONNECT_WAIT.toSeconds() + " s");
        }
      }
      long start = System.nanoTime();
      long end = start + window.toNanos();
      AtomicLong count = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      LatencyHistogram[] latencies = new LatencyHistogram[contenders];
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < contenders; i++) {
        InterProcessMutex mutex = new InterProcessMutex(clients.get(i), Workloads.LOCK_PATH);
        LatencyHistogram h = new LatencyHistogram();
        latencies[i] = h;
        Thread t = new Thread(() -> {
          while (System.nanoTime() < end) {
            long asked = System.nanoTime();
            try {
              if (mutex.acquire(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                long held = System.nanoTime();
                if (held < end) {
                  count.incrementAndGet();
                  h.record(held - asked);
                }
                mutex.release();
              } else {
                errors.incrementAndGet();
              }
            } catch (Exception e) {
              errors.incrementAndGet();
            }
          }
        }, "curator-contender-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      long deadline = end + DRAIN_WAIT.toNanos();
      for (Thread t : threads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (t.isAlive()) {
          throw new IllegalStateException(t.getName() + " still busy " + DRAIN_WAIT.toSeconds()
              + " s after the window");
        }
      }
      LatencyHistogram all = new LatencyHistogram();
      for (LatencyHistogram h : latencies) {
        all.add(h);
      }
      return new Measurement(count.get(), errors.get(), window.toNanos() / 1e9, all);
    } finally {
      for (CuratorFramework c : clients) {
        c.close();
      }
    }
  }
}

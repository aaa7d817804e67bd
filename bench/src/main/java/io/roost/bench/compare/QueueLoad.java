package io.roost.bench.compare;

import io.roost.bench.stats.LatencyHistogram;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * A distributed queue on plain sequential nodes, the same on both systems (Roost has no queue
 * recipe yet, so neither side uses one): producers create persistent sequential nodes under
 * {@link Workloads#QUEUE_PATH}, at most {@link #BACKLOG} waiting; each consumer lists the queue,
 * sorts it and takes its share of the head (every {@code consumers}-th item from its own offset,
 * at most {@link #BATCH} per listing): getData, then delete. A take that finds its item gone (a
 * race with another consumer) counts as a miss, not an error. Throughput is takes per second;
 * a take's latency runs from its getData to its delete's reply.
 */
final class QueueLoad {
  static final int PRODUCERS = 4;
  static final int CONSUMERS = 4;
  /** Creates in flight per producer. */
  static final int PRODUCER_IN_FLIGHT = 16;
  /** Most items waiting in the queue. */
  static final int BACKLOG = 2_000;
  /** Most takes per consumer per listing. */
  static final int BATCH = 64;
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(60);

  private QueueLoad() {}

  /**
   * Runs producers and consumers for {@code window}.
   *
   * @param producers the producers' sessions
   * @param consumers the consumers' sessions
   */
  static Measurement run(List<ZooKeeper> producers, List<ZooKeeper> consumers, Duration window)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + window.toNanos();
    Semaphore backlog = new Semaphore(BACKLOG);
    AtomicLong errors = new AtomicLong();
    AtomicLong takes = new AtomicLong();
    byte[] payload = Workloads.payload();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers.size(); p++) {
      ZooKeeper zk = producers.get(p);
      threads.add(new Thread(() -> produce(zk, end, backlog, payload, errors), "queue-put-" + p));
    }
    LatencyHistogram[] latencies = new LatencyHistogram[consumers.size()];
    for (int c = 0; c < consumers.size(); c++) {
      ZooKeeper zk = consumers.get(c);
      LatencyHistogram h = new LatencyHistogram();
      latencies[c] = h;
      int offset = c;
      threads.add(new Thread(() -> consume(zk, offset, consumers.size(), start, end, backlog,
          takes, errors, h), "queue-take-" + c));
    }
    threads.forEach(Thread::start);
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
    return new Measurement(takes.get(), errors.get(), window.toNanos() / 1e9, all);
  }

  private static void produce(ZooKeeper zk, long end, Semaphore backlog, byte[] payload,
      AtomicLong errors) {
    Semaphore inFlight = new Semaphore(PRODUCER_IN_FLIGHT);
    try {
      while (System.nanoTime() < end) {
        if (!backlog.tryAcquire(10, TimeUnit.MILLISECONDS)) {
          continue;
        }
        if (!inFlight.tryAcquire(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          errors.incrementAndGet();
          return;
        }
        zk.create(Workloads.QUEUE_PATH + "/q-", payload, ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT_SEQUENTIAL, (rc, path, ctx, name) -> {
              inFlight.release();
              if (rc != KeeperException.Code.OK.intValue()) {
                errors.incrementAndGet();
                backlog.release();
              }
            }, null);
      }
      // Let the creates in flight finish before the sessions close.
      inFlight.tryAcquire(PRODUCER_IN_FLIGHT, DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void consume(ZooKeeper zk, int offset, int consumers, long start, long end,
      Semaphore backlog, AtomicLong takes, AtomicLong errors, LatencyHistogram latencies) {
    try {
      while (System.nanoTime() < end) {
        List<String> children;
        try {
          children = new ArrayList<>(zk.getChildren(Workloads.QUEUE_PATH, false));
        } catch (KeeperException e) {
          errors.incrementAndGet();
          continue;
        }
        if (children.size() <= offset) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
          continue;
        }
        // Sequence numbers have the same width, so the names sort in queue order.
        Collections.sort(children);
        List<String> mine = new ArrayList<>();
        for (int i = offset; i < children.size() && mine.size() < BATCH; i += consumers) {
          mine.add(Workloads.QUEUE_PATH + "/" + children.get(i));
        }
        CountDownLatch done = new CountDownLatch(mine.size());
        for (String path : mine) {
          long sent = System.nanoTime();
          zk.getData(path, false, (rc, p, ctx, data, stat) -> {
            if (rc != KeeperException.Code.OK.intValue()) {
              done.countDown(); // taken by another consumer: a miss
              return;
            }
            zk.delete(path, -1, (rc2, p2, ctx2) -> {
              long now = System.nanoTime();
              if (rc2 == KeeperException.Code.OK.intValue()) {
                backlog.release();
                if (now >= start && now < end) {
                  takes.incrementAndGet();
                  latencies.record(now - sent);
                }
              } else if (rc2 != KeeperException.Code.NONODE.intValue()) {
                errors.incrementAndGet();
              }
              done.countDown();
            }, null);
          }, null);
        }
        if (!done.await(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          errors.incrementAndGet();
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

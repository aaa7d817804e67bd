package io.roost.bench.compare;

import io.roost.bench.stats.LatencyHistogram;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

/**
 * A closed-loop load over the official client's asynchronous API: every client keeps a fixed
 * number of requests in flight, each completion sending the next one from the client's event
 * thread, until the window ends. Latency runs from just before the call to the callback
 * ({@link System#nanoTime()}). Only completions inside the window count.
 *
 * <p>Each client's counters and histogram are touched by its own event thread only (the official
 * client runs every callback of a session on one thread); the caller reads them after a latch.
 */
final class ClosedLoop {
  /** One asynchronous request. */
  @FunctionalInterface
  interface Request {
    /**
     * Sends one request on {@code zk}; {@code done} must be called exactly once with the
     * result code ({@code 0} for success).
     *
     * @param client the client's index
     * @param random the client's own random source (use from the callback thread only)
     */
    void send(ZooKeeper zk, int client, SplittableRandom random, Done done);
  }

  /** The end of one request. */
  @FunctionalInterface
  interface Done {
    /** Called from the client's event thread with the request's result code. */
    void done(int rc);
  }

  /** How long, past the window, the requests still in flight get to complete. */
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(60);

  private ClosedLoop() {}

  /**
   * Runs the load.
   *
   * @param clients connected clients
   * @param inFlight requests each client keeps in flight
   * @param window how long the load runs and is measured
   * @param request what each request does
   * @param seed seeds the clients' random sources
   * @throws IllegalStateException if the requests in flight do not complete within a minute of
   *     the window's end
   */
  static Measurement run(List<ZooKeeper> clients, int inFlight, Duration window, Request request,
      long seed) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + window.toNanos();
    CountDownLatch drained = new CountDownLatch(clients.size());
    Lane[] lanes = new Lane[clients.size()];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane(clients.get(i), i, new SplittableRandom(seed + i), request, start, end,
          inFlight, drained);
    }
    for (Lane lane : lanes) {
      for (int k = 0; k < inFlight; k++) {
        lane.send();
      }
    }
    if (!drained.await(window.plus(DRAIN_WAIT).toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("requests still in flight " + DRAIN_WAIT.toSeconds()
          + " s after the end of the load; the system under test stopped answering");
    }
    LatencyHistogram all = new LatencyHistogram();
    long completions = 0;
    long errors = 0;
    for (Lane lane : lanes) {
      all.add(lane.latencies);
      completions += lane.completions;
      errors += lane.errors;
    }
    return new Measurement(completions, errors, window.toNanos() / 1e9, all);
  }

  /** One client's part of the load. */
  private static final class Lane {
    private final ZooKeeper zk;
    private final int index;
    private final SplittableRandom random;
    private final Request request;
    private final long start;
    private final long end;
    private final AtomicInteger outstanding;
    private final CountDownLatch drained;
    private final LatencyHistogram latencies = new LatencyHistogram();
    private long completions;
    private long errors;

    Lane(ZooKeeper zk, int index, SplittableRandom random, Request request, long start, long end,
        int inFlight, CountDownLatch drained) {
      this.zk = zk;
      this.index = index;
      this.random = random;
      this.request = request;
      this.start = start;
      this.end = end;
      this.outstanding = new AtomicInteger(inFlight);
      this.drained = drained;
    }

    void send() {
      long sent = System.nanoTime();
      request.send(zk, index, random, rc -> completed(sent, rc));
    }

    private void completed(long sent, int rc) {
      long now = System.nanoTime();
      if (now >= start && now < end) {
        if (rc == KeeperException.Code.OK.intValue()) {
          completions++;
          latencies.record(now - sent);
        } else {
          errors++;
        }
      }
      if (now < end) {
        send();
      } else if (outstanding.decrementAndGet() == 0) {
        drained.countDown();
      }
    }
  }

  /** A callback for setData and exists that reports the result code. */
  static AsyncCallback.StatCallback stat(Done done) {
    return (rc, path, ctx, stat) -> done.done(rc);
  }

  /** A callback for getData that reports the result code. */
  static AsyncCallback.DataCallback data(Done done) {
    return (rc, path, ctx, data, stat) -> done.done(rc);
  }

  /** A callback for create that reports the result code. */
  static AsyncCallback.StringCallback string(Done done) {
    return (rc, path, ctx, name) -> done.done(rc);
  }
}

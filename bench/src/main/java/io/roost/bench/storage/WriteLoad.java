package io.roost.bench.storage;

import io.roost.bench.stats.CompletionLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

/**
 * A steady write load: each client keeps a fixed number of setData requests on random existing
 * nodes in flight (every reply sends the next), and every reply's completion time and latency
 * (from just before the request was sent to its callback) goes into a {@link CompletionLog}.
 * Errors are counted, not retried.
 */
final class WriteLoad {
  private final List<ZooKeeper> clients;
  private final int inFlightPerClient;
  private final int nodes;
  private final NodeNames names;
  private final byte[] data;
  private final CompletionLog log;
  private final Semaphore[] chains;
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private volatile boolean running;

  /**
   * @param clients connected clients
   * @param inFlightPerClient requests each client keeps in flight
   * @param nodes how many nodes exist (node {@code 0..nodes-1} of {@code names})
   * @param names where the nodes are
   * @param data what every write sets
   * @param log where completions go
   */
  WriteLoad(List<ZooKeeper> clients, int inFlightPerClient, int nodes, NodeNames names,
      byte[] data, CompletionLog log) {
    this.clients = List.copyOf(clients);
    this.inFlightPerClient = inFlightPerClient;
    this.nodes = nodes;
    this.names = names;
    this.data = data;
    this.log = log;
    this.chains = new Semaphore[clients.size()];
    for (int c = 0; c < chains.length; c++) {
      chains[c] = new Semaphore(inFlightPerClient);
    }
  }

  /** Starts the load: {@code inFlightPerClient} chains of writes on every client. */
  void start() {
    running = true;
    for (int c = 0; c < clients.size(); c++) {
      for (int j = 0; j < inFlightPerClient; j++) {
        if (!chains[c].tryAcquire()) {
          throw new IllegalStateException("the load is already running");
        }
        send(c);
      }
    }
  }

  private void send(int c) {
    String path = names.node(ThreadLocalRandom.current().nextInt(nodes));
    long sent = System.nanoTime();
    clients.get(c).setData(path, data, -1, (rc, p, ctx, stat) -> {
      long now = System.nanoTime();
      log.record(now, now - sent);
      if (rc != KeeperException.Code.OK.intValue()) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, KeeperException.Code.get(rc) + " on " + p);
      }
      if (running) {
        send(c);
      } else {
        chains[c].release();
      }
    }, null);
  }

  /**
   * Stops sending and waits until every request in flight has its reply.
   *
   * @throws IllegalStateException if replies are still missing after {@code wait}
   */
  void stop(Duration wait) throws InterruptedException {
    running = false;
    long deadline = System.nanoTime() + wait.toNanos();
    for (Semaphore chain : chains) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!chain.tryAcquire(inFlightPerClient, left, TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("writes still unanswered " + wait + " after stopping");
      }
    }
  }

  /** Writes that failed. */
  long errors() {
    return errors.get();
  }

  /** The first failure, e.g. {@code CONNECTIONLOSS on /bench/p1/n1}, or null. */
  String firstError() {
    return firstError.get();
  }
}

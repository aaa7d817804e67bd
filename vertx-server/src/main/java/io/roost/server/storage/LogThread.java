package io.roost.server.storage;

import io.roost.core.storage.TxnLog;
import io.roost.core.txn.Transaction;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The one thread that writes a server's log, with its own queue: appends and other log
 * work run in the order they were handed over. Consecutive appends are group committed: the
 * thread writes every append waiting in the queue, fsyncs once, and reports the newest one's
 * sequence number (which covers the others) on the owner's event-loop context.
 *
 * <p>A dedicated thread rather than a Vert.x worker executor: a single-client write waits for two
 * of these hand-offs (the leader's fsync and the follower's), so each costs what a thread
 * wake-up costs and no more (an unpark, and one {@code runOnContext} back), and the batch is
 * whatever is queued when the thread gets to it rather than counted per task
 * (docs/performance.md, "Where the time goes"). Handing work over never blocks: a lock-free
 * queue and an unpark; the thread parks only when the queue is empty.
 */
final class LogThread {
  /** What the owner learns when an fsync is done, on the appender's context. */
  interface Flushed {
    /** {@code txns} entries were made durable, the oldest handed over {@code nanos} ago. */
    void flushed(int txns, long nanos);
  }

  private sealed interface Task {}

  private record Append(List<Transaction> txns, long lastSeq, LongConsumer persisted,
      Consumer<Throwable> failed, Context context, long handedAt) implements Task {}

  private record Work<T>(Callable<T> work, Promise<T> promise, Context context)
      implements Task {}

  private final TxnLog log;
  private final Flushed stats;
  private final ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean stopped;

  /**
   * Starts the thread.
   *
   * @param name the thread's name
   * @param log the log it alone writes from now on
   * @param stats told about every fsync, on the appender's context, before the append's
   *     {@code persisted}
   */
  LogThread(String name, TxnLog log, Flushed stats) {
    this.log = log;
    this.stats = stats;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Appends entries after everything handed over before. Once they are durable, the
   * {@code persisted} of the newest append fsynced with them runs with that append's
   * {@code lastSeq} (which covers every append before it) on its caller's Vert.x context; if
   * writing fails, {@code failed} runs there instead.
   */
  void append(List<Transaction> txns, long lastSeq, LongConsumer persisted,
      Consumer<Throwable> failed) {
    hand(new Append(txns, lastSeq, persisted, failed, Vertx.currentContext(),
        System.nanoTime()));
  }

  /**
   * Runs {@code work} on the log thread after everything handed over before; the future
   * completes on the calling Vert.x context.
   */
  <T> Future<T> submit(Callable<T> work) {
    Promise<T> promise = Promise.promise();
    hand(new Work<>(work, promise, Vertx.currentContext()));
    return promise.future();
  }

  /** Lets the thread end once everything handed over before has run. */
  Future<Void> stop() {
    Future<Void> last = submit(() -> null);
    stopped = true;
    LockSupport.unpark(thread);
    return last;
  }

  private void hand(Task task) {
    queue.add(task);
    LockSupport.unpark(thread);
  }

  private void run() {
    while (true) {
      Task task = queue.poll();
      if (task == null) {
        if (stopped && queue.isEmpty()) {
          return; // read after stopped: sees every task handed over before stop()
        }
        Thread.interrupted(); // nobody should interrupt it; a set flag would make park spin
        LockSupport.park(this);
      } else if (task instanceof Append first) {
        appendBatch(first);
      } else if (task instanceof Work<?> w) {
        runWork(w);
      }
    }
  }

  /** Writes {@code first} and every append queued right behind it, then fsyncs once. */
  private void appendBatch(Append first) {
    Append last = first;
    int txns = 0;
    try {
      while (true) {
        for (Transaction t : last.txns()) {
          log.append(t);
        }
        txns += last.txns().size();
        if (!(queue.peek() instanceof Append)) {
          break;
        }
        last = (Append) queue.poll(); // only this thread takes from the queue
      }
      log.flush();
    } catch (IOException | RuntimeException e) {
      Append failedAt = last;
      deliver(failedAt.context(), () -> failedAt.failed().accept(e));
      return;
    }
    Append done = last;
    int batch = txns;
    deliver(done.context(), () -> {
      stats.flushed(batch, System.nanoTime() - first.handedAt());
      done.persisted().accept(done.lastSeq());
    });
  }

  private <T> void runWork(Work<T> w) {
    T result;
    try {
      result = w.work().call();
    } catch (Exception e) {
      deliver(w.context(), () -> w.promise().fail(e));
      return;
    }
    deliver(w.context(), () -> w.promise().complete(result));
  }

  private static void deliver(Context context, Runnable r) {
    if (context == null) {
      r.run();
    } else {
      context.runOnContext(v -> r.run());
    }
  }
}

package io.roost.server.storage;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.storage.TxnLog;
import io.roost.core.storage.TxnLogOptions;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log thread: appends durable in hand-over order, queued appends fsynced together,
 * other log work in order with them, results back on the caller's context, failures reported.
 */
class LogThreadTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private Vertx vertx;
  private Context context;
  private TxnLog log;
  private LogThread thread;
  private final AtomicInteger fsyncs = new AtomicInteger();
  private final AtomicInteger flushedTxns = new AtomicInteger();
  private final List<Boolean> statsOnContext = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    log = TxnLog.open(dir, TxnLogOptions.defaults().withPreallocBytes(64 * 1024));
    thread = new LogThread("test-log", log, (txns, nanos) -> {
      statsOnContext.add(Vertx.currentContext() == context);
      fsyncs.incrementAndGet();
      flushedTxns.addAndGet(txns);
    });
  }

  @AfterEach
  void close() {
    AtomicReference<Future<Void>> stopped = new AtomicReference<>();
    context.runOnContext(v -> stopped.set(thread.stop()));
    await().atMost(WAIT).until(() -> stopped.get() != null && stopped.get().isComplete());
    vertx.close();
  }

  private static Transaction txn(long zxid) {
    return new Transaction(1, (int) zxid, zxid, 0, new TxnOp.Delete("/n" + zxid));
  }

  @Test
  void appendsBecomeDurableInOrderAndReportOnTheCallersContext() throws Exception {
    AtomicLong persisted = new AtomicLong(-1);
    List<Boolean> onContext = new CopyOnWriteArrayList<>();
    context.runOnContext(v -> {
      for (long z = 1; z <= 5; z++) {
        thread.append(List.of(txn(z)), z, seq -> {
          onContext.add(Vertx.currentContext() == context);
          persisted.accumulateAndGet(seq, Math::max);
        }, e -> { });
      }
    });
    await().atMost(WAIT).until(() -> persisted.get() == 5);
    assertTrue(onContext.stream().allMatch(b -> b), "persisted runs on the caller's context");
    assertTrue(statsOnContext.stream().allMatch(b -> b), "stats run on the caller's context");
    assertEquals(5, flushedTxns.get());
    List<Long> read = new ArrayList<>();
    context.runOnContext(v -> thread.submit(() -> log.read(0, t -> read.add(t.zxid()))));
    await().atMost(WAIT).until(() -> read.size() == 5);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), read);
  }

  @Test
  void appendsQueuedWhileTheThreadIsBusyShareOneFsync() {
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong persisted = new AtomicLong(-1);
    AtomicInteger calls = new AtomicInteger();
    context.runOnContext(v -> {
      thread.submit(() -> {
        release.await(); // holds the thread (not the event loop) while the appends queue up
        return null;
      });
      for (long z = 1; z <= 10; z++) {
        thread.append(List.of(txn(z)), z, seq -> {
          calls.incrementAndGet();
          persisted.set(seq);
        }, e -> { });
      }
      release.countDown();
    });
    await().atMost(WAIT).until(() -> persisted.get() == 10);
    assertEquals(1, fsyncs.get(), "one fsync for the ten queued appends");
    assertEquals(10, flushedTxns.get());
    assertEquals(1, calls.get(), "the newest append reports for the batch");
  }

  @Test
  void otherWorkRunsInOrderWithTheAppends() {
    AtomicReference<Long> lastSeen = new AtomicReference<>();
    context.runOnContext(v -> {
      thread.append(List.of(txn(1), txn(2)), 2, seq -> { }, e -> { });
      thread.submit(log::lastZxid).onSuccess(lastSeen::set);
    });
    await().atMost(WAIT).until(() -> lastSeen.get() != null);
    assertEquals(2L, lastSeen.get());
  }

  @Test
  void aFailedWriteReachesTheFailureCallbackOnTheCallersContext() {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<Context> failedOn = new AtomicReference<>();
    context.runOnContext(v -> {
      thread.submit(() -> {
        log.close();
        return null;
      });
      thread.append(List.of(txn(1)), 1, seq -> { }, e -> {
        failedOn.set(Vertx.currentContext());
        failure.set(e);
      });
    });
    await().atMost(WAIT).until(() -> failure.get() != null);
    assertInstanceOf(IllegalStateException.class, failure.get());
    assertNotNull(failedOn.get());
    assertSame(context, failedOn.get());
  }
}

package io.roost.server.storage;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.state.StateMachine;
import io.roost.core.storage.SnapshotStore;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone durability over the server's disk: commits in proposal order once fsynced, many
 * proposals per fsync, snapshots every snapCount, and nothing acknowledged after a failed write.
 */
class DurableReplicatorTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private Vertx vertx;
  private Context context;
  private TxnLog log;
  private SnapshotStore snapshots;
  private final StorageStats stats = new StorageStats();
  private final AtomicInteger fatal = new AtomicInteger();
  private ServerDisk disk;
  private DurableReplicator replicator;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    log = TxnLog.open(dir.resolve("log"), TxnLogOptions.defaults().withPreallocBytes(64 * 1024));
    snapshots = SnapshotStore.open(dir.resolve("snapshots"));
    disk = new ServerDisk(vertx, "test", log, snapshots, stats, fatal::incrementAndGet);
    replicator = new DurableReplicator(disk, 50);
    StateMachine state = new StateMachine();
    replicator.imagesFrom(state::image);
  }

  @AfterEach
  void close() {
    AtomicReference<Future<Void>> closed = new AtomicReference<>();
    context.runOnContext(v -> closed.set(replicator.close()));
    await().atMost(WAIT).until(() -> closed.get() != null && closed.get().isComplete());
    vertx.close();
  }

  private static Transaction txn(long zxid) {
    return new Transaction(1, (int) zxid, zxid, 0, new TxnOp.Delete("/n" + zxid));
  }

  @Test
  void commitsInProposalOrderOnceLoggedSharingFsyncsAndSnapshotting() throws Exception {
    List<Long> committed = new CopyOnWriteArrayList<>();
    List<Boolean> onContext = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    context.runOnContext(v -> {
      // Holds the log thread (not the event loop) while the proposals queue up behind it.
      disk.onLogThread(() -> release.await(WAIT.toSeconds(), TimeUnit.SECONDS));
      for (long z = 1; z <= 200; z++) {
        replicator.propose(txn(z), t -> {
          onContext.add(Vertx.currentContext() == context);
          committed.add(t.zxid());
        });
      }
      release.countDown();
    });
    await().atMost(WAIT).until(() -> committed.size() == 200);
    assertEquals(LongStream.rangeClosed(1, 200).boxed().toList(), committed);
    assertTrue(onContext.stream().allMatch(b -> b), "commits run on the proposer's context");
    assertEquals(200, stats.transactions());
    assertEquals(1, stats.fsyncs(), "the 200 queued proposals should share one fsync");
    await().atMost(WAIT).until(() -> stats.snapshots() >= 1);
    assertTrue(snapshots.loadNewestValid().isPresent(), "no snapshot file after snapCount");

    List<Long> logged = new ArrayList<>();
    AtomicReference<Boolean> read = new AtomicReference<>();
    context.runOnContext(v -> disk.onLogThread(() -> {
      log.read(0, t -> logged.add(t.zxid()));
      return true;
    }).onSuccess(read::set));
    await().atMost(WAIT).until(() -> read.get() != null);
    assertEquals(committed, logged, "what was committed is what the log holds");
  }

  @Test
  void afterAFailedWriteNothingIsAcknowledgedAndTheFailureIsReportedOnce() {
    AtomicInteger commits = new AtomicInteger();
    AtomicReference<Boolean> closedUnder = new AtomicReference<>();
    context.runOnContext(v -> {
      // The log goes away under the log thread: the next append's write fails.
      disk.onLogThread(() -> {
        log.close();
        return true;
      }).onSuccess(closedUnder::set);
      replicator.propose(txn(1), t -> commits.incrementAndGet());
      replicator.propose(txn(2), t -> commits.incrementAndGet());
    });
    await().atMost(WAIT).until(() -> fatal.get() == 1 && disk.failed());
    context.runOnContext(v -> replicator.propose(txn(3), t -> commits.incrementAndGet()));
    AtomicReference<Boolean> drained = new AtomicReference<>();
    context.runOnContext(v -> disk.onLogThread(() -> true).onComplete(ar -> drained.set(true)));
    await().atMost(WAIT).until(() -> drained.get() != null);
    assertEquals(0, commits.get(), "a write that failed, or came after one, was acknowledged");
    assertEquals(1, fatal.get(), "the failure is reported once");
  }
}

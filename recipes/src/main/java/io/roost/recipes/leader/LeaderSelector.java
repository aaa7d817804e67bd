package io.roost.recipes.leader;

import io.roost.client.RoostClient;
import io.roost.recipes.lock.Lease;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Leader election that hands leadership to a piece of work: when this participant is elected,
 * {@link Work#lead} runs; leadership ends when the stage it returns completes (or when the
 * leadership is lost), and with {@code autoRequeue} the participant queues again at the end of
 * the line.
 *
 * <p>The work gets the {@link Lease}: it should stop when {@link Lease#lost()} completes or
 * {@link Lease#isHeld()} turns false (SUSPENDED), and write through {@link Lease#guardedWrite}
 * or hand out the fencing token, so nothing it does after losing leadership takes effect.
 */
public final class LeaderSelector implements AutoCloseable {
  /** What a leader does. */
  @FunctionalInterface
  public interface Work {
    /** Runs while leading; leadership is given up when the returned stage completes. */
    CompletionStage<Void> lead(Lease leadership);
  }

  private final RoostClient client;
  private final String path;
  private final String participantId;
  private final Work work;
  private final boolean autoRequeue;
  private volatile LeaderLatch latch;
  private volatile boolean closed;

  /**
   * @param path the election path
   * @param participantId this participant's id
   * @param work what to do while leading
   * @param autoRequeue whether to queue again after leading
   */
  public LeaderSelector(RoostClient client, String path, String participantId, Work work,
      boolean autoRequeue) {
    this.client = Objects.requireNonNull(client, "client");
    this.path = Objects.requireNonNull(path, "path");
    this.participantId = Objects.requireNonNull(participantId, "participantId");
    this.work = Objects.requireNonNull(work, "work");
    this.autoRequeue = autoRequeue;
  }

  /** Joins the election. */
  public synchronized void start() {
    if (latch != null) {
      throw new IllegalStateException("the selector on " + path + " was already started");
    }
    join();
  }

  private synchronized void join() {
    if (closed) {
      return;
    }
    LeaderLatch l = new LeaderLatch(client, path, participantId);
    l.addListener(new LeaderLatch.Listener() {
      @Override
      public void isLeader(Lease leadership) {
        runWork(l, leadership);
      }

      @Override
      public void notLeader() {
        // The work watches its lease and stops by itself.
      }
    });
    latch = l;
    l.start();
  }

  private void runWork(LeaderLatch l, Lease leadership) {
    CompletionStage<Void> done;
    try {
      done = work.lead(leadership);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    CompletableFuture.anyOf(done.toCompletableFuture(), leadership.lost().toCompletableFuture())
        .whenComplete((v, e) -> {
          if (closed || leadership.lost().toCompletableFuture().isDone()) {
            return; // a lost lease: the latch rejoins by itself after a new session
          }
          l.closeAsync().thenRun(() -> {
            if (autoRequeue) {
              join();
            }
          });
        });
  }

  /** True while this participant leads. */
  public boolean hasLeadership() {
    LeaderLatch l = latch;
    return l != null && l.hasLeadership();
  }

  /** Leaves the election; completes when this participant's node is gone. */
  public CompletionStage<Void> closeAsync() {
    closed = true;
    LeaderLatch l = latch;
    return l == null ? CompletableFuture.completedFuture(null) : l.closeAsync();
  }

  @Override
  public void close() {
    closeAsync();
  }
}

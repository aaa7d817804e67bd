package io.roost.recipes.lock;

import io.roost.client.ConnectionState;
import io.roost.client.ConnectionStateListener;
import io.roost.client.Op;
import io.roost.client.OpResult;
import io.roost.client.RoostClient;
import io.roost.recipes.Ownership;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A held lock, semaphore permit or leadership: the holder's node, its fencing token, guarded
 * writes, and release. It follows the client's connection states: not held while SUSPENDED,
 * held again on RECONNECTED with the same session, lost for good on LOST. Releasing it from any
 * thread is fine: ownership belongs to the lease, not to a thread.
 */
public final class Lease implements Ownership {
  private final RoostClient client;
  private final String nodePath;
  private final long token;
  private final long sessionId;
  private final long acquiredNanos;
  private final ConnectionStateListener stateListener;
  private final CompletableFuture<Void> lost = new CompletableFuture<>();
  private volatile boolean suspended;
  private volatile boolean released;

  Lease(RoostClient client, String nodePath, long token) {
    this.client = client;
    this.nodePath = nodePath;
    this.token = token;
    this.sessionId = client.sessionId();
    this.acquiredNanos = System.nanoTime();
    this.stateListener = (c, state) -> onState(state);
    client.addConnectionStateListener(stateListener);
  }

  private void onState(ConnectionState state) {
    switch (state) {
      case SUSPENDED -> suspended = true;
      case RECONNECTED, CONNECTED -> {
        if (client.sessionId() == sessionId) {
          suspended = false;
        } else {
          markLost();
        }
      }
      case LOST, CLOSED -> markLost();
      default -> { }
    }
  }

  private void markLost() {
    suspended = true;
    client.removeConnectionStateListener(stateListener);
    lost.complete(null);
  }

  @Override
  public long fencingToken() {
    return token;
  }

  @Override
  public String nodePath() {
    return nodePath;
  }

  @Override
  public boolean isHeld() {
    return !released && !suspended && !lost.isDone();
  }

  /** Completes when the lease is lost without being released (its session ended). */
  public CompletionStage<Void> lost() {
    return lost;
  }

  /** Nanoseconds since acquisition (for hold-time metrics). */
  long heldNanos() {
    return System.nanoTime() - acquiredNanos;
  }

  @Override
  public CompletionStage<List<OpResult>> guardedWrite(List<Op> ops) {
    List<Op> all = new ArrayList<>(ops.size() + 1);
    all.add(Op.check(nodePath, -1));
    all.addAll(ops);
    return client.multi(all);
  }

  /** Deletes the holder's node; completes once it is gone (already gone counts). */
  CompletionStage<Void> release() {
    released = true;
    client.removeConnectionStateListener(stateListener);
    return client.deleteIfExists(nodePath).thenApply(existed -> null);
  }

  boolean isReleased() {
    return released;
  }

  @Override
  public String toString() {
    return "Lease{" + nodePath + ", token 0x" + Long.toHexString(token) + (isHeld() ? ", held"
        : ", not held") + "}";
  }
}

package io.roost.recipes.leader;

import io.micrometer.core.instrument.Counter;
import io.roost.client.ConnectionState;
import io.roost.client.ConnectionStateListener;
import io.roost.client.RoostClient;
import io.roost.recipes.lock.Lease;
import io.roost.recipes.lock.Mutex;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Leader election among the clients that start a latch on the same path: exactly one of them
 * leads at a time (the oldest participant), the others wait in line, each watching only the one
 * before it. Leadership is an {@link io.roost.recipes.Ownership} (the {@link Lease}): it has a
 * fencing token and guarded writes, so a deposed leader's writes can be refused.
 *
 * <p>Connection states: on SUSPENDED the latch stops leading at once ({@link Listener#notLeader}),
 * because if the session expires another participant will lead; on RECONNECTED with the same
 * session it leads again if it still holds the node; on LOST it rejoins the line with a new node
 * as soon as a new session is up. Listeners run on the client's event loop and must not block.
 */
public final class LeaderLatch implements AutoCloseable {
  /** Told when this participant gains or loses leadership. */
  public interface Listener {
    /** This participant now leads; {@code leadership} carries the fencing token. */
    void isLeader(Lease leadership);

    /** This participant no longer leads (or may not: the connection is suspended). */
    void notLeader();
  }

  private final RoostClient client;
  private final Mutex mutex;
  private final String participantId;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Counter changes;
  private final ConnectionStateListener stateListener = (c, s) -> onState(s);
  private volatile Lease lease;
  private volatile boolean leading;
  private volatile boolean closed;
  private boolean started;

  /**
   * @param path the election path shared by every participant
   * @param participantId this participant's id, stored in its node (for {@link #participants})
   */
  public LeaderLatch(RoostClient client, String path, String participantId) {
    this.client = Objects.requireNonNull(client, "client");
    this.participantId = Objects.requireNonNull(participantId, "participantId");
    this.mutex = Mutex.nonReentrant(client, path,
        participantId.getBytes(StandardCharsets.UTF_8));
    this.changes = Counter.builder("roost.recipes.leadership.changes").tag("path", path)
        .register(client.meters());
  }

  /** Adds a listener (before or after start). */
  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Joins the election. */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("the latch on " + mutex.path() + " was already started");
    }
    started = true;
    client.addConnectionStateListener(stateListener);
    join();
  }

  private void join() {
    if (closed) {
      return;
    }
    mutex.acquire().whenComplete((l, e) -> {
      if (e != null) {
        // A lost session brings us back on RECONNECTED; anything else: try again shortly.
        if (!closed && client.state() != null && client.state().isConnected()) {
          client.vertx().setTimer(500, id -> {
            if (lease == null) {
              join();
            }
          });
        }
        return;
      }
      if (closed) {
        mutex.release(l);
        return;
      }
      lease = l;
      if (client.state() != null && client.state().isConnected()) {
        becomeLeader(l);
      }
      l.lost().thenRun(this::onLeaseLost);
    });
  }

  private void becomeLeader(Lease l) {
    if (!leading && !closed && l.isHeld()) {
      leading = true;
      changes.increment();
      listeners.forEach(x -> x.isLeader(l));
    }
  }

  private void stopLeading() {
    if (leading) {
      leading = false;
      changes.increment();
      listeners.forEach(Listener::notLeader);
    }
  }

  private void onState(ConnectionState s) {
    if (s == ConnectionState.SUSPENDED || s == ConnectionState.LOST) {
      stopLeading();
    } else if (s == ConnectionState.RECONNECTED) {
      // Decide once every listener saw the new state (the lease updates itself in its own).
      client.vertx().getOrCreateContext().runOnContext(v -> {
        Lease l = lease;
        if (l != null && l.isHeld()) {
          becomeLeader(l);
        } else if (l == null || l.lost().toCompletableFuture().isDone()) {
          lease = null;
          join();
        }
      });
    }
  }

  private void onLeaseLost() {
    stopLeading();
  }

  /** True while this participant leads (its view; see the class comment). */
  public boolean hasLeadership() {
    return leading && lease != null && lease.isHeld();
  }

  /** The leadership lease while leading, else null. */
  public Lease leadership() {
    return hasLeadership() ? lease : null;
  }

  /** The participants' node names, the leader first. */
  public CompletionStage<List<String>> participants() {
    return mutex.contenders();
  }

  /** This participant's id. */
  public String id() {
    return participantId;
  }

  /** Leaves the election (giving up leadership); completes when the node is gone. */
  public CompletionStage<Void> closeAsync() {
    closed = true;
    client.removeConnectionStateListener(stateListener);
    stopLeading();
    Lease l = lease;
    lease = null;
    return l == null ? CompletableFuture.completedFuture(null) : mutex.release(l);
  }

  @Override
  public void close() {
    closeAsync();
  }
}

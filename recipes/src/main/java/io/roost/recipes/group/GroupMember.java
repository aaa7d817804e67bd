package io.roost.recipes.group;

import io.micrometer.core.instrument.Counter;
import io.roost.client.ConnectionState;
import io.roost.client.ConnectionStateListener;
import io.roost.client.CreateOptions;
import io.roost.client.NodeData;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import io.roost.client.WatchEvent;
import io.roost.client.WatchListener;
import io.roost.core.proto.CreateMode;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This process's membership of a group: an ephemeral node {@code <groupPath>/<memberId>}
 * holding a payload, kept there until {@link #closeAsync()}.
 *
 * <p><b>Guarantees.</b> While the client's session lives, the node exists with the latest
 * payload given to {@link #setPayload}. If the node goes (the session expired, or someone
 * deleted it) it is created again as soon as the client is connected, with a new session if
 * need be, until the member is closed. Member ids must be unique within a group: a member whose
 * id is held by another session's node waits for that node to go, then joins (this is also how
 * it rejoins after a session loss, while the servers have not yet removed its old node).
 *
 * <p><b>Connection states.</b> On SUSPENDED the node stays on the servers while the session
 * lives; others keep seeing the member, and {@link #isJoined()} stays true although the
 * session may expire meanwhile. On LOST the node is gone (or about to go): the member is not
 * joined, and joins again with a new node once the client has a new session. On RECONNECTED
 * with the same session the member checks that its node is still there with its payload.
 *
 * <p>Everything runs on the client's event loop; the methods may be called from any thread.
 */
public final class GroupMember implements AutoCloseable {
  private static final Logger LOG = System.getLogger(GroupMember.class.getName());
  private static final long RETRY_MS = 500;

  private final RoostClient client;
  private final String memberId;
  private final String nodePath;
  private final WatchListener watch = this::onNodeEvent;
  private final ConnectionStateListener stateListener = (c, s) -> onState(s);
  private final AtomicBoolean started = new AtomicBoolean();
  private final Counter joins;
  private final CompletableFuture<Void> firstJoin = new CompletableFuture<>();
  private volatile byte[] payload;
  private volatile boolean joined;
  private volatile boolean closed;
  // On the event loop only:
  private long payloadSeq;
  private final TreeMap<Long, List<CompletableFuture<Void>>> payloadWaiters = new TreeMap<>();
  private boolean creating;
  private boolean watching;
  private CompletableFuture<Void> watchAdded = CompletableFuture.completedFuture(null);

  /**
   * @param groupPath the group's node (created with its parents if missing)
   * @param memberId this member's id, unique in the group: a node name
   * @param payload what the member publishes (may be empty)
   * @throws IllegalArgumentException for a bad group path or member id
   */
  public GroupMember(RoostClient client, String groupPath, String memberId, byte[] payload) {
    this.client = Objects.requireNonNull(client, "client");
    this.memberId = MemberIds.checkId(memberId, "memberId");
    this.nodePath = MemberIds.checkGroupPath(groupPath) + "/" + memberId;
    this.payload = Objects.requireNonNull(payload, "payload").clone();
    this.joins = Counter.builder("roost.recipes.group.joins")
        .description("times a member created its node").tag("path", groupPath)
        .register(client.meters());
  }

  /**
   * Joins: the stage completes once the node exists, or fails if it cannot be created for a
   * reason other than the connection (such as NoAuth).
   *
   * @throws IllegalStateException if already started
   */
  public CompletionStage<Void> start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("member " + nodePath + " was already started");
    }
    client.executor().execute(() -> {
      if (!closed) {
        client.addConnectionStateListener(stateListener);
        addWatch();
        ensure();
      }
    });
    return firstJoin.copy();
  }

  /** This member's id. */
  public String memberId() {
    return memberId;
  }

  /** The member's node path. */
  public String nodePath() {
    return nodePath;
  }

  /** A copy of the latest payload given. */
  public byte[] payload() {
    return payload.clone();
  }

  /** True while this member believes its node exists (see the class comment on SUSPENDED). */
  public boolean isJoined() {
    return joined;
  }

  /**
   * Publishes a new payload. The stage completes when the node holds it (or a later payload):
   * at once if the member is joined and connected; else once it is connected or has joined
   * again. Fails if the member is closed first.
   */
  public CompletionStage<Void> setPayload(byte[] newPayload) {
    byte[] p = Objects.requireNonNull(newPayload, "payload").clone();
    CompletableFuture<Void> out = new CompletableFuture<>();
    onLoop(() -> {
      if (closed) {
        out.completeExceptionally(closedError());
        return;
      }
      payload = p;
      payloadSeq++;
      payloadWaiters.computeIfAbsent(payloadSeq, k -> new ArrayList<>()).add(out);
      if (joined && !creating) {
        writeLatest();
      } // else the join writes it
    }, () -> out.completeExceptionally(new IllegalStateException("the client of member "
        + nodePath + " is closed")));
    return out;
  }

  /** Leaves the group: deletes the node (if this session holds it) and stops re-creating it. */
  public CompletionStage<Void> closeAsync() {
    closed = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    onLoop(() -> {
      client.removeConnectionStateListener(stateListener);
      joined = false;
      failWaiters(closedError());
      watchAdded.handle((v, e) -> null)
          .thenCompose(v -> client.removeWatch(nodePath, false, watch))
          .handle((v, e) -> null)
          .thenCompose(v -> deleteOwnNode())
          .whenComplete((v, e) -> done.complete(null));
    }, () -> done.complete(null)); // the client is gone, and with its session the node
    return done;
  }

  /** Leaves without waiting; see {@link #closeAsync()}. */
  @Override
  public void close() {
    closeAsync();
  }

  /** Runs {@code task} on the client's event loop, or {@code ifGone} if its Vert.x is closed. */
  private void onLoop(Runnable task, Runnable ifGone) {
    try {
      client.executor().execute(task);
    } catch (RejectedExecutionException e) {
      ifGone.run();
    }
  }

  // ---- on the event loop from here on ----

  private void addWatch() {
    CompletableFuture<Void> f = client.addWatch(nodePath, false, watch).toCompletableFuture();
    watchAdded = f;
    f.whenComplete((v, e) -> watching |= e == null);
  }

  /** Creates the node unless it exists, is being created, or the member is closed. */
  private void ensure() {
    if (closed || creating || joined) {
      return;
    }
    creating = true;
    long seq = payloadSeq;
    client.create(nodePath, payload, CreateOptions.of(CreateMode.EPHEMERAL).withParents(true))
        .whenComplete((p, e) -> {
          if (closed) {
            creating = false;
            if (e == null) {
              deleteOwnNode();
            }
            return;
          }
          if (e == null) {
            creating = false;
            joined(seq);
          } else if (RoostException.unwrap(e) instanceof RoostException.NodeExistsException) {
            inspect();
          } else {
            creating = false;
            failed(e);
          }
        });
  }

  /** The node exists: ours (a retried create, or the same session), or another session's. */
  private void inspect() {
    client.getData(nodePath).whenComplete((d, e) -> {
      creating = false;
      if (closed) {
        return;
      }
      if (e != null) {
        if (RoostException.unwrap(e) instanceof RoostException.NoNodeException) {
          ensure(); // gone since: try again
        } else {
          failed(e);
        }
      } else if (d.stat().ephemeralOwner() == client.sessionId()) {
        joined(Arrays.equals(d.data(), payload) ? payloadSeq : -1);
      } else {
        // Another session's node (our old one, until the servers expire it, or a duplicate id):
        // its NODE_DELETED brings us back to ensure().
        LOG.log(Level.DEBUG, "{0} is held by session 0x{1}; waiting for it to go", nodePath,
            Long.toHexString(d.stat().ephemeralOwner()));
      }
    });
  }

  /** The node is ours and holds payload number {@code seq} (-1: an older one). */
  private void joined(long seq) {
    joined = true;
    joins.increment();
    firstJoin.complete(null);
    written(seq);
    if (seq < payloadSeq) {
      writeLatest();
    }
  }

  /** Writes the latest payload to the node. */
  private void writeLatest() {
    long seq = payloadSeq;
    client.setData(nodePath, payload, -1).whenComplete((stat, e) -> {
      if (closed) {
        return;
      }
      if (e == null) {
        written(seq);
      } else if (RoostException.unwrap(e) instanceof RoostException.NoNodeException) {
        left();
        ensure(); // the rejoin writes the latest payload
      } else {
        // The connection went: RECONNECTED checks and writes it; if it is back already (the
        // failure came late), write again after a pause.
        whenConnectedAgain(() -> {
          if (joined && seq == payloadSeq) {
            writeLatest();
          }
        });
      }
    });
  }

  /** The node holds payload number {@code seq}: everyone waiting for it or an earlier one. */
  private void written(long seq) {
    while (!payloadWaiters.isEmpty() && payloadWaiters.firstKey() <= seq) {
      payloadWaiters.pollFirstEntry().getValue().forEach(f -> f.complete(null));
    }
  }

  private void failed(Throwable e) {
    Throwable cause = RoostException.unwrap(e);
    if (cause instanceof RoostException re && re.isRetryable()) {
      // The connection went: RECONNECTED brings us back; if it is back already (the failure
      // came late), try again after a pause.
      whenConnectedAgain(this::ensure);
      return;
    }
    LOG.log(Level.WARNING, "member " + nodePath + " cannot join", cause);
    failWaiters(cause);
  }

  /** Runs {@code again} after a pause if the client is connected now (else RECONNECTED will). */
  private void whenConnectedAgain(Runnable again) {
    ConnectionState s = client.state();
    if (s != null && s.isConnected()) {
      client.vertx().setTimer(RETRY_MS, id -> {
        if (!closed) {
          again.run();
        }
      });
    }
  }

  private void failWaiters(Throwable cause) {
    firstJoin.completeExceptionally(cause);
    payloadWaiters.values().forEach(l -> l.forEach(f -> f.completeExceptionally(cause)));
    payloadWaiters.clear();
  }

  private IllegalStateException closedError() {
    return new IllegalStateException("member " + nodePath + " was closed");
  }

  private void left() {
    joined = false;
  }

  private void onNodeEvent(WatchEvent e) {
    if (!closed && e.type() == WatchEvent.Type.NODE_DELETED) {
      left();
      ensure();
    }
  }

  private void onState(ConnectionState s) {
    if (closed) {
      return;
    }
    if (s == ConnectionState.LOST) {
      left(); // the session's ephemeral is gone, or going
    } else if (s == ConnectionState.RECONNECTED) {
      if (!watching) {
        addWatch();
      }
      if (joined) {
        verify();
      } else {
        ensure();
      }
    }
  }

  /** After a reconnect in the same session: is the node still ours, with our payload? */
  private void verify() {
    client.getData(nodePath).whenComplete((NodeData d, Throwable e) -> {
      if (closed) {
        return;
      }
      if ((e != null && RoostException.unwrap(e) instanceof RoostException.NoNodeException)
          || (d != null && d.stat().ephemeralOwner() != client.sessionId())) {
        left();
        ensure();
      } else if (d != null && Arrays.equals(d.data(), payload)) {
        written(payloadSeq);
      } else if (d != null) {
        writeLatest();
      }
    });
  }

  private CompletableFuture<Void> deleteOwnNode() {
    return client.getData(nodePath).toCompletableFuture().thenCompose(d ->
        d.stat().ephemeralOwner() == client.sessionId()
            ? client.delete(nodePath, d.stat().version()).toCompletableFuture()
            : CompletableFuture.<Void>completedFuture(null))
        .handle((v, e) -> null);
  }

}

package io.roost.client;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.roost.core.proto.ACL;
import io.roost.core.proto.AddWatchRequest;
import io.roost.core.proto.Code;
import io.roost.core.proto.DeleteRequest;
import io.roost.core.proto.ExistsRequest;
import io.roost.core.proto.GetACLRequest;
import io.roost.core.proto.GetACLResponse;
import io.roost.core.proto.GetAllChildrenNumberRequest;
import io.roost.core.proto.GetAllChildrenNumberResponse;
import io.roost.core.proto.GetChildrenRequest;
import io.roost.core.proto.GetChildrenResponse;
import io.roost.core.proto.GetDataRequest;
import io.roost.core.proto.GetDataResponse;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.Record;
import io.roost.core.proto.RemoveWatchesRequest;
import io.roost.core.proto.SetACLRequest;
import io.roost.core.proto.SetDataRequest;
import io.roost.core.proto.Stat;
import io.roost.core.proto.StatResponse;
import io.roost.core.proto.SyncRequest;
import io.roost.core.proto.SyncResponse;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Roost's client: the ZooKeeper wire protocol on a Vert.x {@code NetClient}, async first.
 *
 * <p>Every method may be called from any thread; requests of one client are sent, and answered,
 * in the order they were made (per calling thread). Returned stages complete on the client's
 * event-loop thread, so callbacks must not block; {@link #blocking()} gives a facade for plain
 * threads. Failures are {@link RoostException}s, one subclass per error code.
 *
 * <p>Requests that fail with a retryable error ({@link RoostException#isRetryable()}) are retried
 * by the builder's {@link RetryPolicy}, after waiting for the connection to come back, but only
 * where a retry is safe: reads always; creates as {@link CreateOptions} explains; an unversioned
 * delete whose retry finds no node counts as done (a versioned one reports the NoNode); a versioned setData whose retry finds the node already at
 * the next version with this data counts as done; a multi is never retried (its outcome is
 * unknown after a lost connection: read and decide).
 *
 * <p>Connection states and the policy recipes follow are in {@link ConnectionState}.
 */
public final class RoostClient implements AutoCloseable {
  private final Builder config;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Context context;
  private final Namespace ns;
  private final Watches watches = new Watches();
  private final SafeCreates creates = new SafeCreates(this);
  private final ClientSession session;
  private final List<ConnectionStateListener> listeners = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> connectWaiters = new ArrayList<>();
  private final Retries retries;
  private final MeterRegistry meters;
  private volatile ConnectionState state;
  private volatile long sessionId;
  private volatile boolean started;
  private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Void>> closing =
      new java.util.concurrent.atomic.AtomicReference<>();

  private RoostClient(Builder b) {
    this.config = b;
    this.ownsVertx = b.vertx == null;
    this.vertx = ownsVertx ? Vertx.vertx() : b.vertx;
    this.context = vertx.getOrCreateContext();
    this.ns = new Namespace(b.namespace);
    this.meters = b.meters != null ? b.meters : new CompositeMeterRegistry();
    this.retries = new Retries(this, b.retryPolicy);
    List<ClientSession.Auth> auths = new ArrayList<>();
    if (b.digestUser != null) {
      auths.add(new ClientSession.Auth("digest", (b.digestUser + ":" + b.digestPassword)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    this.session = new ClientSession(vertx, context, b.hosts,
        Math.toIntExact(b.sessionTimeout.toMillis()), auths, b.maxFrameBytes, watches,
        this::stateChanged, Runnable::run, new java.util.Random());
  }

  /** A builder; {@code connectString} is required. */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle and state
  // ------------------------------------------------------------------------------------------

  /**
   * Connects (and creates the namespace node if there is one). Completes when the first session
   * is established, or fails with ConnectionLoss after the builder's connection timeout; the
   * client keeps trying in the background either way until closed.
   */
  public CompletionStage<RoostClient> start() {
    CompletableFuture<RoostClient> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      if (started) {
        done.completeExceptionally(new IllegalStateException("start() was already called"));
        return;
      }
      started = true;
      long timer = vertx.setTimer(config.connectionTimeout.toMillis(), id ->
          done.completeExceptionally(RoostException.of(Code.CONNECTION_LOSS, null)));
      session.start().onSuccess(x -> {
        vertx.cancelTimer(timer);
        ensureNamespace().whenComplete((r, e) -> {
          if (e != null) {
            done.completeExceptionally(RoostException.unwrap(e));
          } else {
            done.complete(this);
          }
        });
      });
    });
    return done;
  }

  private CompletableFuture<Void> ensureNamespace() {
    if (ns.prefix().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return creates.createParents(ns.prefix() + "/x", CreateOptions.OPEN_ACL);
  }

  /** The current connection state (null before the first connection). */
  public ConnectionState state() {
    return state;
  }

  /** The current session id (0 before the first connection). */
  public long sessionId() {
    return sessionId;
  }

  /** The namespace prefix, or {@code ""}. */
  public String namespace() {
    return ns.prefix();
  }

  /** The Vert.x instance the client runs on (for recipes' timers). */
  public Vertx vertx() {
    return vertx;
  }

  /**
   * Runs tasks on the client's event loop, one at a time, in the order given (never inline).
   * Recipes keep their state on that one thread: every stage the client returns completes
   * there, but a callback added to a stage that is already complete runs on the thread that
   * adds it, so a recipe called from an application thread hops over with this first.
   */
  public java.util.concurrent.Executor executor() {
    return task -> context.runOnContext(v -> task.run());
  }

  /** The meter registry the client and its recipes record into. */
  public MeterRegistry meters() {
    return meters;
  }

  /** The session timeout requested; the server may have negotiated another. */
  public Duration sessionTimeout() {
    int negotiated = session.negotiatedTimeoutMs();
    return negotiated > 0 ? Duration.ofMillis(negotiated) : config.sessionTimeout;
  }

  /** Registers a listener for connection state changes. */
  public void addConnectionStateListener(ConnectionStateListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener. */
  public void removeConnectionStateListener(ConnectionStateListener listener) {
    listeners.remove(listener);
  }

  private void stateChanged(ConnectionState next) {
    state = next;
    sessionId = session.sessionId();
    meters.counter("roost.client.connection.state", "state", next.name().toLowerCase(
        java.util.Locale.ROOT)).increment();
    if (next.isConnected()) {
      List<CompletableFuture<Void>> w = new ArrayList<>(connectWaiters);
      connectWaiters.clear();
      w.forEach(f -> f.complete(null));
    } else if (next == ConnectionState.CLOSED) {
      List<CompletableFuture<Void>> w = new ArrayList<>(connectWaiters);
      connectWaiters.clear();
      // Requests waiting to be retried too: their timers would never fire on a closed Vert.x.
      w.addAll(retries.cancelAll());
      w.forEach(f -> f.completeExceptionally(Retries.closedError()));
    }
    for (ConnectionStateListener l : listeners) {
      try {
        l.stateChanged(this, next);
      } catch (RuntimeException e) {
        System.getLogger(RoostClient.class.getName()).log(System.Logger.Level.WARNING,
            "a connection state listener failed", e);
      }
    }
  }

  /** Completes once connected (at once if connected), or fails after {@code timeout}. */
  public CompletionStage<Void> whenConnected(Duration timeout) {
    return onContext(() -> {
      if (session.isConnected()) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> f = new CompletableFuture<>();
      connectWaiters.add(f);
      long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
        connectWaiters.remove(f);
        f.completeExceptionally(RoostException.of(Code.CONNECTION_LOSS, null));
      });
      f.whenComplete((r, e) -> vertx.cancelTimer(timer));
      return f;
    });
  }

  /** A blocking facade over this client, for plain threads. */
  public BlockingRoostClient blocking() {
    return new BlockingRoostClient(this, config.blockingTimeout);
  }

  /**
   * Closes the session (its ephemerals go at once) and the connection. Closing again gives the
   * first close's stage. Requests still pending fail with ConnectionLoss.
   */
  public CompletionStage<Void> closeAsync() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> first = closing.compareAndExchange(null, done);
    if (first != null) {
      return first.copy();
    }
    try {
      context.runOnContext(v -> session.close().onComplete(ar -> {
        if (ownsVertx) {
          vertx.close().onComplete(x -> done.complete(null));
        } else {
          done.complete(null);
        }
      }));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      done.complete(null); // its Vert.x is already closed: nothing left to close
    }
    return done.copy();
  }

  /**
   * Closes the session and waits for it (up to a few seconds). Must not be called on the
   * client's event loop; use {@link #closeAsync()} there.
   */
  @Override
  public void close() {
    if (Vertx.currentContext() != null && Vertx.currentContext().isEventLoopContext()) {
      throw new IllegalStateException("close() blocks; call closeAsync() on an event loop");
    }
    try {
      closeAsync().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // closing is best effort: the servers expire the session anyway
    }
  }

  // ------------------------------------------------------------------------------------------
  // Creating
  // ------------------------------------------------------------------------------------------

  /** Creates a persistent node with an open ACL; the stage gives its path. */
  public CompletionStage<String> create(String path, byte[] data) {
    return create(path, data, CreateOptions.persistent());
  }

  /**
   * Creates a node; the stage gives its actual path (with the sequential suffix, and the
   * protection prefix if protected), relative to the namespace.
   *
   * @throws IllegalArgumentException for a malformed path or inconsistent options
   */
  public CompletionStage<String> create(String path, byte[] data, CreateOptions options) {
    return createWithStat(path, data, options).thenApply(OpResult.Created::path);
  }

  /**
   * Like {@link #create(String, byte[], CreateOptions)}, also giving the new node's stat (its
   * czxid is, for example, a fencing token).
   */
  public CompletionStage<OpResult.Created> createWithStat(String path, byte[] data,
      CreateOptions options) {
    Objects.requireNonNull(options, "options");
    options.validate();
    String serverPath = ns.toServerForCreate(path, options.mode().isSequential());
    String target = options.protection() ? SafeCreates.protect(serverPath) : serverPath;
    String marker = options.protection() ? Namespace.name(target).substring(0,
        Namespace.name(target).indexOf('-') + 1) : null;
    return timed("create", retrying(path, attempt -> {
      CompletableFuture<String> first = attempt == 0 || marker == null
          ? CompletableFuture.completedFuture(null)
          : creates.findProtected(Namespace.parent(target), marker, options);
      return first.thenCompose(found -> found != null ? creates.withStat(found)
          : creates.createOnce(path, target, data, options, attempt > 0));
    })).thenApply(c -> new OpResult.Created(ns.fromServer(c.path()), c.stat()));
  }

  /**
   * Creates a node unless one exists at the path; the stage says whether this call created it.
   * For non-sequential modes only.
   *
   * @throws IllegalArgumentException for a sequential mode
   */
  public CompletionStage<Boolean> createIfAbsent(String path, byte[] data,
      CreateOptions options) {
    if (options.mode().isSequential()) {
      throw new IllegalArgumentException("createIfAbsent needs a non-sequential mode, not "
          + options.mode());
    }
    return create(path, data, options).thenApply(p -> true).exceptionallyCompose(e ->
        RoostException.unwrap(e) instanceof RoostException.NodeExistsException
            ? CompletableFuture.completedFuture(false)
            : CompletableFuture.failedFuture(RoostException.unwrap(e)));
  }

  // ------------------------------------------------------------------------------------------
  // Deleting, setting
  // ------------------------------------------------------------------------------------------

  /** Deletes a node whatever its version. */
  public CompletionStage<Void> delete(String path) {
    return delete(path, -1);
  }

  /**
   * Deletes a node at {@code version} (-1: any). For an unversioned delete, a retry after a lost
   * connection that finds no node counts as done: the node is gone, which is what was asked. A
   * versioned delete is a compare-and-delete, and a retry that finds no node cannot tell whether
   * this call or another deleted it: it fails with the NoNode it met rather than claim a success
   * that may be someone else's.
   */
  public CompletionStage<Void> delete(String path, int version) {
    String sp = ns.toServer(path);
    return timed("delete", retrying(path, attempt -> send(OpCode.delete, path,
        new DeleteRequest(sp, version), in -> (Void) null, null)
        .exceptionallyCompose(e -> {
          if (attempt > 0 && RoostException.unwrap(e) instanceof RoostException.NoNodeException) {
            return version == -1 ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(RoostException.unwrap(e));
          }
          return CompletableFuture.failedFuture(e);
        })));
  }

  /** Deletes a node if it exists; the stage says whether it did. */
  public CompletionStage<Boolean> deleteIfExists(String path) {
    return delete(path, -1).thenApply(v -> true).exceptionallyCompose(e -> RoostException.unwrap(e)
        instanceof RoostException.NoNodeException ? CompletableFuture.completedFuture(false)
        : CompletableFuture.failedFuture(RoostException.unwrap(e)));
  }

  /** Deletes a node and everything below it (not atomic: children first). */
  public CompletionStage<Void> deleteRecursive(String path) {
    return getChildren(path).toCompletableFuture().thenCompose(children -> {
      CompletableFuture<?>[] subs = children.stream()
          .map(c -> deleteRecursive((path.equals("/") ? "" : path) + "/" + c)
              .toCompletableFuture())
          .toArray(CompletableFuture[]::new);
      return CompletableFuture.allOf(subs);
    }).thenCompose(v -> deleteIfExists(path)).thenApply(b -> (Void) null)
        .exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NoNodeException
            ? CompletableFuture.completedFuture(null)
            : CompletableFuture.failedFuture(RoostException.unwrap(e)));
  }

  /**
   * Sets a node's data at {@code version} (-1: any); the stage gives the new stat. A retry after
   * a lost connection that meets BadVersion but finds the node at {@code version + 1} with this
   * data counts as done.
   */
  public CompletionStage<Stat> setData(String path, byte[] data, int version) {
    String sp = ns.toServer(path);
    return timed("setData", retrying(path, attempt -> send(OpCode.setData, path,
        new SetDataRequest(sp, data, version), in -> StatResponse.read(in).stat(), null)
        .exceptionallyCompose(e -> {
          Throwable cause = RoostException.unwrap(e);
          if (attempt > 0 && version >= 0
              && cause instanceof RoostException.BadVersionException) {
            return send(OpCode.getData, path, new GetDataRequest(sp, false),
                GetDataResponse::read, null).thenCompose(r ->
                r.stat().version() == version + 1 && Arrays.equals(r.data(), data)
                    ? CompletableFuture.completedFuture(r.stat())
                    : CompletableFuture.failedFuture(cause));
          }
          return CompletableFuture.failedFuture(cause);
        })));
  }

  /** Sets a node's ACL at {@code version} (-1: any). */
  public CompletionStage<Stat> setAcl(String path, List<ACL> acl, int version) {
    String sp = ns.toServer(path);
    return timed("setACL", retrying(path, attempt -> send(OpCode.setACL, path,
        new SetACLRequest(sp, acl, version), in -> StatResponse.read(in).stat(), null)));
  }

  /**
   * Runs the ops atomically: all or none, with one zxid. A failure completes the stage with the
   * failing op's exception ({@link RoostException#opIndex()} says which). Never retried.
   */
  public CompletionStage<List<OpResult>> multi(List<Op> ops) {
    Objects.requireNonNull(ops, "ops");
    return timed("multi", onContext(() -> Multi.send(this, ops)));
  }

  // ------------------------------------------------------------------------------------------
  // Reading and watching
  // ------------------------------------------------------------------------------------------

  /** The node's stat, or null if it does not exist. */
  public CompletionStage<Stat> exists(String path) {
    return exists(path, null);
  }

  /**
   * The node's stat, or null if it does not exist; {@code watch} (if not null) fires once when
   * the node is created, deleted or its data changes.
   */
  public CompletionStage<Stat> exists(String path, WatchListener watch) {
    String sp = ns.toServer(path);
    return timed("exists", retrying(path, attempt -> send(OpCode.exists, path,
        new ExistsRequest(sp, watch != null), in -> StatResponse.read(in).stat(),
        watch == null ? null : err -> {
          // As ZooKeeper's client: on an existing node the watch is a data watch (it waits for a
          // change or deletion); only on a missing node does it wait for a create. Re-registered
          // after a reconnect as an exist watch, one on an existing node would fire a spurious
          // NODE_CREATED at once and then miss the deletion.
          if (err == 0) {
            watches.add(Watches.Kind.DATA, sp, relative(watch));
          } else if (err == Code.NO_NODE.code()) {
            watches.add(Watches.Kind.EXIST, sp, relative(watch));
          }
        }).exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NoNodeException
            ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(e))));
  }

  /** The node's data and stat. */
  public CompletionStage<NodeData> getData(String path) {
    return getData(path, null);
  }

  /** The node's data and stat; {@code watch} fires once on a data change or deletion. */
  public CompletionStage<NodeData> getData(String path, WatchListener watch) {
    String sp = ns.toServer(path);
    return timed("getData", retrying(path, attempt -> send(OpCode.getData, path,
        new GetDataRequest(sp, watch != null), in -> {
          GetDataResponse r = GetDataResponse.read(in);
          return new NodeData(r.data(), r.stat());
        }, watch == null ? null : err -> {
          if (err == 0) {
            watches.add(Watches.Kind.DATA, sp, relative(watch));
          }
        })));
  }

  /** The node's children's names (unsorted). */
  public CompletionStage<List<String>> getChildren(String path) {
    return getChildren(path, null);
  }

  /** The node's children's names; {@code watch} fires once on a change of the list or deletion. */
  public CompletionStage<List<String>> getChildren(String path, WatchListener watch) {
    String sp = ns.toServer(path);
    return timed("getChildren", retrying(path, attempt -> send(OpCode.getChildren, path,
        new GetChildrenRequest(sp, watch != null), in -> GetChildrenResponse.read(in).children(),
        watch == null ? null : err -> {
          if (err == 0) {
            watches.add(Watches.Kind.CHILD, sp, relative(watch));
          }
        })));
  }

  /** The number of all descendants of a node. */
  public CompletionStage<Integer> getAllChildrenNumber(String path) {
    String sp = ns.toServer(path);
    return timed("getAllChildrenNumber", retrying(path, attempt -> send(
        OpCode.getAllChildrenNumber, path, new GetAllChildrenNumberRequest(sp),
        in -> GetAllChildrenNumberResponse.read(in).totalNumber(), null)));
  }

  /** The node's ACL. */
  public CompletionStage<List<ACL>> getAcl(String path) {
    String sp = ns.toServer(path);
    return timed("getACL", retrying(path, attempt -> send(OpCode.getACL, path,
        new GetACLRequest(sp), in -> GetACLResponse.read(in).acl(), null)));
  }

  /** Catches the connected server up with the leader before later reads. */
  public CompletionStage<Void> sync(String path) {
    String sp = ns.toServer(path);
    return timed("sync", retrying(path, attempt -> send(OpCode.sync, path, new SyncRequest(sp),
        in -> {
          SyncResponse.read(in);
          return (Void) null;
        }, null)));
  }

  /**
   * Adds a persistent watch (recursive: on the node and every descendant, without child-list
   * events) that stays until removed, across reconnects and new sessions. After a reconnect the
   * watch is registered again, but, as in ZooKeeper, the server does <em>not</em> report the
   * changes made while the client was away: a listener that mirrors state must read it again on
   * {@link ConnectionState#RECONNECTED} (the caches in {@code io.roost.recipes.cache} do).
   * Adding the same listener twice on one path registers it once.
   */
  public CompletionStage<Void> addWatch(String path, boolean recursive, WatchListener watch) {
    Objects.requireNonNull(watch, "watch");
    String sp = ns.toServer(path);
    Watches.Kind kind = recursive ? Watches.Kind.PERSISTENT_RECURSIVE : Watches.Kind.PERSISTENT;
    WatchListener target = relative(watch);
    return timed("addWatch", retrying(path, attempt -> send(OpCode.addWatch, path,
        new AddWatchRequest(sp, recursive ? 1 : 0), in -> (Void) null, err -> {
          if (err == 0) {
            watches.add(kind, sp, target);
          }
        })));
  }

  /**
   * Removes one listener of a persistent watch added with {@link #addWatch}: it is told nothing
   * more. The server's watch goes only when no other listener of this client still uses it on
   * this path, so recipes that watch the same path do not cut each other off. Completes at once
   * if the listener was not registered; a connection lost meanwhile counts as done (the watch is
   * not registered again).
   */
  public CompletionStage<Void> removeWatch(String path, boolean recursive, WatchListener watch) {
    Objects.requireNonNull(watch, "watch");
    String sp = ns.toServer(path);
    Watches.Kind kind = recursive ? Watches.Kind.PERSISTENT_RECURSIVE : Watches.Kind.PERSISTENT;
    WatchListener target = relative(watch);
    return onContext(() -> {
      if (!watches.remove(kind, sp, target) || watches.has(kind, sp)) {
        return CompletableFuture.completedFuture(null);
      }
      return send(OpCode.removeWatches, path, new RemoveWatchesRequest(sp, recursive ? 5 : 4),
          in -> (Void) null, null).exceptionallyCompose(e -> {
            Throwable cause = RoostException.unwrap(e);
            return cause instanceof RoostException.NoWatcherException
                || cause instanceof RoostException.ConnectionLossException
                ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(cause);
          });
    });
  }

  /** Removes every watch this client has on {@code path} (here and on the server). */
  public CompletionStage<Void> removeAllWatches(String path) {
    String sp = ns.toServer(path);
    return onContext(() -> {
      for (Watches.Kind k : Watches.Kind.values()) {
        watches.remove(k, sp, null);
      }
      return send(OpCode.removeWatches, path, new RemoveWatchesRequest(sp, 3), in -> (Void) null,
          null).exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NoWatcherException
              ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(e))
          .thenCompose(v -> send(OpCode.removeWatches, path, new RemoveWatchesRequest(sp, 4),
              in -> (Void) null, null).exceptionallyCompose(e -> CompletableFuture
                  .completedFuture(null)))
          .thenCompose(v -> send(OpCode.removeWatches, path, new RemoveWatchesRequest(sp, 5),
              in -> (Void) null, null).exceptionallyCompose(e -> CompletableFuture
                  .completedFuture(null)));
    });
  }

  /** Delivers events with paths relative to the namespace. */
  private WatchListener relative(WatchListener watch) {
    if (ns.prefix().isEmpty()) {
      return watch;
    }
    return new RelativeWatch(watch, ns);
  }

  /** Wraps a listener so equal listeners stay equal (removal and de-duplication work). */
  private record RelativeWatch(WatchListener target, Namespace ns) implements WatchListener {
    @Override
    public void process(WatchEvent event) {
      target.process(new WatchEvent(event.type(), ns.fromServer(event.path())));
    }
  }

  // ------------------------------------------------------------------------------------------
  // Plumbing
  // ------------------------------------------------------------------------------------------

  /** Sends one request (on the client's context) and gives its answer. */
  <T> CompletableFuture<T> send(int op, String path, Record body, Request.Decoder<T> decoder,
      Request.WatchRegistration watch) {
    return onContext(() -> {
      Request<T> r = new Request<>(op, path, body, decoder, watch);
      session.send(r);
      return r.future;
    });
  }

  Namespace ns() {
    return ns;
  }

  long currentSessionId() {
    return session.sessionId();
  }

  /** Runs {@code work} on the client's context; its stage's callbacks run there too. */
  <T> CompletableFuture<T> onContext(Supplier<CompletableFuture<T>> work) {
    if (closing.get() != null) {
      // After close() every call fails its stage (it never throws, never hangs).
      return CompletableFuture.failedFuture(new IllegalStateException(
          "this RoostClient is closed; build a new one"));
    }
    if (Vertx.currentContext() == context) {
      return work.get();
    }
    CompletableFuture<T> out = new CompletableFuture<>();
    try {
      context.runOnContext(v -> work.get().whenComplete((r, e) -> {
        if (e != null) {
          out.completeExceptionally(RoostException.unwrap(e));
        } else {
          out.complete(r);
        }
      }));
    } catch (java.util.concurrent.RejectedExecutionException closedVertx) {
      out.completeExceptionally(new IllegalStateException(
          "this RoostClient's Vert.x instance is closed", closedVertx));
    }
    return out;
  }

  /** Validates {@code path} (if any), then runs {@code attempt} under the retry policy. */
  private <T> CompletableFuture<T> retrying(String path, IntFunction<CompletableFuture<T>> attempt) {
    if (path != null) {
      Namespace.validate(path, true);
    }
    return retries.run(attempt);
  }

  private <T> CompletableFuture<T> timed(String op, CompletableFuture<T> f) {
    long t0 = System.nanoTime();
    return f.whenComplete((r, e) -> Timer.builder("roost.client.requests")
        .tag("op", op)
        .tag("outcome", e == null ? "ok" : RoostException.unwrap(e) instanceof RoostException re
            ? re.code().name().toLowerCase(java.util.Locale.ROOT) : "error")
        .register(meters).record(Duration.ofNanos(System.nanoTime() - t0)));
  }


  @Override
  public String toString() {
    return "RoostClient{" + config.connectString + ", session 0x" + Long.toHexString(sessionId)
        + ", " + state + "}";
  }

  // ------------------------------------------------------------------------------------------
  // Builder
  // ------------------------------------------------------------------------------------------

  /** Builds a client; {@link #build()} checks the settings and names the one that is wrong. */
  public static final class Builder {
    private String connectString;
    private HostList hosts;
    private Duration sessionTimeout = Duration.ofSeconds(30);
    private Duration connectionTimeout = Duration.ofSeconds(15);
    private Duration blockingTimeout = Duration.ofSeconds(60);
    private RetryPolicy retryPolicy =
        RetryPolicy.exponentialBackoff(Duration.ofMillis(100), Duration.ofSeconds(5), 10);
    private String namespace;
    private String digestUser;
    private String digestPassword;
    private Vertx vertx;
    private MeterRegistry meters;
    private int maxFrameBytes = 1_048_575 + 1024;

    private Builder() {}

    /** Servers as {@code host:port[,host:port...]} (required). */
    public Builder connectString(String connectString) {
      this.connectString = connectString;
      return this;
    }

    /** The session timeout to ask for (default 30 s; the server clamps it). */
    public Builder sessionTimeout(Duration sessionTimeout) {
      this.sessionTimeout = sessionTimeout;
      return this;
    }

    /** How long {@link RoostClient#start()} waits for the first session (default 15 s). */
    public Builder connectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = connectionTimeout;
      return this;
    }

    /** How long the blocking facade waits for an answer (default 60 s). */
    public Builder blockingTimeout(Duration blockingTimeout) {
      this.blockingTimeout = blockingTimeout;
      return this;
    }

    /** How retryable failures are retried (default: exponential, 100 ms to 5 s, 10 times). */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /** A path prefix for every path this client uses (created on start). */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** Authenticates with the digest scheme after every connect. */
    public Builder digestAuth(String user, String password) {
      this.digestUser = user;
      this.digestPassword = password;
      return this;
    }

    /** Runs on this Vert.x instance (default: a private one, closed with the client). */
    public Builder vertx(Vertx vertx) {
      this.vertx = vertx;
      return this;
    }

    /** Records metrics here (default: nowhere). */
    public Builder meterRegistry(MeterRegistry meters) {
      this.meters = meters;
      return this;
    }

    /** The largest frame accepted from a server, in bytes (default jute.maxbuffer + 1 KiB). */
    public Builder maxFrameBytes(int maxFrameBytes) {
      this.maxFrameBytes = maxFrameBytes;
      return this;
    }

    /**
     * Checks the settings and makes the client (not started).
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public RoostClient build() {
      hosts = HostList.parse(connectString, new java.util.Random());
      positive(sessionTimeout, "sessionTimeout");
      positive(connectionTimeout, "connectionTimeout");
      positive(blockingTimeout, "blockingTimeout");
      if (sessionTimeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("sessionTimeout=" + sessionTimeout + " is too long");
      }
      Objects.requireNonNull(retryPolicy, "retryPolicy");
      if ((digestUser == null) != (digestPassword == null) || (digestUser != null
          && (digestUser.isEmpty() || digestUser.indexOf(':') >= 0))) {
        throw new IllegalArgumentException("digestAuth needs a user without ':' and a password");
      }
      if (maxFrameBytes < 1024) {
        throw new IllegalArgumentException("maxFrameBytes=" + maxFrameBytes
            + " must be at least 1024");
      }
      new Namespace(namespace); // validates
      return new RoostClient(this);
    }

    private static void positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + "=" + d + " must be positive");
      }
    }
  }
}

package io.roost.recipes.nodes;

import io.micrometer.core.instrument.Counter;
import io.roost.client.ConnectionState;
import io.roost.client.ConnectionStateListener;
import io.roost.client.CreateOptions;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import io.roost.client.WatchListener;
import io.roost.core.proto.CreateMode;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node this client keeps present until {@link #closeAsync() closed}, typically an ephemeral
 * one announcing "I am here": it is created on {@link #start()}, created again when someone
 * else deletes it (an exist watch sees that) and when the session that owned it is lost (on
 * RECONNECTED after LOST). Like Curator's {@code PersistentNode}, async first.
 *
 * <p>For an ephemeral node, a node at the path owned by another session (this client's lost
 * session, not yet expired on the servers, or another client) is waited out: its deletion
 * fires the watch and this node takes the path. A sequential node gets a new name each time it
 * is created again ({@link #actualPath()}); a non-sequential persistent node found in place is
 * adopted and given this node's data.
 *
 * <p>Connection states: on SUSPENDED the node may or may not still exist (an ephemeral one goes
 * if the session expires); nothing is done until the client is back. On RECONNECTED the node
 * is checked and made again if missing. On LOST an ephemeral node is gone; it is made again in
 * the new session on RECONNECTED. Failures to create are retried with backoff (100 ms doubling
 * to 5 s) until closed. Metric: {@code roost.recipes.node.created} (counter, tag {@code path}).
 */
public final class PersistentNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PersistentNode.class.getName());
  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final RoostClient client;
  private final String path;
  private final CreateOptions options;
  private final CompletableFuture<String> firstCreated = new CompletableFuture<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final WatchListener watcher = event -> ensure();
  private final ConnectionStateListener stateListener = (c, s) -> {
    if (s == ConnectionState.RECONNECTED) {
      ensure();
    }
  };
  private final Counter created;
  private volatile byte[] data;
  private volatile String actualPath;
  private volatile boolean started;
  private volatile boolean closed;
  private volatile long backoffMs = MIN_BACKOFF_MS;

  /**
   * A node at {@code path} made with {@code options} (its mode, ACL, TTL and whether parents
   * are created) holding {@code data}.
   *
   * @throws IllegalArgumentException if {@code client} or {@code options} is null
   */
  public PersistentNode(RoostClient client, String path, CreateOptions options, byte[] data) {
    if (client == null || options == null) {
      throw new IllegalArgumentException((client == null ? "client" : "options") + " is null");
    }
    if (path == null || !path.startsWith("/") || path.equals("/")) {
      throw new IllegalArgumentException("node path \"" + path + "\" must be an absolute path"
          + " other than /");
    }
    this.client = client;
    this.path = path;
    this.options = options;
    this.data = data == null ? new byte[0] : data.clone();
    this.created = Counter.builder("roost.recipes.node.created")
        .description("times the node was (re-)created").tag("path", path)
        .register(client.meters());
  }

  /** An ephemeral node at {@code path} holding {@code data}, its parents created if missing. */
  public static PersistentNode ephemeral(RoostClient client, String path, byte[] data) {
    return new PersistentNode(client, path,
        CreateOptions.of(CreateMode.EPHEMERAL).withParents(true), data);
  }

  /**
   * Starts keeping the node; the stage gives its path once first created (it keeps trying
   * until then, or until closed).
   *
   * @throws IllegalStateException if already started or closed
   */
  public CompletionStage<String> start() {
    if (closed || started) {
      throw new IllegalStateException("persistent node " + path + " was already "
          + (closed ? "closed" : "started"));
    }
    started = true;
    client.addConnectionStateListener(stateListener);
    ensure();
    return firstCreated.copy();
  }

  /** The node's path as created (with its sequence suffix), or null before the first create. */
  public String actualPath() {
    return actualPath;
  }

  /** Sets the node's data, now and for every later re-creation. */
  public CompletionStage<Void> setData(byte[] newData) {
    byte[] copy = newData == null ? new byte[0] : newData.clone();
    this.data = copy;
    String p = actualPath;
    if (p == null || closed) {
      return CompletableFuture.completedFuture(null);
    }
    return client.setData(p, copy, -1).toCompletableFuture().thenApply(s -> (Void) null)
        .exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NoNodeException
            ? CompletableFuture.completedFuture(null) // re-created with the new data
            : CompletableFuture.failedFuture(RoostException.unwrap(e)));
  }

  /** Asks for a check of the node; checks run one at a time and a request during one repeats it. */
  private void ensure() {
    if (closed || !started || requests.getAndIncrement() > 0) {
      return;
    }
    drain();
  }

  private void drain() {
    int asked = requests.get();
    CompletableFuture<Void> check;
    try {
      check = ensureOnce();
    } catch (RuntimeException e) {
      check = CompletableFuture.failedFuture(e);
    }
    check.whenComplete((v, e) -> {
      if (e != null && !closed) {
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, delay * 2);
        LOG.log(Level.WARNING, "could not make node {0} ({1}); trying again in {2} ms", path,
            RoostException.unwrap(e).toString(), delay);
        client.vertx().setTimer(delay, id -> ensure());
      } else if (e == null) {
        backoffMs = MIN_BACKOFF_MS;
      }
      if (requests.addAndGet(-asked) > 0) {
        drain();
      }
    });
  }

  /** Makes sure the node exists and is this session's (for an ephemeral), watching it. */
  private CompletableFuture<Void> ensureOnce() {
    if (closed) {
      return CompletableFuture.completedFuture(null);
    }
    String p = actualPath;
    if (p == null) {
      return create();
    }
    return client.exists(p, watcher).toCompletableFuture().thenCompose(stat -> {
      if (stat == null) {
        return create();
      }
      if (options.mode().isEphemeral() && stat.ephemeralOwner() != client.sessionId()) {
        // An earlier session's node, soon deleted: a sequential node gets a new one now, a
        // plain one waits for the deletion (the watch just set sees it).
        return options.mode().isSequential() ? create() : CompletableFuture.completedFuture(null);
      }
      return CompletableFuture.completedFuture(null);
    });
  }

  private CompletableFuture<Void> create() {
    return client.create(path, data, options).toCompletableFuture()
        .thenCompose(this::madeAt)
        .exceptionallyCompose(e -> {
          if (RoostException.unwrap(e) instanceof RoostException.NodeExistsException) {
            return foundInPlace();
          }
          return CompletableFuture.failedFuture(RoostException.unwrap(e));
        });
  }

  private CompletableFuture<Void> madeAt(String p) {
    if (closed) {
      return client.deleteIfExists(p).toCompletableFuture().thenApply(x -> (Void) null);
    }
    actualPath = p;
    created.increment();
    firstCreated.complete(p);
    return client.exists(p, watcher).toCompletableFuture().thenAccept(stat -> {
      if (stat == null) {
        ensure(); // deleted already: again
      }
    });
  }

  /** A create met an existing node at the (non-sequential) path. */
  private CompletableFuture<Void> foundInPlace() {
    return client.exists(path, watcher).toCompletableFuture().thenCompose(stat -> {
      if (stat == null) {
        ensure(); // gone meanwhile: again
        return CompletableFuture.completedFuture(null);
      }
      if (options.mode().isEphemeral()) {
        if (stat.ephemeralOwner() == client.sessionId()) {
          return madeAt(path);
        }
        return CompletableFuture.completedFuture(null); // wait for its owner's session to end
      }
      return client.setData(path, data, -1).thenCompose(s -> madeAt(path));
    });
  }

  /**
   * Stops keeping the node and deletes it (an ephemeral one only if this session owns it);
   * the stage completes once deleted.
   */
  public CompletionStage<Void> closeAsync() {
    if (closed) {
      return CompletableFuture.completedFuture(null);
    }
    closed = true;
    client.removeConnectionStateListener(stateListener);
    firstCreated.completeExceptionally(new IllegalStateException("persistent node " + path
        + " was closed"));
    String p = actualPath;
    if (p == null) {
      return CompletableFuture.completedFuture(null);
    }
    return client.exists(p).toCompletableFuture().thenCompose(stat -> {
      if (stat == null || (options.mode().isEphemeral()
          && stat.ephemeralOwner() != client.sessionId())) {
        return CompletableFuture.completedFuture(null);
      }
      return client.deleteIfExists(p).thenApply(x -> (Void) null);
    });
  }

  /** Starts {@link #closeAsync()} without waiting for the deletion. */
  @Override
  public void close() {
    closeAsync();
  }


  @Override
  public String toString() {
    return "PersistentNode{" + path + ", " + options.mode() + ", at " + actualPath + "}";
  }
}

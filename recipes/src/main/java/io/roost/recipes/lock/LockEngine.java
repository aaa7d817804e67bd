package io.roost.recipes.lock;

import io.roost.client.CreateOptions;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import io.roost.client.WatchEvent;
import io.roost.core.proto.CreateMode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one mechanism under locks, read/write locks, semaphores and leader election: each
 * contender creates an ephemeral sequential node under the lock path; a {@link LockRule} says
 * from the sorted contenders whether it holds, and if not which single node (or, for
 * semaphores, the child list) it watches before looking again. No polling, no herd on release.
 * Everything runs as callbacks on the client's event loop; nothing blocks.
 */
public final class LockEngine {
  private final RoostClient client;
  private final String path;

  /**
   * @param client the client whose session holds the nodes
   * @param path the lock path (created, with its parents, when first used)
   */
  public LockEngine(RoostClient client, String path) {
    this.client = java.util.Objects.requireNonNull(client, "client");
    this.path = java.util.Objects.requireNonNull(path, "path");
    if (path.equals("/") || !path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("lock path \"" + path + "\" must be a node below /");
    }
  }

  /** The lock path. */
  public String path() {
    return path;
  }

  /**
   * Joins the contenders with a node named {@code prefix} + sequence and waits until
   * {@code rule} says it holds, or {@code timeout} (null: forever) passes. Completes with the
   * lease, or with null on timeout (the node is then removed); fails if the session is lost
   * while waiting.
   */
  CompletionStage<Lease> acquire(String prefix, LockRule rule, Duration timeout, byte[] data) {
    CompletableFuture<Lease> result = new CompletableFuture<>();
    client.createWithStat(path + "/" + prefix, data,
        CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL).withParents(true))
        .whenComplete((created, e) -> {
          if (e != null) {
            result.completeExceptionally(RoostException.unwrap(e));
            return;
          }
          Attempt a = new Attempt(created.path(), created.stat().czxid(),
              created.stat().ephemeralOwner(), rule, result);
          if (timeout != null) {
            long ms = Math.max(1, timeout.toMillis());
            long timer = client.vertx().setTimer(ms, id -> a.timeOut());
            result.whenComplete((l, x) -> client.vertx().cancelTimer(timer));
          }
          a.check();
        });
    return result;
  }

  /** The current holders' node names under {@code rule}, oldest first (for inspection). */
  public CompletionStage<List<String>> contenders() {
    return client.getChildren(path).thenApply(Contenders::sort).exceptionally(e -> {
      if (RoostException.unwrap(e) instanceof RoostException.NoNodeException) {
        return List.of();
      }
      throw new java.util.concurrent.CompletionException(RoostException.unwrap(e));
    });
  }

  /** One contender's wait for the lock. */
  private final class Attempt {
    private final String node;
    private final long czxid;
    /** The session our node lives and dies with. */
    private final long owner;
    private final String name;
    private final LockRule rule;
    private final CompletableFuture<Lease> result;

    Attempt(String node, long czxid, long owner, LockRule rule,
        CompletableFuture<Lease> result) {
      this.node = node;
      this.czxid = czxid;
      this.owner = owner;
      this.name = node.substring(node.lastIndexOf('/') + 1);
      this.rule = rule;
      this.result = result;
    }

    void check() {
      if (result.isDone()) {
        return;
      }
      client.getChildren(path).whenComplete((children, e) -> {
        if (e != null) {
          fail(e);
          return;
        }
        List<String> sorted = Contenders.sort(children);
        int ours = sorted.indexOf(name);
        if (ours < 0) {
          // Our node is gone: the session that made it ended while we waited.
          fail(RoostException.of(io.roost.core.proto.Code.SESSION_EXPIRED, node));
          return;
        }
        LockRule.Decision d = rule.decide(sorted, ours);
        if (d.acquired()) {
          acquired();
        } else if (d.watchChildren()) {
          client.getChildren(path, ev -> check()).whenComplete((c2, e2) -> {
            if (e2 != null) {
              fail(e2);
            } else {
              List<String> again = Contenders.sort(c2);
              int i = again.indexOf(name);
              if (i >= 0 && rule.decide(again, i).acquired()) {
                acquired();
              }
            }
          });
        } else {
          client.exists(path + "/" + d.watchNode(), ev -> {
            if (d.decisive() && ev.type() == WatchEvent.Type.NODE_DELETED && ownSessionLives()) {
              acquired(); // the last one ahead left, and no one can join ahead of us
            } else {
              check();
            }
          }).whenComplete((stat, e2) -> {
            if (e2 != null) {
              fail(e2);
            } else if (stat == null) {
              // Gone before the watch was set.
              if (d.decisive() && ownSessionLives()) {
                acquired();
              } else {
                check();
              }
            }
          });
        }
      });
    }

    /**
     * Whether the session that made our node is still the client's: after a LOST the client
     * re-registers its watches in a new session, and our ephemeral node died with the old one,
     * so an event then proves nothing and the child list must be read again.
     */
    private boolean ownSessionLives() {
      return client.sessionId() == owner;
    }

    private void acquired() {
      // The fencing token is the node's czxid, known since its creation: no extra round trip.
      if (!result.isDone()) {
        result.complete(new Lease(client, node, czxid));
      }
    }

    void timeOut() {
      if (result.complete(null)) {
        client.deleteIfExists(node);
      }
    }

    private void fail(Throwable e) {
      if (result.completeExceptionally(RoostException.unwrap(e))) {
        client.deleteIfExists(node);
      }
    }
  }

}

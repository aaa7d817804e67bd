package io.roost.recipes.queue;

import io.roost.client.CreateOptions;
import io.roost.client.NodeData;
import io.roost.client.Op;
import io.roost.client.OpResult;
import io.roost.client.RoostException;
import io.roost.core.proto.CreateMode;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Guaranteed delivery: an item is claimed, processed, and only then removed, so a consumer that
 * dies mid-item loses nothing.
 *
 * <p>A claim is an ephemeral child {@code claim} of the item node, made in one multi with a
 * setData of the item at the version read (same data), which bumps the item's version. That
 * version is the claim's fencing token: completing is a multi that deletes the claim and the
 * item <em>at that version</em>, so a consumer whose session died, and whose item another
 * consumer has claimed since (bumping the version again), can no longer remove it. While the
 * claim exists, a plain take cannot delete the item either (it has a child). When the
 * consumer's session ends, the server deletes the claim and the item is free again; waiting
 * consumers watch claims they meet, so they notice at once.
 */
final class Claims {
  private static final System.Logger LOG = System.getLogger(Claims.class.getName());
  static final String CLAIM = "claim";
  /** Tries of a completion or release whose answer a connection loss swallowed. */
  private static final int MAX_TRIES = 3;

  private final QueueEngine q;

  /**
   * A claimed item: its node, the version that fences it, the item as handed out and the
   * session that holds the claim.
   */
  record Claim(String itemPath, int version, QueueItem item, long session) {
    String claimPath() {
      return itemPath + "/" + CLAIM;
    }
  }

  Claims(QueueEngine q) {
    this.q = q;
  }

  /** Claims one item, or gives empty if another consumer has it or it is gone. */
  CompletableFuture<Optional<Claim>> claim(ItemName n, CompletableFuture<?> out) {
    String p = q.itemPath(n);
    return q.readUnclaimed(p).thenCompose(nd -> {
      if (nd == null || out.isDone()) {
        return CompletableFuture.completedFuture(Optional.<Claim>empty());
      }
      int v = nd.stat().version();
      byte[] owner = ("session 0x" + Long.toHexString(q.client.sessionId()))
          .getBytes(StandardCharsets.UTF_8);
      return q.client.multi(List.of(Op.setData(p, nd.data(), v),
          Op.create(p + "/" + CLAIM, owner, CreateOptions.of(CreateMode.EPHEMERAL))))
          .toCompletableFuture()
          .thenApply(r -> Optional.of(claimed(n, p, nd,
              ((OpResult.DataSet) r.get(0)).stat().version(), q.client.sessionId())))
          .exceptionallyCompose(e -> {
            Throwable c = RoostException.unwrap(e);
            if (c instanceof RoostException.ConnectionLossException) {
              return resolveLostClaim(n, p, nd);
            }
            return QueueEngine.lostTheRace(c)
                ? CompletableFuture.completedFuture(Optional.empty())
                : CompletableFuture.failedFuture(c);
          });
    });
  }

  private static Claim claimed(ItemName n, String p, NodeData nd, int newVersion,
      long session) {
    return new Claim(p, newVersion, new QueueItem(n.node(), n.id(), nd.data(),
        nd.stat().version()), session);
  }

  /** The claim's answer was lost: it happened if the claim node is this session's. */
  private CompletableFuture<Optional<Claim>> resolveLostClaim(ItemName n, String p,
      NodeData before) {
    return q.resolving(() -> q.client.exists(p + "/" + CLAIM).toCompletableFuture()
        .thenCompose(stat -> {
          if (stat == null || stat.ephemeralOwner() != q.client.sessionId()) {
            return CompletableFuture.completedFuture(Optional.<Claim>empty());
          }
          return q.client.exists(p).thenApply(item -> item == null ? Optional.<Claim>empty()
              : Optional.of(claimed(n, p, before, item.version(), stat.ephemeralOwner())));
        }));
  }

  /**
   * Runs the processor on a claimed item; when its stage succeeds, completes the item (removes
   * it), when it fails, releases the claim and fails with the processor's error.
   */
  CompletableFuture<QueueItem> run(Claim c,
      Function<QueueItem, ? extends CompletionStage<?>> processor) {
    CompletableFuture<Object> work = new CompletableFuture<>();
    try {
      CompletionStage<?> s = processor.apply(c.item());
      if (s == null) {
        throw new NullPointerException("the processor returned no stage for " + c.itemPath());
      }
      s.whenComplete((r, e) -> {
        if (e != null) {
          work.completeExceptionally(RoostException.unwrap(e));
        } else {
          work.complete(r);
        }
      });
    } catch (RuntimeException e) {
      work.completeExceptionally(e);
    }
    return work.handle((r, e) -> e == null ? complete(c, 1)
        : release(c, 1).<QueueItem>thenCompose(v -> CompletableFuture.failedFuture(e)))
        .thenCompose(f -> f);
  }

  /** Removes the item and its claim, fenced by the claim's version. */
  private CompletableFuture<QueueItem> complete(Claim c, int attempt) {
    return q.client.multi(List.of(Op.delete(c.claimPath(), -1),
        Op.delete(c.itemPath(), c.version()))).toCompletableFuture()
        .thenApply(r -> done(c))
        .exceptionallyCompose(e -> {
          Throwable cause = RoostException.unwrap(e);
          if (cause instanceof RoostException.NoNodeException re && re.opIndex() == 0) {
            // Our claim is gone (our session ended) but nobody may have claimed the item since:
            // the version says whether it is still the item we processed.
            return q.client.multi(List.of(Op.delete(c.itemPath(), c.version())))
                .toCompletableFuture().thenApply(r -> done(c))
                .exceptionallyCompose(e2 -> afterFailedCompletion(c, RoostException.unwrap(e2),
                    attempt));
          }
          return afterFailedCompletion(c, cause, attempt);
        });
  }

  private CompletableFuture<QueueItem> afterFailedCompletion(Claim c, Throwable cause,
      int attempt) {
    if (QueueEngine.lostTheRace(cause)) {
      return lost(c);
    }
    if (!(cause instanceof RoostException.ConnectionLossException) || attempt >= MAX_TRIES) {
      return CompletableFuture.failedFuture(cause);
    }
    // The answer was lost. Gone, in the session that holds the claim, means it happened (the
    // claim kept everyone else off); gone in a later session may be another consumer's work.
    // Still at our version means try again.
    return q.resolving(() -> q.client.exists(c.itemPath()).toCompletableFuture())
        .thenCompose(stat -> {
          if (stat == null) {
            return q.client.sessionId() == c.session()
                ? CompletableFuture.completedFuture(done(c)) : lost(c);
          }
          return stat.version() == c.version() ? complete(c, attempt + 1) : lost(c);
        });
  }

  private QueueItem done(Claim c) {
    q.completed.increment();
    return c.item();
  }

  private CompletableFuture<QueueItem> lost(Claim c) {
    q.claimsLost.increment();
    return CompletableFuture.failedFuture(new ClaimLostException(c.itemPath()));
  }

  /** Gives the item back (deletes the claim if it is still ours); never fails. */
  private CompletableFuture<Void> release(Claim c, int attempt) {
    return q.client.multi(List.of(Op.check(c.itemPath(), c.version()),
        Op.delete(c.claimPath(), -1))).toCompletableFuture()
        .thenAccept(r -> q.released.increment())
        .exceptionallyCompose(e -> {
          Throwable cause = RoostException.unwrap(e);
          if (cause instanceof RoostException.ConnectionLossException && attempt < MAX_TRIES) {
            return q.resolving(() -> CompletableFuture.completedFuture(null))
                .thenCompose(v -> release(c, attempt + 1));
          }
          if (!QueueEngine.lostTheRace(cause)) {
            LOG.log(Level.WARNING, "could not release the claim on {0} ({1}); it ends with this"
                + " client's session", c.itemPath(), cause.toString());
          }
          return CompletableFuture.completedFuture(null);
        });
  }
}

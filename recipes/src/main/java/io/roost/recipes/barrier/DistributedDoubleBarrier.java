package io.roost.recipes.barrier;

import io.roost.recipes.RecipePaths;
import io.roost.client.CreateOptions;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import io.roost.core.proto.CreateMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A double barrier: {@code memberCount} members {@link #enter} together (nobody gets in before
 * all have arrived) and {@link #leave} together (nobody gets out before all have left). Like
 * Curator's {@code DistributedDoubleBarrier}, async first.
 *
 * <p>Each member is an ephemeral child of the barrier node. Entering: a member creates its node
 * and watches for the {@code ready} node; the member that finds {@code memberCount} members
 * creates {@code ready}, which releases everyone. Leaving: the lowest member (by name) waits for
 * the highest to go; every other member deletes its node and waits for the lowest to go; the
 * lowest goes once it is alone. Then {@code ready} is deleted. Nobody polls; each waits on one
 * watch.
 *
 * <p>Use a fresh path per round (say, with a round number): a member that enters a path whose
 * previous round has not fully left yet would find {@code ready} and get through at once.
 *
 * <p>Connection states: on SUSPENDED, waits go on (watches are set again on reconnect) and a
 * wait with a deadline ends with false at its deadline. On LOST this member's node is gone: the
 * others no longer count it (while entering, the count may then stay short; while leaving, it
 * counts as having left). Blocking form: {@code client.blocking().await(barrier.enter(maxWait))}.
 */
public final class DistributedDoubleBarrier {
  private static final String READY = "ready";

  private final RoostClient client;
  private final String path;
  private final int memberCount;
  private final String memberName;

  /**
   * A double barrier at {@code path} for {@code memberCount} members; this member gets a random
   * name.
   *
   * @throws IllegalArgumentException if an argument is null, the path is not an absolute path
   *     other than {@code /} or {@code memberCount} is below 1
   */
  public DistributedDoubleBarrier(RoostClient client, String path, int memberCount) {
    this(client, path, memberCount, UUID.randomUUID().toString());
  }

  /**
   * A double barrier at {@code path} for {@code memberCount} members, this member named
   * {@code memberName} (unique among the members: its node's name).
   *
   * @throws IllegalArgumentException if an argument is null, the path is not an absolute path
   *     other than {@code /}, {@code memberCount} is below 1, or the name is empty, holds
   *     {@code /} or is {@code ready}
   */
  public DistributedDoubleBarrier(RoostClient client, String path, int memberCount,
      String memberName) {
    if (client == null) {
      throw new IllegalArgumentException("client is null");
    }
    RecipePaths.check(path, "barrier path");
    if (memberCount < 1) {
      throw new IllegalArgumentException("memberCount=" + memberCount + " must be at least 1");
    }
    if (memberName == null || memberName.isEmpty() || memberName.contains("/")
        || memberName.equals(READY) || memberName.equals(".") || memberName.equals("..")) {
      throw new IllegalArgumentException("memberName \"" + memberName + "\" must be a node name"
          + " (not empty, no /, not . or .., not \"" + READY + "\")");
    }
    this.client = client;
    this.path = path;
    this.memberCount = memberCount;
    this.memberName = memberName;
  }

  /** This member's node path. */
  public String memberPath() {
    return path + "/" + memberName;
  }

  /** Enters, waiting as long as it takes for all the members. */
  public CompletionStage<Void> enter() {
    return enter(Waits.FOREVER).thenApply(b -> null);
  }

  /**
   * Enters, waiting at most {@code maxWait} for all the members; the stage gives false if the
   * time ran out (this member's node is then deleted again: it did not enter).
   *
   * @throws IllegalArgumentException if {@code maxWait} is null or negative
   */
  public CompletionStage<Boolean> enter(Duration maxWait) {
    return enter(Waits.deadline(maxWait));
  }

  private CompletableFuture<Boolean> enter(long deadline) {
    CompletableFuture<Boolean> out = new CompletableFuture<>();
    client.create(memberPath(), new byte[0], CreateOptions.of(CreateMode.EPHEMERAL)
        .withParents(true).withIdempotent(true)).whenComplete((p, e) -> {
          if (e != null) {
            out.completeExceptionally(RoostException.unwrap(e));
          } else {
            enterRound(deadline, out);
          }
        });
    return out.thenCompose(entered -> entered ? CompletableFuture.completedFuture(true)
        : client.deleteIfExists(memberPath()).thenApply(x -> false));
  }

  private void enterRound(long deadline, CompletableFuture<Boolean> out) {
    CompletableFuture<Void> readyChanged = new CompletableFuture<>();
    String ready = path + "/" + READY;
    client.exists(ready, event -> readyChanged.complete(null)).toCompletableFuture()
        .thenCompose(stat -> stat != null ? CompletableFuture.completedFuture(true)
            : client.getChildren(path).thenCompose(children -> members(children).size()
                < memberCount ? CompletableFuture.completedFuture(false)
                : client.create(ready, new byte[0]).thenApply(x -> true)
                    .exceptionallyCompose(e -> RoostException.unwrap(e)
                        instanceof RoostException.NodeExistsException
                        ? CompletableFuture.completedFuture(true)
                        : CompletableFuture.failedFuture(RoostException.unwrap(e)))))
        .whenComplete((in, e) -> {
          if (e != null) {
            Waits.retryOrFail(client, e, deadline, out, () -> enterRound(deadline, out));
          } else if (in) {
            out.complete(true);
          } else {
            Waits.againOnEvent(client, readyChanged, deadline, out,
                () -> enterRound(deadline, out));
          }
        });
  }

  /** Leaves, waiting as long as it takes for all the members to leave. */
  public CompletionStage<Void> leave() {
    return leave(Waits.FOREVER).thenApply(b -> null);
  }

  /**
   * Leaves, waiting at most {@code maxWait} for all the members to leave; the stage gives false
   * if the time ran out (this member may have deleted its node by then).
   *
   * @throws IllegalArgumentException if {@code maxWait} is null or negative
   */
  public CompletionStage<Boolean> leave(Duration maxWait) {
    return leave(Waits.deadline(maxWait));
  }

  private CompletableFuture<Boolean> leave(long deadline) {
    CompletableFuture<Boolean> out = new CompletableFuture<>();
    leaveRound(deadline, out);
    return out.thenCompose(left -> !left ? CompletableFuture.completedFuture(false)
        : client.deleteIfExists(path + "/" + READY).thenApply(x -> true));
  }

  private void leaveRound(long deadline, CompletableFuture<Boolean> out) {
    CompletableFuture<Void> changed = new CompletableFuture<>();
    client.getChildren(path).toCompletableFuture()
        .exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NoNodeException
            ? CompletableFuture.completedFuture(List.of())
            : CompletableFuture.failedFuture(RoostException.unwrap(e)))
        .thenCompose(children -> {
          List<String> members = members(children);
          if (members.isEmpty()) {
            return CompletableFuture.completedFuture(true);
          }
          int ours = members.indexOf(memberName);
          if (members.size() == 1 && ours == 0) {
            return client.deleteIfExists(memberPath()).thenApply(x -> true);
          }
          // The lowest member waits for the highest; the others go and wait for the lowest.
          String awaited = ours == 0 ? members.get(members.size() - 1) : members.get(0);
          CompletableFuture<Void> goneIfNeeded = ours > 0
              ? client.deleteIfExists(memberPath()).toCompletableFuture().thenApply(x -> null)
              : CompletableFuture.completedFuture(null);
          return goneIfNeeded.thenCompose(v -> client.exists(path + "/" + awaited,
              event -> changed.complete(null))).thenApply(stat -> stat == null ? null : false);
        })
        .whenComplete((done, e) -> {
          if (e != null) {
            Waits.retryOrFail(client, e, deadline, out, () -> leaveRound(deadline, out));
          } else if (done == null) {
            leaveRound(deadline, out); // the awaited member already went: look again
          } else if (done) {
            out.complete(true);
          } else {
            Waits.againOnEvent(client, changed, deadline, out,
                () -> leaveRound(deadline, out));
          }
        });
  }

  private static List<String> members(List<String> children) {
    List<String> members = new ArrayList<>(children.size());
    for (String c : children) {
      if (!c.equals(READY)) {
        members.add(c);
      }
    }
    members.sort(null);
    return members;
  }

  @Override
  public String toString() {
    return "DistributedDoubleBarrier{" + path + ", " + memberCount + " members, this one "
        + memberName + "}";
  }
}

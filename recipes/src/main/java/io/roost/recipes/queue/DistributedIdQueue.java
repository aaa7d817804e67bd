package io.roost.recipes.queue;

import io.roost.client.RoostException;
import io.roost.client.RoostClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A distributed FIFO queue whose items also carry an id, by which they can be looked at or
 * removed before anyone takes them (say, to cancel a job). Several items may share an id. The
 * id is part of the item's node name: it may not contain {@code /} or control characters and
 * has at most 200 characters. See {@link AbstractDistributedQueue} for taking, guaranteed
 * processing, connection states and metrics.
 */
public final class DistributedIdQueue extends AbstractDistributedQueue {

  /**
   * An id queue at {@code path} (created, with its parents, by the first put).
   *
   * @throws IllegalArgumentException if {@code client} is null or {@code path} is not an
   *     absolute path other than {@code /}
   */
  public DistributedIdQueue(RoostClient client, String path) {
    super(new QueueEngine(client, path, ItemName.ID, Clock.systemUTC()));
  }

  /**
   * Puts an item with {@code id} at the end of the queue; the stage gives its node name.
   *
   * @throws IllegalArgumentException if the id is empty, too long, or holds {@code /} or a
   *     control character
   */
  public CompletionStage<String> put(String id, byte[] data) {
    ItemName.checkId(id);
    return engine.put(ItemName.prefix(ItemName.ID, 0, id), data);
  }

  /**
   * The first item with {@code id}, without removing it (one being processed included); empty
   * if there is none.
   *
   * @throws IllegalArgumentException if the id is not a valid id
   */
  public CompletionStage<Optional<QueueItem>> peek(String id) {
    ItemName.checkId(id);
    return withId(id).thenCompose(items -> peekFirst(items, 0));
  }

  private CompletableFuture<Optional<QueueItem>> peekFirst(List<ItemName> items, int i) {
    if (i >= items.size()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    ItemName n = items.get(i);
    return engine.client.getData(engine.itemPath(n)).toCompletableFuture()
        .thenApply(nd -> Optional.of(QueueEngine.item(n, nd)))
        .exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NoNodeException
            ? peekFirst(items, i + 1) : CompletableFuture.failedFuture(RoostException.unwrap(e)));
  }

  /**
   * Removes every item with {@code id} that nobody is processing; the stage gives how many it
   * removed (an item being processed stays, and is removed when its processing completes).
   *
   * @throws IllegalArgumentException if the id is not a valid id
   */
  public CompletionStage<Integer> remove(String id) {
    ItemName.checkId(id);
    return withId(id).thenCompose(items -> {
      List<CompletableFuture<Boolean>> deletes = new ArrayList<>();
      for (ItemName n : items) {
        deletes.add(engine.client.deleteIfExists(engine.itemPath(n)).toCompletableFuture()
            .exceptionallyCompose(e -> RoostException.unwrap(e)
                instanceof RoostException.NotEmptyException
                ? CompletableFuture.completedFuture(false)
                : CompletableFuture.failedFuture(RoostException.unwrap(e))));
      }
      return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new))
          .thenApply(v -> (int) deletes.stream().filter(CompletableFuture::join).count());
    });
  }

  private CompletableFuture<List<ItemName>> withId(String id) {
    return engine.list().thenApply(items -> items.stream()
        .filter(n -> id.equals(n.id())).toList());
  }
}

package io.roost.recipes.queue;

import io.roost.client.RoostClient;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/**
 * A distributed priority queue: items come out lowest priority number first, and in put order
 * among equal priorities. The priority is part of the item's node name, so the order costs
 * nothing beyond the listing every consumer makes anyway. See {@link AbstractDistributedQueue}
 * for taking, guaranteed processing, connection states and metrics.
 */
public final class DistributedPriorityQueue extends AbstractDistributedQueue {

  /**
   * A priority queue at {@code path} (created, with its parents, by the first put).
   *
   * @throws IllegalArgumentException if {@code client} is null or {@code path} is not an
   *     absolute path other than {@code /}
   */
  public DistributedPriorityQueue(RoostClient client, String path) {
    super(new QueueEngine(client, path, ItemName.PRIORITY, Clock.systemUTC()));
  }

  /**
   * Puts an item with {@code priority} (any int; lower numbers come out first); the stage gives
   * its node name.
   */
  public CompletionStage<String> put(byte[] data, int priority) {
    return engine.put(ItemName.prefix(ItemName.PRIORITY, priority, null), data);
  }
}

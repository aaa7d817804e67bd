package io.roost.recipes.queue;

import io.roost.client.RoostClient;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/**
 * A distributed FIFO queue: items come out in the order they were put (the order the server
 * assigned their sequence numbers). See {@link AbstractDistributedQueue} for taking, guaranteed
 * processing, connection states and metrics.
 *
 * <pre>{@code
 * DistributedQueue q = new DistributedQueue(client, "/jobs");
 * q.put(bytes);
 * q.process(item -> runJob(item.data()));   // removed once runJob's stage succeeds
 * }</pre>
 */
public final class DistributedQueue extends AbstractDistributedQueue {

  /**
   * A FIFO queue at {@code path} (created, with its parents, by the first put).
   *
   * @throws IllegalArgumentException if {@code client} is null or {@code path} is not an
   *     absolute path other than {@code /}
   */
  public DistributedQueue(RoostClient client, String path) {
    super(new QueueEngine(client, path, ItemName.FIFO, Clock.systemUTC()));
  }

  /**
   * Puts an item at the end of the queue; the stage gives its node name. A put retried after a
   * lost connection never adds the item twice (the create is protected).
   */
  public CompletionStage<String> put(byte[] data) {
    return engine.put(ItemName.prefix(ItemName.FIFO, 0, null), data);
  }
}

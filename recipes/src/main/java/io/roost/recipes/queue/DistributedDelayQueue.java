package io.roost.recipes.queue;

import io.roost.client.RoostClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * A distributed delay queue: an item is invisible to consumers until its due time, then items
 * come out earliest due first (put order among equal due times). The due time is part of the
 * item's node name; a consumer with nothing due waits for a Vert.x timer set to the earliest
 * due time, or for a change to the queue, whichever comes first.
 *
 * <p>Due times are wall-clock times of the putting process, compared with the consumer's clock:
 * clocks that disagree by some amount move deliveries by that amount. See
 * {@link AbstractDistributedQueue} for taking, guaranteed processing, connection states and
 * metrics.
 */
public final class DistributedDelayQueue extends AbstractDistributedQueue {
  private final Clock clock;

  /**
   * A delay queue at {@code path} on the system clock.
   *
   * @throws IllegalArgumentException if {@code client} is null or {@code path} is not an
   *     absolute path other than {@code /}
   */
  public DistributedDelayQueue(RoostClient client, String path) {
    this(client, path, Clock.systemUTC());
  }

  /**
   * A delay queue at {@code path} whose due times are read from {@code clock}.
   *
   * @throws IllegalArgumentException if an argument is null or {@code path} is not an absolute
   *     path other than {@code /}
   */
  public DistributedDelayQueue(RoostClient client, String path, Clock clock) {
    super(new QueueEngine(client, path, ItemName.DELAY, clock));
    this.clock = clock;
  }

  /**
   * Puts an item that becomes visible at {@code dueAt}; the stage gives its node name.
   *
   * @throws IllegalArgumentException if {@code dueAt} is null or before 1970
   */
  public CompletionStage<String> put(byte[] data, Instant dueAt) {
    if (dueAt == null || dueAt.isBefore(Instant.EPOCH)) {
      throw new IllegalArgumentException("dueAt=" + dueAt + " must be a time from 1970 on");
    }
    return engine.put(ItemName.prefix(ItemName.DELAY, dueAt.toEpochMilli(), null), data);
  }

  /**
   * Puts an item that becomes visible {@code delay} from now; the stage gives its node name.
   *
   * @throws IllegalArgumentException if {@code delay} is null or negative
   */
  public CompletionStage<String> put(byte[] data, Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("delay=" + delay + " must be zero or positive");
    }
    return put(data, clock.instant().plus(delay));
  }
}

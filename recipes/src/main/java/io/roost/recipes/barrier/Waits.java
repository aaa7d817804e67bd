package io.roost.recipes.barrier;

import io.roost.client.ConnectionState;
import io.roost.client.ConnectionStateListener;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Deadlines, watch-or-deadline waits and connection retries shared by the barriers. */
final class Waits {
  /** A deadline meaning "wait as long as it takes". */
  static final long FOREVER = Long.MAX_VALUE;

  private Waits() {}

  /**
   * The {@link System#nanoTime()} deadline {@code maxWait} from now.
   *
   * @throws IllegalArgumentException if {@code maxWait} is null or negative
   */
  static long deadline(Duration maxWait) {
    if (maxWait == null || maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait=" + maxWait + " must be zero or positive");
    }
    try {
      return System.nanoTime() + Math.min(maxWait.toNanos(), Long.MAX_VALUE / 4);
    } catch (ArithmeticException tooLong) {
      return FOREVER;
    }
  }

  /** Milliseconds left until {@code deadline} (0 once passed; Long.MAX_VALUE for FOREVER). */
  static long leftMs(long deadline) {
    if (deadline == FOREVER) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, (deadline - System.nanoTime() + 999_999) / 1_000_000);
  }

  /** True once {@code event} completes, false if {@code deadline} comes first. */
  static CompletableFuture<Boolean> eventOrDeadline(RoostClient client,
      CompletableFuture<Void> event, long deadline) {
    CompletableFuture<Boolean> out = new CompletableFuture<>();
    long left = leftMs(deadline);
    if (left == 0) {
      out.complete(event.isDone());
      return out;
    }
    if (left != Long.MAX_VALUE) {
      try {
        long timer = client.vertx().setTimer(left, id -> out.complete(false));
        out.whenComplete((v, e) -> client.vertx().cancelTimer(timer));
      } catch (RuntimeException stopped) {
        out.completeExceptionally(stopped); // the client's Vert.x is closed
        return out;
      }
    }
    event.whenComplete((v, e) -> out.complete(true));
    return out;
  }

  /**
   * Waits for {@code event} or {@code deadline}: runs {@code again} on the event, completes
   * {@code out} with false at the deadline (or exceptionally if the client's Vert.x is gone).
   */
  static void againOnEvent(RoostClient client, CompletableFuture<Void> event, long deadline,
      CompletableFuture<Boolean> out, Runnable again) {
    // A closed client fires no watch: look again then, and fail on the closed client.
    ConnectionStateListener onClose = (c, state) -> {
      if (state == ConnectionState.CLOSED) {
        event.complete(null);
      }
    };
    client.addConnectionStateListener(onClose);
    if (client.state() == ConnectionState.CLOSED) {
      event.complete(null);
    }
    eventOrDeadline(client, event, deadline).whenComplete((fired, e) -> {
      client.removeConnectionStateListener(onClose);
      if (e != null) {
        out.completeExceptionally(RoostException.unwrap(e));
      } else if (fired) {
        again.run();
      } else {
        out.complete(false);
      }
    });
  }

  /**
   * After a failure: if it was a connection problem and time is left, waits for the connection
   * and runs {@code again}; if the deadline passed, completes {@code out} with false; otherwise
   * fails {@code out} with the cause.
   */
  static void retryOrFail(RoostClient client, Throwable error, long deadline,
      CompletableFuture<Boolean> out, Runnable again) {
    Throwable cause = RoostException.unwrap(error);
    if (!(cause instanceof RoostException re) || !re.isRetryable()
        || client.state() == ConnectionState.CLOSED) {
      out.completeExceptionally(cause);
      return;
    }
    long left = leftMs(deadline);
    if (left == 0) {
      out.complete(false);
      return;
    }
    long waitMs = Math.min(left, client.sessionTimeout().toMillis());
    try {
      client.whenConnected(Duration.ofMillis(Math.max(1, waitMs)))
          .whenComplete((v, e) -> again.run());
    } catch (RuntimeException stopped) {
      out.completeExceptionally(stopped); // the client's Vert.x is closed
    }
  }


}

package io.roost.client;

import io.roost.core.proto.Code;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * A client's retry loop: runs an attempt until it succeeds, fails with an error that is not
 * retryable, or the {@link RetryPolicy} gives up; between attempts it waits out the policy's delay
 * and then for the connection. Delays are Vert.x timers on the client's context, so nothing
 * blocks; closing the client fails the requests still waiting.
 */
final class Retries {
  private final RoostClient client;
  private final RetryPolicy policy;
  /** Retries waiting out their delay, by timer id (touched on the client's context only). */
  private final Map<Long, CompletableFuture<Void>> delays = new HashMap<>();

  Retries(RoostClient client, RetryPolicy policy) {
    this.client = client;
    this.policy = policy;
  }

  /**
   * Runs {@code attempt(n)} (n = retries so far) under the policy; the stage gives the first
   * successful attempt's answer or the last error.
   */
  <T> CompletableFuture<T> run(IntFunction<CompletableFuture<T>> attempt) {
    CompletableFuture<T> out = new CompletableFuture<>();
    runAttempt(attempt, 0, System.nanoTime(), out);
    return out;
  }

  /** The client closed: the delayed retries fail with ConnectionLoss (on the context). */
  List<CompletableFuture<Void>> cancelAll() {
    List<CompletableFuture<Void>> waiting = new ArrayList<>(delays.values());
    Vertx vertx = client.vertx();
    delays.keySet().forEach(vertx::cancelTimer);
    delays.clear();
    return waiting;
  }

  private <T> void runAttempt(IntFunction<CompletableFuture<T>> attempt, int n, long start,
      CompletableFuture<T> out) {
    CompletableFuture<T> f;
    try {
      f = attempt.apply(n);
    } catch (RuntimeException e) {
      out.completeExceptionally(e);
      return;
    }
    f.whenComplete((r, e) -> {
      if (e == null) {
        out.complete(r);
        return;
      }
      Throwable cause = RoostException.unwrap(e);
      if (!(cause instanceof RoostException re) || !re.isRetryable() || closed()) {
        out.completeExceptionally(cause);
        return;
      }
      Duration delay = policy.nextDelay(n, Duration.ofNanos(System.nanoTime() - start));
      if (delay == null) {
        out.completeExceptionally(cause);
        return;
      }
      CompletableFuture<Void> waited;
      try {
        waited = client.onContext(() -> delayed(delay, cause));
      } catch (RuntimeException closedVertx) {
        out.completeExceptionally(cause);
        return;
      }
      waited.thenCompose(v -> client.whenConnected(client.sessionTimeout()))
          .whenComplete((v, ce) -> {
            if (ce != null) {
              out.completeExceptionally(cause);
            } else {
              runAttempt(attempt, n + 1, start, out);
            }
          });
    });
  }

  private CompletableFuture<Void> delayed(Duration delay, Throwable cause) {
    CompletableFuture<Void> delayed = new CompletableFuture<>();
    if (closed()) {
      delayed.completeExceptionally(cause);
      return delayed;
    }
    long timer = client.vertx().setTimer(Math.max(1, delay.toMillis()), id -> {
      delays.remove(id);
      delayed.complete(null);
    });
    delays.put(timer, delayed);
    return delayed;
  }

  private boolean closed() {
    return client.state() == ConnectionState.CLOSED;
  }

  /** The error a request waiting for a retry gets when the client closes. */
  static RoostException closedError() {
    return RoostException.of(Code.CONNECTION_LOSS, null);
  }
}

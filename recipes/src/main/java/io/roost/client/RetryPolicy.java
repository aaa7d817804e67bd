package io.roost.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides whether, and after how long, a request that failed with a retryable error
 * ({@link RoostException#isRetryable()}) is sent again. Only requests whose retry is safe are
 * retried (see {@link CreateOptions} for how creates are made safe).
 */
@FunctionalInterface
public interface RetryPolicy {
  /**
   * @param attempt how many retries came before this one (0 for the first retry)
   * @param elapsed time since the first attempt started
   * @return how long to wait before retrying, or null to give up
   */
  Duration nextDelay(int attempt, Duration elapsed);

  /** Never retries. */
  static RetryPolicy never() {
    return (attempt, elapsed) -> null;
  }

  /**
   * Retries up to {@code maxRetries} times, waiting {@code base} × 2^attempt (with up to 50%
   * random jitter so clients do not retry in step), at most {@code maxDelay}.
   */
  static RetryPolicy exponentialBackoff(Duration base, Duration maxDelay, int maxRetries) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("base=" + base + " must be positive");
    }
    if (maxDelay.compareTo(base) < 0) {
      throw new IllegalArgumentException("maxDelay=" + maxDelay + " must be at least base="
          + base);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries=" + maxRetries + " must be 0 or more");
    }
    return (attempt, elapsed) -> {
      if (attempt >= maxRetries) {
        return null;
      }
      long ms = base.toMillis() << Math.min(attempt, 30);
      ms = Math.min(Math.max(ms, 0), maxDelay.toMillis());
      long jitter = ms / 2 == 0 ? 0 : ThreadLocalRandom.current().nextLong(ms / 2);
      return Duration.ofMillis(ms - jitter);
    };
  }

  /** Retries up to {@code n} times, waiting {@code delay} each time. */
  static RetryPolicy nTimes(int n, Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (n < 0) {
      throw new IllegalArgumentException("n=" + n + " must be 0 or more");
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay=" + delay + " must not be negative");
    }
    return (attempt, elapsed) -> attempt < n ? delay : null;
  }

  /** Retries, waiting {@code delay} each time, until {@code maxElapsed} has passed. */
  static RetryPolicy untilElapsed(Duration maxElapsed, Duration delay) {
    Objects.requireNonNull(maxElapsed, "maxElapsed");
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay=" + delay + " must not be negative");
    }
    return (attempt, elapsed) -> elapsed.plus(delay).compareTo(maxElapsed) <= 0 ? delay : null;
  }
}

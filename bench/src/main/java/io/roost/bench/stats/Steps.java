package io.roost.bench.stats;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Runs a benchmark's steps one after the other, printing each step's name as it starts and its
 * duration as it ends, so a long run shows where it is. Not thread-safe: use from the benchmark's
 * main thread.
 */
public final class Steps {
  /** A step with no result. */
  @FunctionalInterface
  public interface Step {
    /** Does the step's work. */
    void run() throws Exception;
  }

  private final String prefix;
  private final PrintStream out;

  /**
   * @param name the benchmark's name, printed before every line
   * @param out where progress goes
   */
  public Steps(String name, PrintStream out) {
    this.prefix = "[" + name + "] ";
    this.out = out;
  }

  /**
   * Runs a step that produces a value.
   *
   * @param name what the step does, e.g. "load 1,000,000 nodes"
   * @param work the step
   * @return what {@code work} returned
   * @throws Exception whatever {@code work} threw, after printing that the step failed
   */
  public <T> T run(String name, Callable<T> work) throws Exception {
    out.println(prefix + name + " ...");
    long started = System.nanoTime();
    try {
      T result = work.call();
      out.println(prefix + name + ": done in " + seconds(System.nanoTime() - started));
      return result;
    } catch (Exception | Error e) {
      out.println(prefix + name + ": FAILED after " + seconds(System.nanoTime() - started));
      throw e;
    }
  }

  /** Runs a step that produces nothing; see {@link #run(String, Callable)}. */
  public void run(String name, Step work) throws Exception {
    run(name, () -> {
      work.run();
      return null;
    });
  }

  /** Prints one progress line. */
  public void note(String line) {
    out.println(prefix + "  " + line);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}

package io.roost.bench.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The entry point every benchmark program shares: parse the options (bad ones print what was wrong
 * and the usage, exit 2), print the usage on {@code --help}, run, and on a failure print it with
 * whatever the benchmark measured so far (exit 1). Exits 0 after a run that passed, so no stray
 * client or server thread keeps the JVM alive.
 */
public final class BenchMain {
  /** One benchmark run. */
  public interface Run {
    /** Runs the benchmark to the end. */
    void run() throws Exception;

    /** What was measured before a failure, as text to print, or null for nothing. */
    default String soFar() {
      return null;
    }
  }

  private BenchMain() {}

  /**
   * Deletes a benchmark's temporary directory and everything in it; a failure is printed (with
   * the directory, to delete by hand), never thrown, so it cannot hide the run's result.
   *
   * @param name the benchmark's name, for the message
   * @param dir the directory
   */
  public static void deleteTree(String name, Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("roost bench " + name + ": could not delete " + dir + ": " + e
          + "; delete it by hand");
    }
  }

  /**
   * Parses, runs and exits.
   *
   * @param name the benchmark's name in {@code bin/roost bench NAME}
   * @param args the command line
   * @param parse parses the options; throws IllegalArgumentException naming the bad option
   * @param wantsHelp whether the options ask only for the usage
   * @param usage what {@code --help} prints
   * @param create makes the run from the options
   * @param <O> the options type
   */
  public static <O> void main(String name, String[] args, Function<String[], O> parse,
      Predicate<O> wantsHelp, String usage, Function<O, Run> create) {
    O options;
    try {
      options = parse.apply(args);
    } catch (IllegalArgumentException e) {
      System.err.println("roost bench " + name + ": " + e.getMessage());
      System.err.print(usage);
      System.exit(2);
      return;
    }
    if (wantsHelp.test(options)) {
      System.out.print(usage);
      return;
    }
    Run run = create.apply(options);
    int status = 0;
    try {
      run.run();
    } catch (Exception | Error e) {
      System.err.println("roost bench " + name + ": FAILED: " + e);
      e.printStackTrace();
      String soFar = run.soFar();
      if (soFar != null) {
        System.err.println("\n" + soFar);
      }
      status = 1;
    }
    System.exit(status);
  }
}

package io.roost.bench.stats;

/** Reading the values of {@code --option value} command-line options, for the benchmarks. */
public final class OptionValues {
  private OptionValues() {}

  /**
   * The value after {@code option} at {@code args[i]}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /**
   * {@code text} as a whole number ({@code _} allowed between digits).
   *
   * @throws IllegalArgumentException naming {@code option} if it is not one
   */
  public static int intValue(String option, String text) {
    try {
      return Integer.parseInt(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " " + text + " is not a whole number");
    }
  }
}

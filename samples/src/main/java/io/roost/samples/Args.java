package io.roost.samples;

import java.util.HashMap;
import java.util.Map;

/** {@code --key value} command-line options with defaults, for the samples. */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  Args(String[] args, int from) {
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --option value, got \"" + a + "\"");
      }
      values.put(a.substring(2), args[++i]);
    }
  }

  String get(String key, String def) {
    return values.getOrDefault(key, def);
  }

  int getInt(String key, int def) {
    String v = values.get(key);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + " " + v + " is not a number");
    }
  }
}

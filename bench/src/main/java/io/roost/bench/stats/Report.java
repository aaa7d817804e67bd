package io.roost.bench.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark's figures in the order they were added, grouped by section, printed as a table
 * for people and as JSON for files. Not thread-safe: fill it from the benchmark's main thread.
 */
public final class Report {
  /**
   * One figure.
   *
   * @param section the group it belongs to, e.g. {@code load}
   * @param key its JSON name within the section, with the unit in it, e.g. {@code creates_per_s}
   * @param label what the table calls it
   * @param value a {@link Long}, a {@link Double} or a {@link String}
   * @param unit the unit shown in the table, or empty
   */
  public record Figure(String section, String key, String label, Object value, String unit) {}

  private final List<Figure> figures = new ArrayList<>();

  /** Adds a whole-number figure. */
  public Report add(String section, String key, String label, long value, String unit) {
    figures.add(new Figure(section, key, label, value, unit));
    return this;
  }

  /** Adds a figure with a fraction; NaN and infinities are written as JSON null. */
  public Report add(String section, String key, String label, double value, String unit) {
    figures.add(new Figure(section, key, label, value, unit));
    return this;
  }

  /** Adds a text figure (a name, a date, a command). */
  public Report add(String section, String key, String label, String value) {
    figures.add(new Figure(section, key, label, value, ""));
    return this;
  }

  /** The figures, in order. */
  public List<Figure> figures() {
    return List.copyOf(figures);
  }

  /**
   * A plain-text table: a heading per section (in the order of each section's first figure), then
   * one aligned line per figure.
   */
  public String table() {
    int labelWidth = 0;
    int valueWidth = 0;
    for (Figure f : figures) {
      labelWidth = Math.max(labelWidth, f.label().length());
      if (!(f.value() instanceof String)) {
        valueWidth = Math.max(valueWidth, text(f.value()).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, List<Figure>> section : bySection().entrySet()) {
      out.append(out.length() == 0 ? "" : "\n").append(section.getKey()).append('\n');
      for (Figure f : section.getValue()) {
        String value = text(f.value());
        out.append("  ").append(pad(f.label(), labelWidth)).append("  ");
        if (f.value() instanceof String) {
          out.append(value);
        } else {
          out.append(" ".repeat(valueWidth - value.length())).append(value);
          if (!f.unit().isEmpty()) {
            out.append(' ').append(f.unit());
          }
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** The figures by section, sections in the order of their first figure. */
  private Map<String, List<Figure>> bySection() {
    Map<String, List<Figure>> bySection = new LinkedHashMap<>();
    for (Figure f : figures) {
      bySection.computeIfAbsent(f.section(), s -> new ArrayList<>()).add(f);
    }
    return bySection;
  }

  /** A JSON object with one object per section, keys and sections in the order they were added. */
  public String json() {
    Map<String, List<Figure>> bySection = bySection();
    StringBuilder out = new StringBuilder("{\n");
    int s = 0;
    for (Map.Entry<String, List<Figure>> e : bySection.entrySet()) {
      out.append("  ").append(quote(e.getKey())).append(": {\n");
      List<Figure> list = e.getValue();
      for (int i = 0; i < list.size(); i++) {
        Figure f = list.get(i);
        out.append("    ").append(quote(f.key())).append(": ").append(jsonValue(f.value()))
            .append(i + 1 < list.size() ? ",\n" : "\n");
      }
      out.append("  }").append(++s < bySection.size() ? ",\n" : "\n");
    }
    return out.append("}\n").toString();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  /** How the table shows a value: fewer decimals as numbers grow. */
  static String text(Object value) {
    if (value instanceof Double) {
      double d = (Double) value;
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return "n/a";
      }
      double abs = Math.abs(d);
      int decimals = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : 3;
      return String.format(Locale.ROOT, "%,." + decimals + "f", d);
    }
    if (value instanceof Long) {
      return String.format(Locale.ROOT, "%,d", (Long) value);
    }
    return String.valueOf(value);
  }

  static String jsonValue(Object value) {
    if (value instanceof Double) {
      double d = (Double) value;
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return "null";
      }
      return BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros()
          .toPlainString();
    }
    if (value instanceof Long) {
      return value.toString();
    }
    return quote(String.valueOf(value));
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}

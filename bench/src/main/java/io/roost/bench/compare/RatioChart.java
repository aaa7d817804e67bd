package io.roost.bench.compare;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart, as SVG text, of each row's headline Roost/ZooKeeper ratio: ops/s for
 * throughput rows (higher is better), p50 for latency and time rows (lower is better). The axis
 * is logarithmic, from 1/8x to 8x, so 2x and 1/2x are as far from the dashed line at 1x (the two
 * systems equal); a bar runs from 1x to its ratio, green where Roost does better, red where it
 * does worse; a target's bound is drawn as a black tick on its row.
 */
public final class RatioChart {
  private static final int WIDTH = 1000;
  private static final int LABEL_WIDTH = 360;
  private static final int BAR_AREA = 470;
  private static final int ROW_HEIGHT = 34;
  private static final int TOP = 70;
  private static final int BOTTOM = 40;
  /** The axis runs from 1/8x to 8x; ratios beyond are drawn to the edge and say so. */
  private static final double MIN_RATIO = 0.125;
  private static final double MAX_RATIO = 8;

  private RatioChart() {}

  /**
   * The chart.
   *
   * @param title the heading line, e.g. the run's date and settings
   * @param rows the rows; those without a headline ratio are listed as "not measured"
   * @param targets the targets whose bounds are marked
   */
  public static String svg(String title, List<Row> rows, List<Target> targets) {
    int height = TOP + rows.size() * ROW_HEIGHT + BOTTOM;
    int bottom = TOP + rows.size() * ROW_HEIGHT;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
        + " height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">\n",
        WIDTH, height, WIDTH, height));
    s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n",
        WIDTH, height));
    s.append("<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">Roost / Apache"
        + " ZooKeeper (log scale; 1x = the same)</text>\n");
    s.append("<text x=\"10\" y=\"42\" fill=\"#444\">").append(escape(title)).append("</text>\n");
    s.append("<text x=\"10\" y=\"60\" fill=\"#444\">ops/s: higher is better; latency and"
        + " times (p50): lower is better. Green: Roost better. Black tick: target.</text>\n");
    for (double g = MIN_RATIO; g <= MAX_RATIO * 1.0001; g *= 2) {
      double x = x(g);
      boolean one = Math.abs(g - 1) < 1e-9;
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
          + " stroke=\"%s\" stroke-width=\"%s\"%s/>\n", x, TOP - 4, x, bottom,
          one ? "#333" : "#ddd", one ? "1.5" : "1", one ? " stroke-dasharray=\"5,4\"" : ""));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\""
          + " fill=\"#444\">%s</text>\n", x, bottom + 18, axisLabel(g)));
    }
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      int y = TOP + i * ROW_HEIGHT;
      String label = r.title() + " (" + r.headline().title() + ")";
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
          LABEL_WIDTH - 10, y + 21, escape(label)));
      double ratio = r.ratio(r.headline());
      if (Double.isNaN(ratio) || ratio <= 0) {
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#888\">not"
            + " measured</text>\n", LABEL_WIDTH + 4, y + 21));
        continue;
      }
      double from = x(1);
      double to = x(ratio);
      String colour = r.roostBetter(r.headline()) ? "#3a9a4a" : "#c8473a";
      s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\""
          + " height=\"%d\" fill=\"%s\"/>\n", Math.min(from, to), y + 7,
          Math.max(1, Math.abs(to - from)), ROW_HEIGHT - 12, colour));
      boolean clipped = ratio > MAX_RATIO || ratio < MIN_RATIO;
      String text = Row.ratioText(ratio) + (clipped ? " (off scale)" : "");
      if (ratio >= 1) {
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>\n",
            to + 6, y + 21, escape(text)));
      } else {
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>\n",
            from + 6, y + 21, escape(text)));
      }
      for (Target t : targets) {
        if (t.rowKey().equals(r.key()) && t.column() == r.headline()) {
          double tx = x(t.limit());
          s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\""
              + " y2=\"%d\" stroke=\"black\" stroke-width=\"3\"/>\n", tx, y + 3, tx,
              y + ROW_HEIGHT - 3));
        }
      }
    }
    return s.append("</svg>\n").toString();
  }

  /** The x of a ratio on the log axis, clamped to the axis. */
  static double x(double ratio) {
    double clamped = Math.max(MIN_RATIO, Math.min(MAX_RATIO, ratio));
    double span = Math.log(MAX_RATIO / MIN_RATIO);
    return LABEL_WIDTH + Math.log(clamped / MIN_RATIO) / span * BAR_AREA;
  }

  private static String axisLabel(double g) {
    return g >= 1 ? String.format(Locale.ROOT, "%.0fx", g)
        : "1/" + Math.round(1 / g) + "x";
  }

  /** Escapes text for an SVG (XML) text node. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}

package io.roost.bench.storage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a server's metrics from its admin HTTP port ({@code /metrics}, Prometheus text format),
 * as an operator's scraper would.
 */
public final class AdminMetrics {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final URI uri;

  /** Metrics of the server whose admin port is {@code port} on 127.0.0.1. */
  public AdminMetrics(int port) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/metrics");
  }

  /**
   * One scrape: every sample by its series name (labels included, as written).
   *
   * @throws IllegalStateException if the server does not answer 200 within the timeout
   */
  public Map<String, Double> scrape() throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered " + response.statusCode());
    }
    return parse(response.body());
  }

  /**
   * Parses Prometheus text: {@code name{labels} value [timestamp]} lines; comments and blank
   * lines are skipped.
   */
  static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int close = l.lastIndexOf('}');
      int split = close >= 0 ? close + 1 : l.indexOf(' ');
      if (split <= 0 || split >= l.length()) {
        continue;
      }
      String name = l.substring(0, split).strip();
      String value = l.substring(split).strip().split("\\s+")[0];
      samples.put(name, number(value));
    }
    return samples;
  }

  private static double number(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(value);
    };
  }

  /**
   * The value of {@code series} in a scrape.
   *
   * @throws IllegalStateException if the scrape lacks it (the server's metric names changed)
   */
  public static double value(Map<String, Double> scrape, String series) {
    Double v = scrape.get(series);
    if (v == null) {
      throw new IllegalStateException("the server's /metrics has no " + series);
    }
    return v;
  }
}

package io.roost.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.server.RoostServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin HTTP port: /health, /metrics in Prometheus text, 404 elsewhere. */
class AdminHttpTest {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)(\\s+\\d+)?$");

  @TempDir Path dir;

  private RoostServer server;
  private ZooKeeper zk;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    server = TestServers.start(dir);
    zk = ZkClients.connect(server.connectString("127.0.0.1"));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.close(zk, server);
  }

  @Test
  void healthIsUp() throws Exception {
    HttpResponse<String> r = get("/health");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("\"status\":\"UP\""), r.body());
  }

  @Test
  void metricsExposeGauges() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        r.headers().toString());
    String body = r.body();
    for (String name : List.of("roost_sessions", "roost_connections",
        "roost_requests_outstanding", "roost_watches", "roost_znodes")) {
      assertTrue(value(body, name, null).isPresent(), name + " missing from:\n" + body);
    }
    assertTrue(value(body, "roost_sessions", null).getAsDouble() >= 1, body);
    assertTrue(value(body, "roost_connections", null).getAsDouble() >= 1, body);
  }

  @Test
  void gaugesFollowTheServer() throws Exception {
    double znodes = value(get("/metrics").body(), "roost_znodes", null).getAsDouble();
    double sessions = value(get("/metrics").body(), "roost_sessions", null).getAsDouble();
    double watches = value(get("/metrics").body(), "roost_watches", null).getAsDouble();
    for (int i = 0; i < 3; i++) {
      zk.create("/g-" + i, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
    zk.getData("/g-0", true, null);
    ZooKeeper second = ZkClients.connect(server.connectString("127.0.0.1"));
    try {
      String body = get("/metrics").body();
      assertEquals(znodes + 3, value(body, "roost_znodes", null).getAsDouble(), body);
      assertEquals(sessions + 1, value(body, "roost_sessions", null).getAsDouble(), body);
      assertEquals(watches + 1, value(body, "roost_watches", null).getAsDouble(), body);
    } finally {
      second.close();
    }
  }

  @Test
  void requestTimersCountCallsByOpAndOutcome() throws Exception {
    // ZooKeeper.create(path, data, acl, mode) sends op "create" (1); the overload with a Stat
    // sends "create2" (15).
    int creates = 3;
    int create2s = 2;
    int reads = 5;
    int missing = 2;
    for (int i = 0; i < creates; i++) {
      zk.create("/m-" + i, new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
    for (int i = 0; i < create2s; i++) {
      zk.create("/s-" + i, new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
          new Stat());
    }
    for (int i = 0; i < reads; i++) {
      zk.getData("/m-" + (i % creates), false, null);
    }
    for (int i = 0; i < missing; i++) {
      try {
        zk.getData("/absent-" + i, false, null);
      } catch (org.apache.zookeeper.KeeperException.NoNodeException expected) {
        // counted as an error outcome
      }
    }
    String body = get("/metrics").body();
    assertTrue(count(body, "getData", "ok") >= reads, body);
    assertTrue(count(body, "getData", "error") >= missing, body);
    assertTrue(count(body, "create", "ok") >= creates, body);
    assertTrue(count(body, "create2", "ok") >= create2s, body);
    // Nothing else sends these ops, so the counts are exact.
    assertEquals(reads, count(body, "getData", "ok"), body);
    assertEquals(missing, count(body, "getData", "error"), body);
    assertEquals(creates, count(body, "create", "ok"), body);
    assertEquals(create2s, count(body, "create2", "ok"), body);
  }

  @Test
  void unknownPathIs404() throws Exception {
    assertEquals(404, get("/nope").statusCode());
    assertEquals(404, get("/metrics/extra").statusCode());
  }

  // ---- helpers ----

  private HttpResponse<String> get(String path) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.adminPort() + path))
        .timeout(Duration.ofSeconds(10)).GET().build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static double count(String body, String op, String outcome) {
    OptionalDouble v = value(body, "roost_requests_seconds_count",
        List.of("op=\"" + op + "\"", "outcome=\"" + outcome + "\""));
    assertTrue(v.isPresent(), "no roost_requests_seconds_count{op=\"" + op + "\",outcome=\""
        + outcome + "\"} in:\n" + body);
    return v.getAsDouble();
  }

  /**
   * The value of the first sample named {@code name} whose labels include all of
   * {@code labels} (null: any labels).
   */
  private static OptionalDouble value(String body, String name, List<String> labels) {
    for (String line : body.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.trim());
      if (!m.matches() || !m.group(1).equals(name)) {
        continue;
      }
      List<String> have = new ArrayList<>();
      if (m.group(3) != null) {
        for (String l : m.group(3).split(",")) {
          if (!l.isBlank()) {
            have.add(l.trim());
          }
        }
      }
      if (labels == null || have.containsAll(labels)) {
        return OptionalDouble.of(Double.parseDouble(m.group(4)));
      }
    }
    return OptionalDouble.empty();
  }
}

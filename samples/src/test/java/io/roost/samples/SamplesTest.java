package io.roost.samples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.client.BlockingRoostClient;
import io.roost.client.RoostClient;
import io.roost.server.RoostServer;
import io.roost.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The samples as separate processes against a real server. */
class SamplesTest {
  private static final Pattern RAN = Pattern.compile("\\[(w\\d)] ran the job with fencing token (\\d+)");
  @TempDir Path dir;
  private RoostServer server;
  private final List<SampleProcess> processes = new ArrayList<>();
  private RoostClient client;

  @BeforeEach
  void start() throws Exception {
    server = RoostServer.start(ServerConfig.builder().clientPortAddress("127.0.0.1")
        .clientPort(0).adminEnableServer(false).dataDir(dir.resolve("data"))
        .preAllocSizeKb(1024).tickTime(200).build());
    client = RoostClient.builder().connectString(server.connectString("127.0.0.1")).build();
    client.start().toCompletableFuture().join();
  }

  @AfterEach
  void stop() {
    processes.forEach(SampleProcess::close);
    client.close();
    server.close();
  }

  private SampleProcess sample(String name, String... args) throws Exception {
    SampleProcess p = new SampleProcess(dir, name, args);
    processes.add(p);
    return p;
  }

  /** The last worker that logged a job run, or null. */
  private static String lastRunner(List<SampleProcess> workers) {
    String best = null;
    long bestToken = -1;
    for (SampleProcess w : workers) {
      Matcher m = RAN.matcher(w.output());
      while (m.find()) {
        long t = Long.parseLong(m.group(2));
        if (t > bestToken) {
          bestToken = t;
          best = m.group(1);
        }
      }
    }
    return best;
  }

  @Test
  void theSchedulersLeaderRunsTheJobAndAnotherTakesOverWhenItIsKilled() throws Exception {
    String connect = server.connectString("127.0.0.1");
    List<SampleProcess> workers = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      workers.add(sample("w" + i, "job-scheduler", "--id", "w" + i, "--connect", connect,
          "--period-ms", "200", "--session-timeout-ms", "2000"));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> lastRunner(workers) != null);
    String leader = lastRunner(workers);
    BlockingRoostClient b = client.blocking();
    // Only the leader runs the job.
    await().atMost(Duration.ofSeconds(5)).until(() -> b.getChildren(JobScheduler.RUNS).size()
        >= 5);
    long before = b.getChildren(JobScheduler.RUNS).size();
    SampleProcess killed = workers.get(Integer.parseInt(leader.substring(1)) - 1);
    long killedAt = System.nanoTime();
    killed.kill();
    // Another worker takes over once the dead leader's session expires (2 s).
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      String now = lastRunner(workers);
      return now != null && !now.equals(leader);
    });
    long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
    assertTrue(tookMs < 2_000 + 8_000, "take-over took " + tookMs + " ms");
    // Every recorded run, in order, carries a fencing token at least as high as the one before.
    List<String> runs = new ArrayList<>(b.getChildren(JobScheduler.RUNS));
    runs.sort(Comparator.naturalOrder());
    long last = -1;
    List<String> runners = new ArrayList<>();
    for (String r : runs) {
      String data = new String(b.getData(JobScheduler.RUNS + "/" + r).data(),
          StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("(w\\d) token=(\\d+)").matcher(data);
      assertTrue(m.find(), data);
      long token = Long.parseLong(m.group(2));
      assertTrue(token >= last, "run " + r + " has token " + token + " after " + last);
      last = token;
      if (runners.isEmpty() || !runners.get(runners.size() - 1).equals(m.group(1))) {
        runners.add(m.group(1));
      }
    }
    assertTrue(runs.size() > before);
    assertEquals(2, runners.size(), "runs by more than one leader at a time: " + runners);
    assertEquals(leader, runners.get(0));
  }

  @Test
  void lockDemoProcessesIncrementTheCounterWithoutLosingOne() throws Exception {
    String connect = server.connectString("127.0.0.1");
    List<SampleProcess> demos = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      demos.add(sample("d" + i, "lock-demo", "--connect", connect, "--increments", "25",
          "--id", "d" + i));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> demos.stream()
        .noneMatch(SampleProcess::isAlive));
    for (SampleProcess d : demos) {
      assertEquals(0, d.exitCode(), d.output());
    }
    assertEquals("75", new String(client.blocking().getData(LockDemo.COUNTER).data(),
        StandardCharsets.UTF_8));
  }

  /** Ports handed out by {@link #freePort()} in this test: the kernel may repeat one. */
  private final java.util.Set<Integer> takenPorts = new java.util.HashSet<>();

  private int freePort() throws java.io.IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
          java.net.InetAddress.getLoopbackAddress())) {
        if (takenPorts.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      }
    }
    throw new java.io.IOException("no free loopback port found in 50 attempts");
  }

  private static String get(int port) {
    try {
      java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL(
          "http://127.0.0.1:" + port + "/").openConnection();
      c.setConnectTimeout(2_000);
      c.setReadTimeout(5_000);
      int code = c.getResponseCode();
      java.io.InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream();
      return code + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (java.io.IOException e) {
      return "io " + e.getMessage();
    }
  }

  @Test
  void theLoadBalancerRoutesToLiveBackendsOnlyAndDropsAKilledOne() throws Exception {
    String connect = server.connectString("127.0.0.1");
    sample("b1", "backend", "--id", "b1", "--port", Integer.toString(freePort()), "--connect",
        connect, "--session-timeout-ms", "2000");
    SampleProcess b2 = sample("b2", "backend", "--id", "b2", "--port",
        Integer.toString(freePort()), "--connect", connect, "--session-timeout-ms", "2000");
    int lbPort = freePort();
    SampleProcess lb = sample("lb", "load-balancer", "--port", Integer.toString(lbPort),
        "--connect", connect);
    java.util.Set<String> seen = new java.util.HashSet<>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      seen.add(get(lbPort));
      return seen.contains("200 backend b1") && seen.contains("200 backend b2");
    });
    long killedAt = System.nanoTime();
    b2.kill();
    // Once b2's session expires (2 s) it has left the group: every request goes to b1.
    await().atMost(Duration.ofSeconds(12)).until(() -> {
      for (int i = 0; i < 4; i++) {
        if (!get(lbPort).equals("200 backend b1")) {
          return false;
        }
      }
      return true;
    });
    // Not just the retry on the next backend: the balancer saw b2 leave the group.
    await().atMost(Duration.ofSeconds(12)).until(() -> lb.output().contains("member b2 LEFT"));
    long ms = (System.nanoTime() - killedAt) / 1_000_000;
    assertTrue(ms < 2_000 + 10_000, "b2 left the group " + ms + " ms after the kill");
    for (int i = 0; i < 10; i++) {
      assertEquals("200 backend b1", get(lbPort), "routed to a dead backend " + ms
          + " ms after the kill");
    }
  }
}

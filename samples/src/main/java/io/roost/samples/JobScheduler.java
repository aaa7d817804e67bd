package io.roost.samples;

import io.roost.client.CreateOptions;
import io.roost.client.Op;
import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import io.roost.core.proto.CreateMode;
import io.roost.recipes.leader.LeaderLatch;
import io.roost.recipes.lock.Lease;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A job-scheduler worker. Start several: they elect a leader with a {@link LeaderLatch}; only the
 * leader runs the periodic job. Each run is recorded under {@code /scheduler/runs} with the
 * leader's fencing token, through a guarded write (so a leader that lost its session cannot
 * record a run), and the job's "last token" node refuses a token lower than one it has seen.
 * Kill the leader and another worker takes over within the session timeout.
 */
final class JobScheduler {
  static final String ELECTION = "/scheduler/leader";
  static final String RUNS = "/scheduler/runs";
  static final String LAST_TOKEN = "/scheduler/last-token";

  private JobScheduler() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args, 0);
    String id = a.get("id", "worker-" + ProcessHandle.current().pid());
    int periodMs = a.getInt("period-ms", 1_000);
    RoostClient client = RoostClient.builder().connectString(a.get("connect", "127.0.0.1:2181"))
        .sessionTimeout(Duration.ofMillis(a.getInt("session-timeout-ms", 4_000))).build();
    client.start().toCompletableFuture().join();
    client.createIfAbsent(RUNS, new byte[0], CreateOptions.persistent().withParents(true))
        .toCompletableFuture().join();
    LeaderLatch latch = new LeaderLatch(client, ELECTION, id);
    latch.addListener(new LeaderLatch.Listener() {
      @Override
      public void isLeader(Lease leadership) {
        log(id, "leading with fencing token " + leadership.fencingToken());
      }

      @Override
      public void notLeader() {
        log(id, "not leading");
      }
    });
    latch.start();
    log(id, "worker started, session 0x" + Long.toHexString(client.sessionId()));
    client.vertx().setPeriodic(periodMs, t -> {
      Lease l = latch.leadership();
      if (l != null) {
        runJob(client, id, l);
      }
    });
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      latch.close();
      client.close();
      forever.countDown();
    }));
    forever.await();
  }

  /** The job: record a run, fenced twice (the guard and the token's compare-and-set). */
  static void runJob(RoostClient client, String id, Lease leadership) {
    long token = leadership.fencingToken();
    byte[] run = (id + " token=" + token + " at=" + Instant.now())
        .getBytes(StandardCharsets.UTF_8);
    client.getData(LAST_TOKEN).toCompletableFuture()
        .thenCompose(d -> {
          long seen = Long.parseLong(new String(d.data(), StandardCharsets.UTF_8));
          if (token < seen) {
            throw new IllegalStateException("token " + token + " is older than " + seen);
          }
          return leadership.guardedWrite(List.of(
              Op.setData(LAST_TOKEN, Long.toString(token).getBytes(StandardCharsets.UTF_8),
                  d.stat().version()),
              Op.create(RUNS + "/run-", run, CreateOptions.of(CreateMode.PERSISTENT_SEQUENTIAL))));
        })
        .exceptionallyCompose(e -> {
          if (unwrap(e) instanceof RoostException.NoNodeException ne
              && LAST_TOKEN.equals(ne.path())) {
            return client.create(LAST_TOKEN, "0".getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture().thenApply(p -> List.of());
          }
          return java.util.concurrent.CompletableFuture.failedFuture(unwrap(e));
        })
        .whenComplete((r, e) -> {
          if (e != null) {
            log(id, "job not recorded: " + unwrap(e).getMessage());
          } else if (!r.isEmpty()) {
            log(id, "ran the job with fencing token " + token);
          }
        });
  }

  private static Throwable unwrap(Throwable e) {
    while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  static void log(String id, String what) {
    System.out.println(Instant.now() + " [" + id + "] " + what);
    System.out.flush();
  }
}

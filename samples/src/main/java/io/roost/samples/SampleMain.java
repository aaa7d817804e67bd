package io.roost.samples;

import java.util.Arrays;

/** Runs one sample by name (see {@link #usage()}). */
public final class SampleMain {
  private SampleMain() {}

  /** Entry point; see {@code bin/roost sample help}. */
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
      System.exit(2);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "job-scheduler" -> JobScheduler.main(rest);
        case "lock-demo" -> LockDemo.main(rest);
        case "load-balancer" -> LoadBalancer.main(rest);
        case "backend" -> Backend.main(rest);
        default -> {
          System.err.println("unknown sample " + args[0]);
          usage();
          System.exit(2);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("sample " + args[0] + ": " + e.getMessage());
      System.exit(2);
    }
  }

  private static void usage() {
    System.err.println("""
        samples:
          job-scheduler --id W [--connect HOSTS] [--period-ms 1000]
              a worker; the leader among the workers runs the periodic job, fenced by its token
          lock-demo [--connect HOSTS] [--increments 100] [--id NAME]
              increments a shared counter under a mutex; run several at once
          backend --id B --port P [--connect HOSTS]
              an HTTP backend that joins the load balancer's group
          load-balancer --port P [--connect HOSTS]
              an HTTP proxy that routes to the group's live backends only
        HOSTS defaults to 127.0.0.1:2181.""");
  }
}

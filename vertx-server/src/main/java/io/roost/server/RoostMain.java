package io.roost.server;

import io.roost.server.config.ConfigException;
import io.roost.server.config.ConfigLoader;
import io.roost.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The launcher: {@code RoostMain server [FILE]} runs one server in the foreground until it is
 * stopped (Ctrl-C or SIGTERM). Without FILE it runs the embedded default: standalone, 127.0.0.1:2181,
 * data in ./data.
 */
public final class RoostMain {
  private RoostMain() {}

  /** Entry point. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length == 0 || !args[0].equals("server") || args.length > 2) {
      System.err.println("usage: roost server [FILE]");
      System.exit(2);
    }
    ServerConfig config;
    try {
      config = args.length == 2 ? ConfigLoader.load(Path.of(args[1])) : ServerConfig.defaults();
    } catch (ConfigException e) {
      System.err.println("roost: bad configuration: " + e.getMessage());
      System.exit(1);
      return;
    }
    if (!config.standalone()) {
      System.err.println("roost: server.N lines found, but ensembles arrive with the replication"
          + " work; remove them to run standalone");
      System.exit(1);
    }
    RoostServer server;
    try {
      server = RoostServer.start(config);
    } catch (IllegalStateException e) {
      System.err.println("roost: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("Roost " + RoostVersion.VERSION + " standalone on "
        + server.connectString(config.clientPortAddress()) + " (dataDir "
        + config.dataDir().toAbsolutePath() + "; state is in memory until durable storage lands)");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "roost-shutdown"));
    stopped.await();
  }
}

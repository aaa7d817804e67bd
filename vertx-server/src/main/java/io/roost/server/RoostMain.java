package io.roost.server;

import io.roost.server.config.ConfigException;
import io.roost.server.config.ConfigLoader;
import io.roost.server.config.PeerSpec;
import io.roost.server.config.ServerConfig;
import java.nio.file.Path;

/**
 * The launcher: {@code RoostMain server [FILE]} runs one server in the foreground until it is
 * stopped (Ctrl-C or SIGTERM); without FILE it runs the embedded default: standalone,
 * 127.0.0.1:2181, data in ./data. A FILE with {@code server.N} lines makes it the ensemble member
 * named by {@code dataDir/myid}. {@code RoostMain log FILE} and {@code RoostMain snapshot FILE}
 * print a log segment or a snapshot for operators.
 */
public final class RoostMain {
  private RoostMain() {}

  /** Entry point. */
  public static void main(String[] args) {
    if (args.length == 2 && (args[0].equals("log") || args[0].equals("snapshot"))) {
      System.exit(dump(args[0], Path.of(args[1])));
    }
    if (args.length == 0 || !args[0].equals("server") || args.length > 2) {
      System.err.println("usage: roost server [FILE] | roost log FILE | roost snapshot FILE");
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
    RoostServer server;
    try {
      server = RoostServer.start(config);
    } catch (IllegalStateException e) {
      System.err.println("roost: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("Roost " + RoostVersion.VERSION + " " + role(config) + " on "
        + server.connectString(config.clientPortAddress()) + ", data in "
        + config.dataDir().toAbsolutePath());
    // Vert.x's threads keep the JVM running after main returns; Ctrl-C or SIGTERM runs this hook.
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "roost-shutdown"));
  }

  /** "standalone", or "server 2 of an ensemble of 3 voters and 1 observer". */
  private static String role(ServerConfig config) {
    if (config.standalone()) {
      return "standalone";
    }
    long observers = config.servers().stream().filter(PeerSpec::observer).count();
    long voters = config.servers().size() - observers;
    return "server " + config.myId() + " of an ensemble of " + voters
        + (voters == 1 ? " voter" : " voters")
        + (observers == 0 ? "" : " and " + observers + (observers == 1 ? " observer" : " observers"));
  }

  private static int dump(String kind, Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      System.err.println("roost: " + file + " is not a file");
      return 1;
    }
    try {
      if (kind.equals("log")) {
        io.roost.core.storage.TxnLog.dump(file, System.out);
      } else {
        io.roost.core.storage.SnapshotFile.dump(file, System.out);
      }
      return 0;
    } catch (java.io.IOException | RuntimeException e) {
      System.out.flush();
      System.err.println("roost: " + e.getMessage());
      return 1;
    }
  }
}

package io.roost.bench.scale;

import io.roost.bench.failover.JvmEnsemble;
import io.roost.server.RoostVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One Roost server in its own JVM, configured as {@link io.roost.bench.failover.RoostEnsemble}'s
 * servers are, but with its admin HTTP server on, so the benchmark can read the snapshot timings
 * from {@code /metrics}.
 */
final class RoostScaleServer extends JvmEnsemble {
  private final int adminPort;

  RoostScaleServer(Path dir, int tickTimeMs, List<String> jvmOptions) throws IOException {
    super(dir, 1, tickTimeMs, jvmOptions);
    this.adminPort = freePort();
    // The superclass wrote zoo.cfg before this port was known; write it again with the port.
    Files.writeString(configFile(1), config(1), StandardCharsets.UTF_8);
  }

  /** The admin HTTP port on 127.0.0.1. */
  int adminPort() {
    return adminPort;
  }

  @Override
  public String name() {
    return "Roost " + RoostVersion.VERSION;
  }

  @Override
  protected String mainClass() {
    return "io.roost.server.RoostMain";
  }

  @Override
  protected List<String> arguments(int id) {
    return List.of("server", configFile(id).toAbsolutePath().toString());
  }

  @Override
  protected String config(int id) {
    if (adminPort == 0) {
      return super.config(id); // called from the superclass's constructor; rewritten above
    }
    return super.config(id).replace("admin.enableServer=false\n",
        "admin.enableServer=true\nadmin.serverPort=" + adminPort + "\n");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }
}

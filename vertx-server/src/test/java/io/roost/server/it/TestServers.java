package io.roost.server.it;

import io.roost.server.RoostServer;
import io.roost.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.zookeeper.ZooKeeper;

/** Starts real Roost servers on ephemeral loopback ports for tests. */
public final class TestServers {
  private TestServers() {}

  /** A standalone server with data in {@code dir}, every four-letter word allowed. */
  public static RoostServer start(Path dir) {
    return start(dir, b -> b);
  }

  /** Like {@link #start(Path)}, with changes to the configuration. */
  public static RoostServer start(Path dir, UnaryOperator<ServerConfig.Builder> tweak) {
    ServerConfig.Builder b = ServerConfig.builder()
        .clientPortAddress("127.0.0.1")
        .clientPort(0)
        .adminServerAddress("127.0.0.1")
        .adminServerPort(0)
        .dataDir(dir)
        .fourLetterWords(ServerConfig.ALL_FOUR_LETTER_WORDS)
        .preAllocSizeKb(1024);
    return RoostServer.start(tweak.apply(b).build());
  }

  /** Closes a test's client, then its server, either of them possibly null. */
  public static void close(ZooKeeper zk, RoostServer server) throws InterruptedException {
    try {
      if (zk != null) {
        zk.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /**
   * A free loopback port not in {@code taken}, which it joins: the kernel may hand out a port it
   * has just handed out, so ports picked one after another for one ensemble can repeat.
   */
  public static int freePort(Set<Integer> taken) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        if (taken.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      }
    }
    throw new IOException("no free loopback port found in 50 attempts");
  }
}

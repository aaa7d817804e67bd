package io.roost.server.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's first command, {@code bin/roost server}, as a real process and talks to it on
 * its default ports. Runs under failsafe after packaging, so the launcher finds the jar and
 * target/lib already built.
 */
class LauncherIT {
  private static final int CLIENT_PORT = 2181;
  private static final int ADMIN_PORT = 8080;

  @TempDir Path work;

  @Test
  void binRoostServerStartsAndServesTheOfficialClient() throws Exception {
    assertPortFree(CLIENT_PORT, "the client port");
    assertPortFree(ADMIN_PORT, "the admin HTTP port");

    // During the Maven run the working directory is vertx-server; the repository root is above.
    Path repoRoot = Path.of("").toAbsolutePath().getParent();
    Path launcher = repoRoot.resolve("bin").resolve("roost");
    assertTrue(Files.isExecutable(launcher), launcher + " is missing or not executable");

    Path log = work.resolve("roost.log");
    ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "server")
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().remove("ROOST_JVM_OPTS");
    Process process = pb.start();
    try {
      try {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
            .ignoreExceptionsInstanceOf(IOException.class)
            .until(() -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("bin/roost server exited with "
                    + process.exitValue() + ":\n" + readLog(log));
              }
              return "imok".equals(RawConnection.fourLetterWord(CLIENT_PORT, "ruok"));
            });
      } catch (ConditionTimeoutException e) {
        fail("bin/roost server did not answer ruok on 127.0.0.1:" + CLIENT_PORT
            + " within 60 s; its output:\n" + readLog(log), e);
      }

      ZooKeeper zk = ZkClients.connect("127.0.0.1:" + CLIENT_PORT);
      try {
        byte[] data = "launched".getBytes(StandardCharsets.UTF_8);
        assertEquals("/launcher-it",
            zk.create("/launcher-it", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertArrayEquals(data, zk.getData("/launcher-it", false, null));
      } finally {
        zk.close();
      }
      assertTrue(process.isAlive(), "the server stopped on its own:\n" + readLog(log));
    } finally {
      process.toHandle().descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
    assertTrue(!process.isAlive(), "the server process did not exit");
  }

  private static void assertPortFree(int port, String what) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      fail("port " + port + " (" + what + " of bin/roost server's default configuration) is"
          + " already in use on 127.0.0.1, so LauncherIT cannot start the server there; stop"
          + " whatever listens on it (" + e.getMessage() + ")");
    }
  }

  private static String readLog(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
    } catch (IOException e) {
      return "(could not read " + log + ": " + e.getMessage() + ")";
    }
  }
}

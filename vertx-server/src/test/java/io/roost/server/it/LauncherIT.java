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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's first command, {@code bin/roost server}, as a real process and talks to it on
 * its default ports, and {@code bin/roost ensemble 3} on free ports. Runs under failsafe after
 * packaging, so the launcher finds the jar and target/lib already built.
 */
class LauncherIT {
  private static final int CLIENT_PORT = 2181;
  private static final int ADMIN_PORT = 8080;

  @TempDir Path work;

  @Test
  void binRoostServerStartsAndServesTheOfficialClient() throws Exception {
    assertPortFree(CLIENT_PORT, "the client port");
    assertPortFree(ADMIN_PORT, "the admin HTTP port");

    Path launcher = launcher();
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

  @Test
  void binRoostEnsembleElectsOneLeaderServesTheOfficialClientAndStopsOnSigint() throws Exception {
    int base = freeEnsembleBasePort();
    Path launcher = launcher();
    Path log = work.resolve("ensemble.log");
    List<String> command = new ArrayList<>();
    if (System.getProperty("os.name", "").startsWith("Linux")) {
      // A JVM started in the background inherits SIGINT ignored, and a shell cannot trap a signal
      // ignored on entry; GNU env restores the default, as a terminal's Ctrl-C would find it.
      command.addAll(List.of("env", "--default-signal=INT"));
    }
    command.addAll(List.of(launcher.toString(), "ensemble", "3", "--base-port",
        Integer.toString(base)));
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("ROOST_JVM_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    Process process = pb.start();
    List<ProcessHandle> servers = new ArrayList<>();
    try {
      String connect = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 1) + ",127.0.0.1:"
          + (base + 2);
      try {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
            .until(() -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("bin/roost ensemble exited with "
                    + process.exitValue() + ":\n" + readLog(log));
              }
              return readLog(log).contains("Connect string: " + connect);
            });
      } catch (ConditionTimeoutException e) {
        fail("bin/roost ensemble did not report the ensemble ready within 60 s; its output:\n"
            + readLog(log), e);
      }
      List<String> modes = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        String srvr = RawConnection.fourLetterWord(base + k, "srvr");
        modes.add(srvr.lines().filter(l -> l.startsWith("Mode: ")).findFirst()
            .orElse("no Mode line in: " + srvr).substring("Mode: ".length()));
      }
      Collections.sort(modes);
      assertEquals(List.of("follower", "follower", "leader"), modes, readLog(log));

      byte[] data = "ensemble".getBytes(StandardCharsets.UTF_8);
      ZooKeeper zk = ZkClients.connect(connect);
      try {
        assertEquals("/launcher-ensemble", zk.create("/launcher-ensemble", data,
            ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
      } finally {
        zk.close();
      }
      for (int k = 0; k < 3; k++) {
        String one = "127.0.0.1:" + (base + k);
        // A follower may still be syncing with the leader: it refuses sessions until it serves.
        byte[] read = await().atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> readThrough(one, "/launcher-ensemble"), r -> r != null);
        assertArrayEquals(data, read, "server " + (k + 1) + " reads the write");
      }
      for (int k = 1; k <= 3; k++) {
        Path dir = work.resolve("ensemble").resolve("server" + k);
        assertEquals(Integer.toString(k), Files.readString(dir.resolve("data").resolve("myid"),
            StandardCharsets.UTF_8).strip());
        assertTrue(Files.isRegularFile(dir.resolve("zoo.cfg")), dir + "/zoo.cfg");
      }

      servers.addAll(process.toHandle().descendants().toList());
      assertEquals(3, servers.size(), "server JVMs under the launcher: " + servers);
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
      assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT failed");
      assertTrue(process.waitFor(60, TimeUnit.SECONDS),
          "bin/roost ensemble still runs 60 s after SIGINT:\n" + readLog(log));
      await().atMost(Duration.ofSeconds(10)).until(
          () -> servers.stream().noneMatch(ProcessHandle::isAlive));
      assertTrue(readLog(log).contains("all servers stopped"), readLog(log));
    } finally {
      servers.addAll(process.toHandle().descendants().toList());
      process.destroy();
      if (!process.waitFor(45, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      servers.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** Reads {@code path} through a session on {@code connectString} alone, after a sync. */
  private static byte[] readThrough(String connectString, String path) throws Exception {
    ZooKeeper zk = ZkClients.connect(connectString);
    try {
      CountDownLatch synced = new CountDownLatch(1);
      zk.sync(path, (rc, p, ctx) -> synced.countDown(), null);
      assertTrue(synced.await(10, TimeUnit.SECONDS), "sync on " + connectString);
      return zk.getData(path, false, null);
    } finally {
      zk.close();
    }
  }

  /**
   * A base port P for {@code bin/roost ensemble 3 --base-port P} whose client, peer, election and
   * admin ports (P+0..2, P+707.., P+1707.., P+5899..) are all free now.
   */
  private static int freeEnsembleBasePort() {
    Random random = new Random();
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + random.nextInt(20_000);
      boolean free = true;
      for (int offset : new int[] {0, 707, 1707, 5899}) {
        for (int k = 0; k < 3 && free; k++) {
          free = isFree(base + offset + k);
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free range of ensemble ports found in 50 attempts");
  }

  private static boolean isFree(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Path launcher() {
    // During the Maven run the working directory is vertx-server; the repository root is above.
    Path launcher = Path.of("").toAbsolutePath().getParent().resolve("bin").resolve("roost");
    assertTrue(Files.isExecutable(launcher), launcher + " is missing or not executable");
    return launcher;
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

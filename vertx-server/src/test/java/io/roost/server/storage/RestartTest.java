package io.roost.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.storage.SnapshotStore;
import io.roost.server.RoostServer;
import io.roost.server.it.TestServers;
import io.roost.server.it.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful restarts on the same data directory: everything written is there again. */
class RestartTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theTreeAndItsZxidSurviveARestart() throws Exception {
    Stat before;
    try (RoostServer server = TestServers.start(dir)) {
      ZooKeeper zk = ZkClients.connect(server.connectString("127.0.0.1"));
      zk.create("/a", bytes("one"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      zk.create("/a/s-", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
      zk.setData("/a", bytes("two"), -1);
      before = zk.exists("/a", false);
      zk.close();
    }
    try (RoostServer server = TestServers.start(dir)) {
      ZooKeeper zk = ZkClients.connect(server.connectString("127.0.0.1"));
      Stat after = new Stat();
      assertArrayEquals(bytes("two"), zk.getData("/a", false, after));
      assertEquals(before, after);
      assertEquals(1, zk.getChildren("/a", false).size());
      // Sequential numbering and zxids continue where they were.
      String next = zk.create("/a/s-", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT_SEQUENTIAL);
      assertEquals("/a/s-0000000001", next);
      assertTrue(zk.exists(next, false).getCzxid() > before.getMzxid());
      zk.close();
    }
  }

  @Test
  void aSnapshotPlusTheLogAfterItRestoresEverything() throws Exception {
    try (RoostServer server = TestServers.start(dir)) {
      ZooKeeper zk = ZkClients.connect(server.connectString("127.0.0.1"));
      for (int i = 0; i < 50; i++) {
        zk.create("/n" + i, bytes("v" + i), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }
      server.takeSnapshot();
      for (int i = 50; i < 80; i++) {
        zk.create("/n" + i, bytes("v" + i), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }
      zk.delete("/n0", -1);
      zk.close();
    }
    SnapshotStore snapshots = SnapshotStore.open(dir.resolve(DataFiles.SNAPSHOT_DIR));
    assertEquals(1, snapshots.snapshots().size());
    try (RoostServer server = TestServers.start(dir)) {
      ZooKeeper zk = ZkClients.connect(server.connectString("127.0.0.1"));
      assertEquals(79 + 1, zk.getChildren("/", false).size(), "79 nodes plus /zookeeper");
      assertArrayEquals(bytes("v79"), zk.getData("/n79", false, null));
      assertArrayEquals(bytes("v1"), zk.getData("/n1", false, null));
      zk.close();
    }
  }

  @Test
  void snapCountTriggersSnapshotsWhileWritesGoOn() throws Exception {
    try (RoostServer server = TestServers.start(dir, b -> b.snapCount(20))) {
      ZooKeeper zk = ZkClients.connect(server.connectString("127.0.0.1"));
      for (int i = 0; i < 100; i++) {
        zk.create("/s" + i, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }
      zk.close();
    }
    try (Stream<Path> files = Files.list(dir.resolve(DataFiles.SNAPSHOT_DIR))) {
      assertTrue(files.count() >= 3, "a snapshot about every 20 transactions");
    }
    try (RoostServer server = TestServers.start(dir)) {
      ZooKeeper zk = ZkClients.connect(server.connectString("127.0.0.1"));
      assertNotNull(zk.exists("/s99", false));
      zk.close();
    }
  }

  @Test
  void purgeKeepsTheNewestSnapshotsAndTheLogTheyNeed() throws Exception {
    // Tiny segments (1 KiB) so the log spans many files.
    try (RoostServer server = TestServers.start(dir, b -> b.preAllocSizeKb(1))) {
      ZooKeeper zk = ZkClients.connect(server.connectString("127.0.0.1"));
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 20; i++) {
          zk.create("/p" + round + "-" + i, new byte[64], ZooDefs.Ids.OPEN_ACL_UNSAFE,
              CreateMode.PERSISTENT);
        }
        server.takeSnapshot();
      }
      for (int i = 0; i < 10; i++) {
        zk.create("/after" + i, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }
      long segmentsBefore = count(dir.resolve(DataFiles.LOG_DIR));
      server.purgeNow();
      assertEquals(3, count(dir.resolve(DataFiles.SNAPSHOT_DIR)), "autopurge.snapRetainCount=3");
      assertTrue(count(dir.resolve(DataFiles.LOG_DIR)) < segmentsBefore, "old segments went");
      zk.close();
    }
    try (RoostServer server = TestServers.start(dir)) {
      ZooKeeper zk = ZkClients.connect(server.connectString("127.0.0.1"));
      assertEquals(5 * 20 + 10 + 1, zk.getChildren("/", false).size());
      zk.close();
    }
  }

  private static long count(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> !p.getFileName().toString().endsWith(".tmp")).count();
    }
  }

  @Test
  void aSecondServerOnTheSameDataDirIsRefused() {
    try (RoostServer server = TestServers.start(dir)) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> TestServers.start(dir));
      assertTrue(e.getMessage().contains("another Roost server is using"), e.getMessage());
    }
  }
}

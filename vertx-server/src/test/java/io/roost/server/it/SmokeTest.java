package io.roost.server.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roost.server.RoostServer;
import io.roost.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path dir;

  @Test
  void officialClientCreatesAndReads() throws Exception {
    ServerConfig config = ServerConfig.builder().clientPort(0).adminServerPort(0).dataDir(dir).build();
    try (RoostServer server = RoostServer.start(config)) {
      CountDownLatch connected = new CountDownLatch(1);
      ZooKeeper zk = new ZooKeeper("127.0.0.1:" + server.clientPort(), 10000, e -> {
        if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
          connected.countDown();
        }
      });
      try {
        connected.await(10, TimeUnit.SECONDS);
        zk.create("/a", "hello".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertArrayEquals("hello".getBytes(), zk.getData("/a", false, null));
        assertEquals(1, zk.exists("/a", false).getVersion() + 1);
      } finally {
        zk.close();
      }
    }
  }
}

package io.roost.server.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roost.server.RoostServer;
import java.nio.file.Path;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path dir;

  @Test
  void officialClientCreatesAndReads() throws Exception {
    try (RoostServer server = TestServers.start(dir)) {
      ZooKeeper zk = ZkClients.connect(server.connectString("127.0.0.1"));
      try {
        zk.create("/a", "hello".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertArrayEquals("hello".getBytes(), zk.getData("/a", false, null));
        assertEquals(1, zk.exists("/a", false).getVersion() + 1);
      } finally {
        zk.close();
      }
    }
  }
}

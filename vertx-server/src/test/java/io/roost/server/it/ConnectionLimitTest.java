package io.roost.server.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.roost.server.RoostServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** maxClientCnxns: connections from one IP past the limit are closed at once. */
class ConnectionLimitTest {
  @TempDir Path dir;

  @Test
  void thirdConnectionFromSameIpIsClosedUntilASlotFrees() throws Exception {
    try (RoostServer server = TestServers.start(dir, b -> b.maxClientCnxns(2))) {
      String cs = server.connectString("127.0.0.1");
      ZooKeeper first = ZkClients.connect(cs);
      ZooKeeper second = null;
      try {
        second = ZkClients.connect(cs);

        // The third connection is accepted by TCP and then closed by the server without an
        // answer, even to a valid handshake.
        try (RawConnection third = RawConnection.open(server.clientPort())) {
          try {
            third.send(RawConnection.connectRequest(30_000));
          } catch (IOException closedAlready) {
            // The server may have closed before we wrote.
          }
          RawConnection.Closed closed = third.awaitClosed(Duration.ofSeconds(5));
          assertEquals(0, closed.received().length, "the server answered a connection past"
              + " the limit");
        }

        // The two admitted clients are unaffected.
        first.create("/one", new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertArrayEquals(new byte[] {1}, second.getData("/one", false, null));

        // Free a slot: a new connection is admitted once the server has seen the close.
        first.close();
        first = null;
        AtomicReference<RawConnection> admitted = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
            .untilAsserted(() -> {
              RawConnection c = RawConnection.open(server.clientPort());
              try {
                long session = c.handshake().sessionId();
                assertNotEquals(0, session);
                admitted.set(c);
              } catch (IOException | RuntimeException | AssertionError e) {
                c.close();
                throw new AssertionError("not admitted yet: " + e, e);
              }
            });
        try (RawConnection c = admitted.get()) {
          // Full again: one more is refused.
          try (RawConnection extra = RawConnection.open(server.clientPort())) {
            try {
              extra.send(RawConnection.connectRequest(30_000));
            } catch (IOException closedAlready) {
              // fine
            }
            assertEquals(0, extra.awaitClosed(Duration.ofSeconds(5)).received().length);
          }
        }
        assertArrayEquals(new byte[] {1}, second.getData("/one", false, null));
      } finally {
        if (first != null) {
          first.close();
        }
        if (second != null) {
          second.close();
        }
      }
    }
  }
}

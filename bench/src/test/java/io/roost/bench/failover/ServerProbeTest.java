package io.roost.bench.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ServerProbeTest {
  @Test
  void readsTheModeAndZxidOfRoostsAndZooKeepersSrvr() {
    ServerProbe.Srvr s = ServerProbe.parseSrvr("Zookeeper version: 3.9.0-roost-0.1.0\n"
        + "Latency min/avg/max: 0.000/0.000/0.000\nReceived: 3\nSent: 3\nConnections: 1\n"
        + "Outstanding: 0\nZxid: 0x20000002a\nMode: leader\nNode count: 5\n");
    assertEquals("leader", s.mode());
    assertEquals(0x20000002aL, s.zxid());
    assertTrue(s.leading());
    assertFalse(s.following());
    assertTrue(ServerProbe.parseSrvr("Zxid: 0x5\nMode: follower\n").following());
    assertTrue(ServerProbe.parseSrvr("Mode: observer\n").following());
    assertEquals(-1, ServerProbe.parseSrvr("Mode: looking\n").zxid());
  }

  @Test
  void zooKeepersNotServingAnswerIsAMode() {
    ServerProbe.Srvr s =
        ServerProbe.parseSrvr("This ZooKeeper instance is not currently serving requests\n");
    assertEquals(ServerProbe.NOT_SERVING, s.mode());
    assertFalse(s.leading());
    assertFalse(s.following());
  }

  @Test
  void anAnswerWithoutModeIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> ServerProbe.parseSrvr("srvr is not executed because it is not in the whitelist.\n"));
  }

  @Test
  void aPortNobodyListensOnGivesNoAnswer() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = s.getLocalPort();
    }
    assertTrue(ServerProbe.srvr(port).isEmpty());
  }
}

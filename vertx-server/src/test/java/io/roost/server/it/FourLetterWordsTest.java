package io.roost.server.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.server.RoostServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four-letter words on the client port, against a real server and the official client. */
class FourLetterWordsTest {
  private static final List<String> ALL_WORDS =
      List.of("ruok", "srvr", "stat", "mntr", "conf", "cons", "wchs", "isro", "envi", "dump");

  @TempDir Path dir;

  private RoostServer server;
  private ZooKeeper zk;

  @BeforeEach
  void start() throws Exception {
    server = TestServers.start(dir);
    zk = ZkClients.connect(server.connectString("127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.close(zk, server);
  }

  @Test
  void ruokAnswersImok() throws Exception {
    assertEquals("imok", word("ruok"));
  }

  @Test
  void ruokWithTrailingNewlineAsSentByNetcatAnswersImok() throws Exception {
    // `echo ruok | nc host port` sends "ruok\n"; the first four bytes decide.
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      c.send("ruok\n".getBytes(StandardCharsets.US_ASCII));
      RawConnection.Closed closed = c.awaitClosed(RawConnection.READ_TIMEOUT);
      assertEquals("imok", new String(closed.received(), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void srvrReportsVersionModeAndNodeCount() throws Exception {
    String before = word("srvr");
    assertTrue(before.contains("Zookeeper version:"), before);
    assertTrue(before.contains("Mode: standalone"), before);
    int count = intField(before, "Node count: (\\d+)");
    createNodes("/srvr", 3);
    int after = intField(word("srvr"), "Node count: (\\d+)");
    assertEquals(count + 3, after);
  }

  @Test
  void statListsConnectedClients() throws Exception {
    String first = word("stat");
    assertTrue(first.contains("Zookeeper version:"), first);
    assertTrue(first.contains("Mode: standalone"), first);
    int withOne = clientLines(first).size();
    assertTrue(withOne >= 1, "the Clients section lists no connection: " + first);

    ZooKeeper second = ZkClients.connect(server.connectString("127.0.0.1"));
    try {
      List<String> lines = clientLines(word("stat"));
      assertEquals(withOne + 1, lines.size(), "a second client should add one line: " + lines);
      for (String line : lines) {
        assertTrue(line.startsWith("/127.0.0.1"), "unexpected client line: " + line);
        assertTrue(line.contains("(queued="), line);
        assertTrue(line.contains("recved="), line);
        assertTrue(line.contains("sent="), line);
      }
    } finally {
      second.close();
    }
    await().atMost(Duration.ofSeconds(10))
        .until(() -> clientLines(word("stat")).size() == withOne);
  }

  @Test
  void connectionLinesNameAddressAndPortAsZooKeeperDoes() throws Exception {
    // ZooKeeper prints the client's InetSocketAddress: " /127.0.0.1:54321[1](queued=...".
    try (RawConnection c = RawConnection.open(server.clientPort())) {
      long session = c.handshake().sessionId();
      String needle = "/127.0.0.1:" + c.localPort() + "[";
      String stat = word("stat");
      assertTrue(clientLines(stat).stream().anyMatch(l -> l.startsWith(needle)),
          "stat should list " + needle + "...; got:\n" + stat);
      String cons = word("cons");
      assertTrue(cons.lines().anyMatch(l -> l.trim().startsWith(needle)
              && l.contains("sid=0x" + Long.toHexString(session))),
          "cons should list " + needle + "... with sid=0x" + Long.toHexString(session)
              + "; got:\n" + cons);
    }
  }

  @Test
  void mntrHasTabSeparatedKeys() throws Exception {
    String text = word("mntr");
    for (String line : text.split("\n")) {
      if (!line.isEmpty()) {
        assertEquals(2, line.split("\t", -1).length, "not one key TAB value: '" + line + "'");
      }
    }
    Map<String, String> m = parseMntr(text);
    assertFalse(m.getOrDefault("zk_version", "").isBlank(), text);
    assertEquals("standalone", m.get("zk_server_state"), text);
    for (String key : List.of("zk_znode_count", "zk_watch_count", "zk_num_alive_connections")) {
      assertNotNull(m.get(key), key + " missing from mntr: " + text);
      Integer.parseInt(m.get(key));
    }
  }

  @Test
  void mntrZnodeCountFollowsCreatesAndDeletes() throws Exception {
    int before = mntrInt("zk_znode_count");
    assertEquals(before, intField(word("srvr"), "Node count: (\\d+)"));
    createNodes("/count", 4);
    assertEquals(before + 4, mntrInt("zk_znode_count"));
    zk.delete("/count-3", -1);
    assertEquals(before + 3, mntrInt("zk_znode_count"));
    assertEquals(before + 3, intField(word("srvr"), "Node count: (\\d+)"));
  }

  @Test
  void mntrAndWchsCountWatches() throws Exception {
    zk.create("/w", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create("/w/a", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create("/w/b", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    int mntrBefore = mntrInt("zk_watch_count");
    String wchsText = word("wchs");
    int wchsBefore = intField(wchsText, "Total watches:(\\d+)");
    int pathsBefore = intField(wchsText, "watching (\\d+) paths");
    assertEquals(mntrBefore, wchsBefore);

    // Data watches (getData, exists): ZooKeeper's wchs summarises these.
    zk.getData("/w/a", true, null);
    zk.exists("/w/b", true);
    assertEquals(mntrBefore + 2, mntrInt("zk_watch_count"));
    String wchs = word("wchs");
    assertEquals(wchsBefore + 2, intField(wchs, "Total watches:(\\d+)"), wchs);
    assertTrue(Pattern.compile("(\\d+) connections watching (\\d+) paths").matcher(wchs).find(),
        wchs);
    assertEquals(pathsBefore + 2, intField(wchs, "watching (\\d+) paths"), wchs);

    // A child watch: mntr's zk_watch_count counts data and child watches alike. (ZooKeeper's
    // wchs only summarises data watches, so it is not checked here.)
    zk.getChildren("/w", true);
    assertEquals(mntrBefore + 3, mntrInt("zk_watch_count"));

    // Firing the data watch on /w/a removes it (one-shot).
    zk.setData("/w/a", new byte[] {1}, -1);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> mntrInt("zk_watch_count") == mntrBefore + 2);
  }

  @Test
  void mntrCountsAliveConnections() throws Exception {
    int before = mntrInt("zk_num_alive_connections");
    ZooKeeper second = ZkClients.connect(server.connectString("127.0.0.1"));
    try {
      assertEquals(before + 1, mntrInt("zk_num_alive_connections"));
    } finally {
      second.close();
    }
    await().atMost(Duration.ofSeconds(10))
        .until(() -> mntrInt("zk_num_alive_connections") == before);
  }

  @Test
  void confReportsClientPort() throws Exception {
    String conf = word("conf");
    assertTrue(conf.contains("clientPort="), conf);
    assertTrue(conf.contains("dataDir="), conf);
    assertTrue(conf.contains("tickTime="), conf);
  }

  @Test
  void confReportsTheBoundClientPortAsZooKeeperDoes() throws Exception {
    // ZooKeeper's conf prints the port it actually listens on, even when configured with 0.
    String conf = word("conf");
    assertTrue(conf.lines().anyMatch(l -> l.equals("clientPort=" + server.clientPort())),
        "expected clientPort=" + server.clientPort() + " in:\n" + conf);
  }

  @Test
  void consListsTheSessionOfAConnectedClient() throws Exception {
    String sid = "sid=0x" + Long.toHexString(zk.getSessionId());
    String cons = word("cons");
    assertTrue(cons.contains(sid), "expected " + sid + " in:\n" + cons);

    ZooKeeper second = ZkClients.connect(server.connectString("127.0.0.1"));
    String secondSid = "sid=0x" + Long.toHexString(second.getSessionId());
    try {
      String both = word("cons");
      assertTrue(both.contains(sid) && both.contains(secondSid), both);
    } finally {
      second.close();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> !word("cons").contains(secondSid));
  }

  @Test
  void isroAnswersRw() throws Exception {
    assertEquals("rw", word("isro"));
  }

  @Test
  void enviReportsJavaVersion() throws Exception {
    String envi = word("envi");
    assertTrue(envi.contains("java.version="), envi);
  }

  @Test
  void dumpListsSessionsAndEphemerals() throws Exception {
    zk.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    String dump = word("dump");
    String hex = "0x" + Long.toHexString(zk.getSessionId());
    assertTrue(dump.contains(hex), dump);
    assertTrue(dump.contains("/eph"), dump);
  }

  @Test
  void nonWhitelistedWordsAreRefused() throws Exception {
    Path other = dir.resolve("srvr-only");
    try (RoostServer srvrOnly = TestServers.start(other,
        b -> b.fourLetterWords(Set.of("srvr")))) {
      for (String w : ALL_WORDS) {
        if (w.equals("srvr")) {
          continue;
        }
        assertEquals(w + " is not executed because it is not in the whitelist.\n",
            RawConnection.fourLetterWord(srvrOnly.clientPort(), w), "answer to " + w);
      }
      String srvr = RawConnection.fourLetterWord(srvrOnly.clientPort(), "srvr");
      assertTrue(srvr.contains("Mode: standalone"), srvr);

      ZooKeeper client = ZkClients.connect(srvrOnly.connectString("127.0.0.1"));
      try {
        client.create("/after-refusal", new byte[] {4}, ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT);
        assertArrayEquals(new byte[] {4}, client.getData("/after-refusal", false, null));
      } finally {
        client.close();
      }
    }
  }

  @Test
  void serverStillServesClientsAfterEveryWord() throws Exception {
    for (String w : ALL_WORDS) {
      String answer = word(w); // also checks the server closed the word's connection
      assertFalse(answer.isEmpty(), w + " answered nothing");
      String path = zk.create("/after-" + w, w.getBytes(StandardCharsets.US_ASCII),
          ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      assertArrayEquals(w.getBytes(StandardCharsets.US_ASCII), zk.getData(path, false, null));
    }
    ZooKeeper fresh = ZkClients.connect(server.connectString("127.0.0.1"));
    try {
      assertEquals(ALL_WORDS.size(), fresh.getChildren("/", false).stream()
          .filter(c -> c.startsWith("after-")).count());
    } finally {
      fresh.close();
    }
  }

  // ---- helpers ----

  private String word(String w) throws Exception {
    return RawConnection.fourLetterWord(server.clientPort(), w);
  }

  private int mntrInt(String key) throws Exception {
    String text = word("mntr");
    String v = parseMntr(text).get(key);
    assertNotNull(v, key + " missing from mntr: " + text);
    return Integer.parseInt(v);
  }

  private static Map<String, String> parseMntr(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        m.put(line.substring(0, tab), line.substring(tab + 1));
      }
    }
    return m;
  }

  private static int intField(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
    return Integer.parseInt(m.group(1));
  }

  /** The lines of the "Clients:" section of stat, trimmed; it ends at the first blank line. */
  private static List<String> clientLines(String stat) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : stat.split("\n", -1)) {
      if (line.equals("Clients:")) {
        in = true;
        continue;
      }
      if (in) {
        if (line.isBlank()) {
          break;
        }
        out.add(line.trim());
      }
    }
    assertTrue(in, "no Clients: section in:\n" + stat);
    return out;
  }

  private void createNodes(String prefix, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      zk.create(prefix + "-" + i, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
    }
  }
}

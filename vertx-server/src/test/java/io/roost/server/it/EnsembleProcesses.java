package io.roost.server.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An ensemble of {@link ServerProcess} members on loopback, each in its own JVM: member N (1..n)
 * lives in {@code root/sN}, has {@code myid} N in its data directory and a {@code server.M} line
 * for every member. Ports are picked once and kept across restarts, so a restarted member finds
 * its peers and clients find it again. {@link #close()} kills every member still running.
 */
final class EnsembleProcesses implements AutoCloseable {
  /** How long an election (with every needed member running) may take. */
  static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(30);

  private final List<ServerProcess> members = new ArrayList<>();

  /**
   * Prepares (does not start) {@code size} members under {@code root} with tickTime
   * {@code tickTimeMs}, initLimit and syncLimit in ticks.
   */
  EnsembleProcesses(Path root, int size, int tickTimeMs, int initLimit, int syncLimit)
      throws IOException {
    List<int[]> ports = new ArrayList<>();
    Set<Integer> taken = new HashSet<>();
    for (int i = 0; i < size; i++) {
      ports.add(new int[] {TestServers.freePort(taken), TestServers.freePort(taken)});
    }
    for (int id = 1; id <= size; id++) {
      ServerProcess member = new ServerProcess(root.resolve("s" + id));
      member.set("tickTime", tickTimeMs).set("initLimit", initLimit).set("syncLimit", syncLimit);
      for (int other = 1; other <= size; other++) {
        int[] p = ports.get(other - 1);
        member.set("server." + other, "127.0.0.1:" + p[0] + ":" + p[1]);
      }
      Files.writeString(member.dataDir().resolve("myid"), id + "\n", StandardCharsets.UTF_8);
      members.add(member);
    }
  }

  /** Member {@code id} (1-based, as in its {@code server.N} line). */
  ServerProcess member(int id) {
    return members.get(id - 1);
  }

  /** The number of members. */
  int size() {
    return members.size();
  }

  /** Sets a zoo.cfg key on every member, for their next start. */
  EnsembleProcesses set(String key, Object value) {
    members.forEach(m -> m.set(key, value));
    return this;
  }

  /** Sets every member's maximum heap for their next start ({@code -Xmx} syntax). */
  EnsembleProcesses maxHeap(String size) {
    members.forEach(m -> m.maxHeap(size));
    return this;
  }

  /** Starts every member and waits until each answers {@code ruok}. */
  EnsembleProcesses startAll() throws IOException {
    for (ServerProcess m : members) {
      m.start();
    }
    for (ServerProcess m : members) {
      m.awaitReady();
    }
    return this;
  }

  /** The connect string naming every member, for a client that fails over between them. */
  String connectString() {
    StringJoiner j = new StringJoiner(",");
    members.forEach(m -> j.add(m.connectString()));
    return j.toString();
  }

  /**
   * Member {@code id}'s {@code zk_peer_state} from {@code mntr} (for example
   * {@code leading - broadcast}, {@code following - synchronization}, {@code looking}), or
   * "down" if it is not running or does not answer.
   */
  String peerState(int id) {
    String state = mntrValue(id, "zk_peer_state");
    return state == null ? "down" : state;
  }

  /** One value of member {@code id}'s {@code mntr}, or null if it is down or lacks the key. */
  String mntrValue(int id, String key) {
    ServerProcess m = member(id);
    if (!m.isRunning()) {
      return null;
    }
    try {
      for (String line : m.fourLetterWord("mntr").split("\n")) {
        if (line.startsWith(key + "\t")) {
          return line.substring(key.length() + 1).strip();
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Every member's peer state, e.g. {@code [1=following - broadcast, 2=leading - ..., 3=down]}. */
  String modes() {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (int id = 1; id <= size(); id++) {
      j.add(id + "=" + peerState(id));
    }
    return j.toString();
  }

  /**
   * Waits until exactly one running member leads and every other running member follows, all
   * of them serving (in broadcast), and returns the leader's id.
   */
  int awaitLeader() {
    int[] leader = {0};
    try {
      await().atMost(ELECTION_TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> {
            int found = 0;
            for (int id = 1; id <= size(); id++) {
              if (!member(id).isRunning()) {
                continue;
              }
              String state = peerState(id);
              if (state.equals("leading - broadcast")) {
                if (found != 0) {
                  return false;
                }
                found = id;
              } else if (!state.equals("following - broadcast")) {
                return false;
              }
            }
            leader[0] = found;
            return found != 0;
          });
    } catch (ConditionTimeoutException e) {
      fail("no single leader with every running member following, all serving, within "
          + ELECTION_TIMEOUT + ": " + modes() + outputTails(), e);
    }
    return leader[0];
  }

  /**
   * The following member with the most client connections, so that killing it disturbs
   * clients.
   */
  int busiestFollower() {
    int best = 0;
    int bestConnections = -1;
    for (int id = 1; id <= size(); id++) {
      if (!member(id).isRunning() || !peerState(id).startsWith("following")) {
        continue;
      }
      String value = mntrValue(id, "zk_num_alive_connections");
      int connections = value == null ? 0 : Integer.parseInt(value);
      if (connections > bestConnections) {
        best = id;
        bestConnections = connections;
      }
    }
    if (best == 0) {
      throw new AssertionError("no follower among " + modes());
    }
    return best;
  }

  /**
   * Waits until every running member reports the same last zxid and tree digest in
   * {@code mntr}, and returns that state.
   */
  ServerProcess.Mntr awaitConverged(Duration within) {
    ServerProcess.Mntr[] agreed = {null};
    List<String> last = new ArrayList<>();
    try {
      await().atMost(within)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> {
            last.clear();
            ServerProcess.Mntr first = null;
            boolean same = true;
            for (int id = 1; id <= size(); id++) {
              ServerProcess m = member(id);
              if (!m.isRunning()) {
                continue;
              }
              ServerProcess.Mntr now;
              try {
                now = m.mntr();
              } catch (IOException e) {
                last.add(id + ": " + e);
                same = false;
                continue;
              }
              last.add(id + " (" + peerState(id) + "): " + now);
              if (first == null) {
                first = now;
              } else if (first.lastZxid() != now.lastZxid() || first.digest() != now.digest()) {
                same = false;
              }
            }
            agreed[0] = first;
            return same && first != null;
          });
    } catch (ConditionTimeoutException e) {
      fail("the members did not converge to one zxid and digest within " + within + ": " + last
          + outputTails(), e);
    }
    return agreed[0];
  }

  /** The output tails of every member, for failure messages. */
  String outputTails() {
    StringBuilder b = new StringBuilder();
    for (int id = 1; id <= size(); id++) {
      b.append("\n==== member ").append(id).append(" ====").append(member(id).outputTail());
    }
    return b.toString();
  }

  /** Kills every member still running. */
  @Override
  public void close() throws InterruptedException {
    for (ServerProcess m : members) {
      m.close();
    }
  }
}

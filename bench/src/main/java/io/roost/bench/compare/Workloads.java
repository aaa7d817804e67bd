package io.roost.bench.compare;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The comparison's client workloads, with the official ZooKeeper client, and the nodes they
 * need. Every workload is the same request stream on both systems; only the connect string
 * differs.
 */
final class Workloads {
  static final String SET_DATA = "set_data";
  static final String CREATE_SEQUENTIAL = "create_sequential";
  static final String GET_DATA = "get_data";
  static final String MIX = "mix_90_10";
  static final String SINGLE_WRITE = "single_client_write";
  static final String SINGLE_READ = "single_client_read";
  static final String LOCK = "lock_handoffs";
  static final String QUEUE = "queue_put_take";
  static final String FAILOVER_LEADER = "failover_new_leader";
  static final String FAILOVER_WRITE = "failover_first_write";

  /** Clients of the throughput workloads, as the issue asks. */
  static final int CLIENTS = 16;
  /** Requests in flight per client in the throughput workloads. */
  static final int IN_FLIGHT = 64;
  /** Bytes of every node's data. */
  static final int DATA_BYTES = 100;
  /** Nodes that setData and getData pick from at random. */
  static final int NODES = 1_000;
  static final int SESSION_TIMEOUT_MS = 30_000;
  private static final Duration CONNECT_WAIT = Duration.ofSeconds(30);
  private static final Duration SETUP_WAIT = Duration.ofSeconds(120);

  static final String ROOT = "/bench";
  static final String DATA = ROOT + "/data";
  static final String SEQUENTIAL = ROOT + "/seq";
  static final String LOCK_PATH = ROOT + "/lock";
  static final String QUEUE_PATH = ROOT + "/queue";

  private static final byte[] PAYLOAD = new byte[DATA_BYTES];

  static {
    java.util.Arrays.fill(PAYLOAD, (byte) 'x');
  }

  private Workloads() {}

  /** setData of 100 bytes on a random one of the {@link #NODES} nodes, any version. */
  static final ClosedLoop.Request SET = (zk, client, random, done) ->
      zk.setData(node(random.nextInt(NODES)), PAYLOAD, -1, ClosedLoop.stat(done), null);

  /** getData of a random one of the {@link #NODES} nodes, no watch. */
  static final ClosedLoop.Request GET = (zk, client, random, done) ->
      zk.getData(node(random.nextInt(NODES)), false, ClosedLoop.data(done), null);

  /** A persistent sequential node of 100 bytes under the client's own parent. */
  static final ClosedLoop.Request CREATE = (zk, client, random, done) ->
      zk.create(SEQUENTIAL + "/c" + client + "/s-", PAYLOAD, ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT_SEQUENTIAL, ClosedLoop.string(done), null);

  /** 90% getData, 10% setData, on random nodes. */
  static final ClosedLoop.Request MIXED = (zk, client, random, done) -> {
    if (random.nextInt(10) == 0) {
      SET.send(zk, client, random, done);
    } else {
      GET.send(zk, client, random, done);
    }
  };

  static String node(int i) {
    return DATA + "/n" + i;
  }

  /**
   * Opens {@code count} sessions, client {@code i} on server {@code i mod n} only (so both
   * systems see the same spread), and waits until each is connected.
   *
   * @param servers one {@code host:port} per server
   */
  static List<ZooKeeper> connect(List<String> servers, int count, int firstServer)
      throws IOException, InterruptedException {
    List<ZooKeeper> clients = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        clients.add(connect(servers.get((firstServer + i) % servers.size())));
      }
      return clients;
    } catch (IOException | InterruptedException | RuntimeException e) {
      close(clients);
      throw e;
    }
  }

  /** One session on {@code connectString}, connected. */
  static ZooKeeper connect(String connectString) throws IOException, InterruptedException {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(connectString, SESSION_TIMEOUT_MS, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    if (!connected.await(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      zk.close(1_000);
      throw new IllegalStateException("no session on " + connectString + " within "
          + CONNECT_WAIT.toSeconds() + " s");
    }
    return zk;
  }

  static void close(List<ZooKeeper> clients) throws InterruptedException {
    for (ZooKeeper zk : clients) {
      zk.close(5_000);
    }
  }

  /** Creates the nodes every workload needs (on a fresh ensemble). */
  static void prepare(ZooKeeper zk) throws KeeperException, InterruptedException {
    for (String p : List.of(ROOT, DATA, SEQUENTIAL, LOCK_PATH, QUEUE_PATH)) {
      zk.create(p, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
    for (int c = 0; c < CLIENTS; c++) {
      zk.create(SEQUENTIAL + "/c" + c, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
    }
    CountDownLatch created = new CountDownLatch(NODES);
    AtomicInteger failed = new AtomicInteger();
    for (int i = 0; i < NODES; i++) {
      zk.create(node(i), PAYLOAD, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
          (rc, path, ctx, name) -> {
            if (rc != 0) {
              failed.incrementAndGet();
            }
            created.countDown();
          }, null);
    }
    if (!created.await(SETUP_WAIT.toMillis(), TimeUnit.MILLISECONDS) || failed.get() > 0) {
      throw new IllegalStateException("could not create the " + NODES + " data nodes ("
          + failed.get() + " failed, " + created.getCount() + " unanswered)");
    }
  }

  static byte[] payload() {
    return PAYLOAD.clone();
  }
}

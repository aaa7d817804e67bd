package io.roost.bench.failover;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.zookeeper.Version;

/**
 * An Apache ZooKeeper ensemble of separate server JVMs on 127.0.0.1, each running
 * {@code org.apache.zookeeper.server.quorum.QuorumPeerMain zoo.cfg} from this JVM's class path
 * (the zookeeper jar the benchmarks' client uses; see {@link JvmEnsemble} for the files and
 * ports). The configuration is the one Roost's servers get, key for key: same tickTime and limits,
 * {@code forceSync=yes}, the admin server off, every four-letter word allowed; everything else
 * is ZooKeeper's default (among them {@code globalOutstandingLimit=1000} and the 64 MiB log
 * preallocation).
 */
public final class ZooKeeperEnsemble extends JvmEnsemble {
  /**
   * Prepares (does not start) an ensemble.
   *
   * @param dir where the servers' directories go; created if missing
   * @param size how many voting servers
   * @param tickTimeMs the tickTime; initLimit 10 and syncLimit 5 ticks
   * @param jvmOptions options for each server's java command, e.g. {@code -Xmx512m}
   */
  public ZooKeeperEnsemble(Path dir, int size, int tickTimeMs, List<String> jvmOptions)
      throws IOException {
    super(dir, size, tickTimeMs, jvmOptions);
  }

  @Override
  public String name() {
    String full = Version.getFullVersion();
    int dash = full.indexOf('-');
    return "Apache ZooKeeper " + (dash > 0 ? full.substring(0, dash) : full);
  }

  @Override
  protected String mainClass() {
    return "org.apache.zookeeper.server.quorum.QuorumPeerMain";
  }

  @Override
  protected List<String> arguments(int id) {
    return List.of(configFile(id).toAbsolutePath().toString());
  }
}

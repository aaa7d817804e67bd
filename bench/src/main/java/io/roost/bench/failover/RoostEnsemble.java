package io.roost.bench.failover;

import io.roost.server.RoostVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A Roost ensemble of separate server JVMs on 127.0.0.1, each running
 * {@code io.roost.server.RoostMain server zoo.cfg} from this JVM's class path (see
 * {@link JvmEnsemble} for the files and ports).
 */
public final class RoostEnsemble extends JvmEnsemble {
  /**
   * Prepares (does not start) an ensemble.
   *
   * @param dir where the servers' directories go; created if missing
   * @param size how many voting servers
   * @param tickTimeMs the tickTime; initLimit 10 and syncLimit 5 ticks, as ZooKeeper's sample
   * @param jvmOptions options for each server's java command, e.g. {@code -Xmx512m}
   */
  public RoostEnsemble(Path dir, int size, int tickTimeMs, List<String> jvmOptions)
      throws IOException {
    super(dir, size, tickTimeMs, jvmOptions);
  }

  @Override
  public String name() {
    return "Roost " + RoostVersion.VERSION;
  }

  @Override
  protected String mainClass() {
    return "io.roost.server.RoostMain";
  }

  @Override
  protected List<String> arguments(int id) {
    return List.of("server", configFile(id).toAbsolutePath().toString());
  }
}

package io.roost.recipes.discovery;

import io.roost.client.RoostClient;
import io.roost.client.RoostException;
import io.roost.recipes.group.GroupMember;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Service discovery: processes register instances of named services as ephemeral nodes
 * {@code <basePath>/<name>/<id>} (default base {@code /services}), and others list them once
 * ({@link #instances}) or follow them live ({@link #serviceCache}).
 *
 * <p><b>Guarantees.</b> A registered instance is listed while its owner's session lives and is
 * re-registered by its owner after a session loss, until unregistered; when its owner's
 * session ends (the process died, or was cut off longer than its session timeout) the servers
 * delete the node and the instance disappears from every listing. Connection states: see
 * {@link ServiceRegistration} (a {@code GroupMember}) and {@link ServiceCache} (a
 * {@code Group}).
 */
public final class ServiceDiscovery {
  /** The base path used unless another is given. */
  public static final String DEFAULT_BASE_PATH = "/services";
  private static final Logger LOG = System.getLogger(ServiceDiscovery.class.getName());

  private final RoostClient client;
  private final String basePath;

  /** Discovery under {@link #DEFAULT_BASE_PATH}. */
  public ServiceDiscovery(RoostClient client) {
    this(client, DEFAULT_BASE_PATH);
  }

  /**
   * @param basePath the node under which each service has its node
   * @throws IllegalArgumentException if {@code basePath} is not a node path below the root
   */
  public ServiceDiscovery(RoostClient client, String basePath) {
    this.client = Objects.requireNonNull(client, "client");
    if (basePath == null || !basePath.startsWith("/") || basePath.equals("/")
        || basePath.endsWith("/") || basePath.contains("//")) {
      throw new IllegalArgumentException("basePath=\"" + basePath + "\" must be a node path"
          + " below the root, such as /services");
    }
    this.basePath = basePath;
  }

  /** The base path. */
  public String basePath() {
    return basePath;
  }

  /**
   * Registers an instance; the stage completes once its node exists (an instance whose id is
   * held by another live session waits for it to go). Close the registration to unregister.
   */
  public CompletionStage<ServiceRegistration> register(ServiceInstance instance) {
    Objects.requireNonNull(instance, "instance");
    GroupMember member = new GroupMember(client, servicePath(instance.name()), instance.id(),
        instance.encode());
    return member.start().thenApply(v -> new ServiceRegistration(member, instance))
        .whenComplete((r, e) -> {
          if (e != null) {
            member.close();
          }
        });
  }

  /**
   * The instances of service {@code name} now, in id order (one read of the servers; empty if
   * the service has none). Nodes that are not encoded instances are skipped.
   */
  public CompletionStage<List<ServiceInstance>> instances(String name) {
    String path = servicePath(name);
    return client.getChildren(path).toCompletableFuture()
        .exceptionally(e -> {
          if (RoostException.unwrap(e) instanceof RoostException.NoNodeException) {
            return List.of();
          }
          throw new CompletionException(RoostException.unwrap(e));
        })
        .thenCompose(ids -> {
          List<CompletableFuture<ServiceInstance>> reads = new ArrayList<>();
          for (String id : ids) {
            reads.add(client.getData(path + "/" + id).toCompletableFuture()
                .thenApply(d -> decodeOrNull(name, id, d.data()))
                .exceptionally(e -> {
                  if (RoostException.unwrap(e) instanceof RoostException.NoNodeException) {
                    return null; // went between the two reads
                  }
                  throw new CompletionException(RoostException.unwrap(e));
                }));
          }
          return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
              .thenApply(v -> reads.stream().map(CompletableFuture::join)
                  .filter(Objects::nonNull)
                  .sorted(Comparator.comparing(ServiceInstance::id)).toList());
        });
  }

  /** The names of the services that have (or had) instances, sorted. */
  public CompletionStage<List<String>> serviceNames() {
    return client.getChildren(basePath).toCompletableFuture()
        .thenApply(names -> names.stream().sorted().toList())
        .exceptionally(e -> {
          if (RoostException.unwrap(e) instanceof RoostException.NoNodeException) {
            return List.of();
          }
          throw new CompletionException(RoostException.unwrap(e));
        });
  }

  /** A live cache of service {@code name}'s instances (not started). */
  public ServiceCache serviceCache(String name) {
    return new ServiceCache(client, servicePath(name), name);
  }

  private String servicePath(String name) {
    return basePath + "/" + ServiceInstance.checkName(name, "name");
  }

  private static ServiceInstance decodeOrNull(String name, String id, byte[] data) {
    try {
      return ServiceInstance.decode(name, id, data);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "service {0}: skipping {1}: {2}", name, id, e.getMessage());
      return null;
    }
  }

}

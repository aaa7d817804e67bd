package io.roost.recipes.discovery;

import io.roost.client.RoostClient;
import io.roost.recipes.group.Group;
import io.roost.recipes.group.GroupEvent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live instances of one service, with change listeners. It is a {@link Group} view of
 * {@code <basePath>/<name>}, so it converges to the servers' view, reports changes in order per
 * instance on the client's event loop, keeps its last view on SUSPENDED and LOST and re-reads
 * everything on RECONNECTED. An instance whose owner's session ends is removed when the servers
 * expire that session. Nodes whose data is not an encoded instance are skipped (and logged).
 *
 * <p>Reads are safe from any thread.
 */
public final class ServiceCache implements AutoCloseable {
  private static final Logger LOG = System.getLogger(ServiceCache.class.getName());

  private final String name;
  private final Group group;
  private final List<ServiceCacheListener> listeners = new CopyOnWriteArrayList<>();

  ServiceCache(RoostClient client, String servicePath, String name) {
    this.name = name;
    this.group = new Group(client, servicePath);
    group.addListener(this::onGroupEvent);
  }

  /**
   * Starts watching; the stage completes once the instances have been read.
   *
   * @throws IllegalStateException if already started
   */
  public CompletionStage<Void> start() {
    return group.start();
  }

  /** The service's name. */
  public String name() {
    return name;
  }

  /** The live instances, in id order. */
  public List<ServiceInstance> instances() {
    List<ServiceInstance> out = new ArrayList<>();
    group.members().forEach((id, data) -> {
      ServiceInstance i = decode(id, data);
      if (i != null) {
        out.add(i);
      }
    });
    return List.copyOf(out);
  }

  /** The instance with this id, or null if there is none now. */
  public ServiceInstance instance(String id) {
    byte[] data = group.payload(id);
    return data == null ? null : decode(id, data);
  }

  /** Adds a listener; changes already seen are not replayed (read {@link #instances()}). */
  public void addListener(ServiceCacheListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener. */
  public void removeListener(ServiceCacheListener listener) {
    listeners.remove(listener);
  }

  /** Stops watching; completes when the watch is removed. */
  public CompletionStage<Void> closeAsync() {
    return group.closeAsync();
  }

  /** Stops watching without waiting. */
  @Override
  public void close() {
    group.close();
  }

  private ServiceInstance decode(String id, byte[] data) {
    try {
      return ServiceInstance.decode(name, id, data);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "service {0}: skipping {1}: {2}", name, id, e.getMessage());
      return null;
    }
  }

  private void onGroupEvent(GroupEvent e) {
    ServiceInstance i = decode(e.memberId(), e.payload());
    if (i == null) {
      return;
    }
    ServiceEvent event = new ServiceEvent(switch (e.type()) {
      case JOINED -> ServiceEvent.Type.ADDED;
      case UPDATED -> ServiceEvent.Type.UPDATED;
      case LEFT -> ServiceEvent.Type.REMOVED;
    }, i);
    for (ServiceCacheListener l : listeners) {
      try {
        l.changed(event);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "a listener of service " + name + " failed on " + event, ex);
      }
    }
  }
}

package io.roost.recipes.discovery;

import io.roost.recipes.group.GroupMember;
import java.util.concurrent.CompletionStage;

/**
 * A registered service instance: its ephemeral node, kept (and re-created after a session
 * loss) until {@link #closeAsync()}. It is a {@link GroupMember} of the service's group, with
 * the same guarantees and the same behaviour on SUSPENDED and LOST.
 */
public final class ServiceRegistration implements AutoCloseable {
  private final GroupMember member;
  private volatile ServiceInstance instance;

  ServiceRegistration(GroupMember member, ServiceInstance instance) {
    this.member = member;
    this.instance = instance;
  }

  /** The instance as last registered or updated. */
  public ServiceInstance instance() {
    return instance;
  }

  /** The instance's node path. */
  public String nodePath() {
    return member.nodePath();
  }

  /** True while the instance's node is believed to exist. */
  public boolean isRegistered() {
    return member.isJoined();
  }

  /**
   * Publishes a new address, port or metadata; the stage completes when the node holds it.
   *
   * @throws IllegalArgumentException if {@code next} has another name or id
   */
  public CompletionStage<Void> update(ServiceInstance next) {
    if (!next.name().equals(instance.name()) || !next.id().equals(instance.id())) {
      throw new IllegalArgumentException("update of " + instance.name() + "/" + instance.id()
          + " with " + next.name() + "/" + next.id() + ": name and id cannot change"
          + " (register a new instance instead)");
    }
    instance = next;
    return member.setPayload(next.encode());
  }

  /** Unregisters: deletes the node; completes when it is gone. */
  public CompletionStage<Void> closeAsync() {
    return member.closeAsync();
  }

  /** Unregisters without waiting. */
  @Override
  public void close() {
    member.close();
  }
}

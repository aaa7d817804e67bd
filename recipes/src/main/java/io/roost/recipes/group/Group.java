package io.roost.recipes.group;

import io.roost.client.RoostClient;
import io.roost.recipes.cache.CacheEvent;
import io.roost.recipes.cache.ChildData;
import io.roost.recipes.cache.TreeCache;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A live view of a group's members (id → payload), with listeners for members joining,
 * leaving and updating their payload. It is a {@link TreeCache} of the group node and its
 * children (depth 1), so it has the cache's guarantees: it converges to the servers' view, and
 * events for one member come in order on the client's event loop.
 *
 * <p><b>Connection states.</b> On SUSPENDED and on LOST the view keeps the last known members
 * (which may be stale: members may leave meanwhile, and after LOST this client's own members
 * are gone until they rejoin). On every RECONNECTED it reads the group again and reports the
 * differences as events. A member that left because its session ended is reported when the
 * servers expire that session (about one session timeout after its process went away).
 *
 * <p>Reads of the view are safe from any thread.
 */
public final class Group implements AutoCloseable {
  private static final Logger LOG = System.getLogger(Group.class.getName());

  private final String groupPath;
  private final TreeCache cache;
  private final List<GroupListener> listeners = new CopyOnWriteArrayList<>();

  /**
   * @param groupPath the group's node (need not exist yet)
   * @throws IllegalArgumentException for a bad group path
   */
  public Group(RoostClient client, String groupPath) {
    this.groupPath = MemberIds.checkGroupPath(groupPath);
    this.cache = TreeCache.builder(client, groupPath).maxDepth(1).build();
    cache.addListener(this::onCacheEvent);
  }

  /**
   * Starts watching; the stage completes once the members have been read.
   *
   * @throws IllegalStateException if already started
   */
  public CompletionStage<Void> start() {
    return cache.start();
  }

  /** The group's path. */
  public String path() {
    return groupPath;
  }

  /**
   * The current members, id → payload, in id order (a snapshot; the payload arrays are the
   * view's own: do not modify them).
   */
  public SortedMap<String, byte[]> members() {
    SortedMap<String, byte[]> out = new TreeMap<>();
    cache.currentChildren(groupPath).forEach((id, d) -> out.put(id, d.data()));
    return Collections.unmodifiableSortedMap(out);
  }

  /** A member's payload, or null if it is not a member now. */
  public byte[] payload(String memberId) {
    ChildData d = cache.currentData(groupPath + "/" + MemberIds.checkId(memberId, "memberId"));
    return d == null ? null : d.data();
  }

  /** Adds a listener; changes already seen are not replayed (read {@link #members()}). */
  public void addListener(GroupListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener. */
  public void removeListener(GroupListener listener) {
    listeners.remove(listener);
  }

  /** Stops watching; completes when the watch is removed. */
  public CompletionStage<Void> closeAsync() {
    return cache.closeAsync();
  }

  /** Stops watching without waiting. */
  @Override
  public void close() {
    cache.close();
  }

  private void onCacheEvent(CacheEvent e) {
    if (e.path().equals(groupPath) || e.data() == null) {
      return; // the group node itself, or INITIALIZED
    }
    GroupEvent.Type type = switch (e.type()) {
      case NODE_ADDED -> GroupEvent.Type.JOINED;
      case NODE_UPDATED -> GroupEvent.Type.UPDATED;
      case NODE_REMOVED -> GroupEvent.Type.LEFT;
      case INITIALIZED -> null;
    };
    if (type == null) {
      return;
    }
    GroupEvent event = new GroupEvent(type, e.path().substring(groupPath.length() + 1),
        e.data().data());
    for (GroupListener l : listeners) {
      try {
        l.changed(event);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "a listener of group " + groupPath + " failed on " + event, ex);
      }
    }
  }
}

package io.roost.core.watch;

import io.roost.core.proto.EventType;
import io.roost.core.proto.WatcherType;
import io.roost.core.tree.PathNames;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * All watches on one server: one-shot data (getData, exists) and child (getChildren) watches, and
 * the persistent and persistent-recursive watches of addWatch. Single-threaded: lives on the
 * thread that applies transactions and fires synchronously from {@link #trigger}.
 */
public final class WatchManager {
  private final WatchTable data = new WatchTable();
  private final WatchTable child = new WatchTable();
  private final WatchTable persistent = new WatchTable();
  private final WatchTable recursive = new WatchTable();

  /** Sets a one-shot data watch (getData, or exists on any node, present or not). */
  public void addDataWatch(String path, Watcher watcher) {
    data.add(path, watcher);
  }

  /** Sets a one-shot child watch (getChildren). */
  public void addChildWatch(String path, Watcher watcher) {
    child.add(path, watcher);
  }

  /** Sets a persistent watch, recursive or not (addWatch). */
  public void addPersistentWatch(String path, Watcher watcher, boolean isRecursive) {
    (isRecursive ? recursive : persistent).add(path, watcher);
  }

  /**
   * Fires the watches an event touches: one-shot watches on the path are consumed, persistent
   * ones stay; recursive watches on the path and its ancestors see creates, deletes and data
   * changes. Each watcher gets the event at most once.
   */
  public void trigger(String path, int eventType, long zxid) {
    // Made only when some watch fires: most changes have no watcher at all.
    Set<Watcher> targets = null;
    switch (eventType) {
      case EventType.NODE_CREATED, EventType.NODE_DATA_CHANGED ->
          targets = join(targets, data.removeAll(path));
      case EventType.NODE_DELETED -> {
        targets = join(targets, data.removeAll(path));
        targets = join(targets, child.removeAll(path));
      }
      case EventType.NODE_CHILDREN_CHANGED -> targets = join(targets, child.removeAll(path));
      default -> throw new IllegalArgumentException("not a node event: " + eventType);
    }
    if (!persistent.isEmpty()) {
      targets = join(targets, persistent.get(path));
    }
    if (!recursive.isEmpty() && eventType != EventType.NODE_CHILDREN_CHANGED) {
      for (String p = path; p != null; p = PathNames.parent(p)) {
        targets = join(targets, recursive.get(p));
      }
    }
    if (targets == null) {
      return;
    }
    for (Watcher w : targets) {
      w.process(eventType, path, zxid);
    }
  }

  /** {@code targets} with {@code more} added, made (in order, without repeats) on first need. */
  private static Set<Watcher> join(Set<Watcher> targets, Set<Watcher> more) {
    if (more.isEmpty()) {
      return targets;
    }
    if (targets == null) {
      targets = new LinkedHashSet<>();
    }
    targets.addAll(more);
    return targets;
  }

  /**
   * Removes (or, with {@code checkOnly}, looks for) the watcher's watches of one
   * {@link WatcherType} on a path.
   *
   * @return false when there was no such watch
   */
  public boolean remove(String path, int watcherType, Watcher watcher, boolean checkOnly) {
    boolean found = false;
    switch (watcherType) {
      case WatcherType.CHILDREN -> found = hit(child, path, watcher, checkOnly);
      case WatcherType.DATA -> found = hit(data, path, watcher, checkOnly);
      case WatcherType.ANY -> {
        found |= hit(child, path, watcher, checkOnly);
        found |= hit(data, path, watcher, checkOnly);
        found |= hit(persistent, path, watcher, checkOnly);
        found |= hit(recursive, path, watcher, checkOnly);
      }
      case WatcherType.PERSISTENT -> found = hit(persistent, path, watcher, checkOnly);
      case WatcherType.PERSISTENT_RECURSIVE -> found = hit(recursive, path, watcher, checkOnly);
      default -> throw new IllegalArgumentException("unknown watcher type " + watcherType);
    }
    return found;
  }

  private static boolean hit(WatchTable table, String path, Watcher w, boolean checkOnly) {
    return checkOnly ? table.contains(path, w) : table.remove(path, w);
  }

  /** Drops every watch a watcher holds (its connection closed). */
  public void removeWatcher(Watcher watcher) {
    data.removeWatcher(watcher);
    child.removeWatcher(watcher);
    persistent.removeWatcher(watcher);
    recursive.removeWatcher(watcher);
  }

  /** Total number of watches of all kinds. */
  public int watchCount() {
    return data.size() + child.size() + persistent.size() + recursive.size();
  }

  /** Number of distinct watched paths summed over the kinds of watch. */
  public int watchedPathCount() {
    return data.pathCount() + child.pathCount() + persistent.pathCount() + recursive.pathCount();
  }

  /** Number of watchers (connections) that hold at least one watch. */
  public int watcherCount() {
    Set<Watcher> all = new LinkedHashSet<>(data.watchers());
    all.addAll(child.watchers());
    all.addAll(persistent.watchers());
    all.addAll(recursive.watchers());
    return all.size();
  }

  /** Number of watches a watcher holds. */
  public int watchCountOf(Watcher watcher) {
    return data.pathsOf(watcher).size() + child.pathsOf(watcher).size()
        + persistent.pathsOf(watcher).size() + recursive.pathsOf(watcher).size();
  }
}

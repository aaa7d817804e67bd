package io.roost.core.watch;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Path-to-watchers index of one kind of watch, with the reverse index for cleanup. */
final class WatchTable {
  private final Map<String, Set<Watcher>> byPath = new HashMap<>();
  private final Map<Watcher, Set<String>> byWatcher = new HashMap<>();
  private int count;

  boolean add(String path, Watcher watcher) {
    boolean added = byPath.computeIfAbsent(path, p -> new HashSet<>(2)).add(watcher);
    if (added) {
      byWatcher.computeIfAbsent(watcher, w -> new HashSet<>()).add(path);
      count++;
    }
    return added;
  }

  Set<Watcher> get(String path) {
    Set<Watcher> set = byPath.get(path);
    return set == null ? Collections.emptySet() : set;
  }

  boolean contains(String path, Watcher watcher) {
    Set<Watcher> set = byPath.get(path);
    return set != null && set.contains(watcher);
  }

  /** Removes and returns every watcher on the path. */
  Set<Watcher> removeAll(String path) {
    Set<Watcher> set = byPath.remove(path);
    if (set == null) {
      return Collections.emptySet();
    }
    for (Watcher w : set) {
      unindex(w, path);
    }
    count -= set.size();
    return set;
  }

  boolean remove(String path, Watcher watcher) {
    Set<Watcher> set = byPath.get(path);
    if (set == null || !set.remove(watcher)) {
      return false;
    }
    if (set.isEmpty()) {
      byPath.remove(path);
    }
    unindex(watcher, path);
    count--;
    return true;
  }

  void removeWatcher(Watcher watcher) {
    Set<String> paths = byWatcher.remove(watcher);
    if (paths == null) {
      return;
    }
    for (String path : paths) {
      Set<Watcher> set = byPath.get(path);
      if (set != null && set.remove(watcher)) {
        count--;
        if (set.isEmpty()) {
          byPath.remove(path);
        }
      }
    }
  }

  private void unindex(Watcher watcher, String path) {
    Set<String> paths = byWatcher.get(watcher);
    if (paths != null) {
      paths.remove(path);
      if (paths.isEmpty()) {
        byWatcher.remove(watcher);
      }
    }
  }

  boolean isEmpty() {
    return count == 0;
  }

  int size() {
    return count;
  }

  int pathCount() {
    return byPath.size();
  }

  Set<String> pathsOf(Watcher watcher) {
    Set<String> paths = byWatcher.get(watcher);
    return paths == null ? Collections.emptySet() : paths;
  }

  Set<Watcher> watchers() {
    return byWatcher.keySet();
  }
}

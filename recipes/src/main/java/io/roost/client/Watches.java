package io.roost.client;

import io.roost.core.proto.SetWatches2;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client's side of watches, by server path: one-shot data, exist and child watches (removed
 * when they fire) and persistent ones (kept until removed). Routes each event to the listeners
 * it concerns, by ZooKeeper's rules, and lists everything for setWatches2 after a reconnect.
 * Lives on the client's context.
 */
final class Watches {
  private final Map<String, Set<WatchListener>> data = new HashMap<>();
  private final Map<String, Set<WatchListener>> exist = new HashMap<>();
  private final Map<String, Set<WatchListener>> child = new HashMap<>();
  private final Map<String, Set<WatchListener>> persistent = new HashMap<>();
  private final Map<String, Set<WatchListener>> recursive = new HashMap<>();

  enum Kind { DATA, EXIST, CHILD, PERSISTENT, PERSISTENT_RECURSIVE }

  void add(Kind kind, String path, WatchListener listener) {
    table(kind).computeIfAbsent(path, p -> new LinkedHashSet<>()).add(listener);
  }

  /** Removes a listener (or every listener when null); true if something was removed. */
  boolean remove(Kind kind, String path, WatchListener listener) {
    Map<String, Set<WatchListener>> t = table(kind);
    Set<WatchListener> set = t.get(path);
    if (set == null) {
      return false;
    }
    boolean removed = listener == null ? !set.isEmpty() : set.remove(listener);
    if (listener == null || set.isEmpty()) {
      t.remove(path);
    }
    return removed;
  }

  boolean has(Kind kind, String path) {
    return table(kind).containsKey(path);
  }

  private Map<String, Set<WatchListener>> table(Kind kind) {
    return switch (kind) {
      case DATA -> data;
      case EXIST -> exist;
      case CHILD -> child;
      case PERSISTENT -> persistent;
      case PERSISTENT_RECURSIVE -> recursive;
    };
  }

  /** The listeners an event reaches; one-shot ones are removed. */
  List<WatchListener> fire(WatchEvent.Type type, String path) {
    Set<WatchListener> out = new LinkedHashSet<>();
    switch (type) {
      case NODE_CREATED, NODE_DATA_CHANGED -> {
        take(data, path, out);
        take(exist, path, out);
      }
      case NODE_CHILDREN_CHANGED -> take(child, path, out);
      case NODE_DELETED -> {
        take(data, path, out);
        take(exist, path, out);
        take(child, path, out);
      }
      default -> { }
    }
    Set<WatchListener> p = persistent.get(path);
    if (p != null) {
      out.addAll(p);
    }
    if (type != WatchEvent.Type.NODE_CHILDREN_CHANGED) {
      String at = path;
      while (true) {
        Set<WatchListener> r = recursive.get(at);
        if (r != null) {
          out.addAll(r);
        }
        if (at.equals("/")) {
          break;
        }
        int slash = at.lastIndexOf('/');
        at = slash == 0 ? "/" : at.substring(0, slash);
      }
    }
    return new ArrayList<>(out);
  }

  private static void take(Map<String, Set<WatchListener>> t, String path,
      Set<WatchListener> out) {
    Set<WatchListener> s = t.remove(path);
    if (s != null) {
      out.addAll(s);
    }
  }

  boolean isEmpty() {
    return data.isEmpty() && exist.isEmpty() && child.isEmpty() && persistent.isEmpty()
        && recursive.isEmpty();
  }

  /** Everything to re-register on a new connection, relative to {@code lastZxid}. */
  SetWatches2 toSetWatches(long lastZxid) {
    return new SetWatches2(lastZxid, new ArrayList<>(data.keySet()),
        new ArrayList<>(exist.keySet()), new ArrayList<>(child.keySet()),
        new ArrayList<>(persistent.keySet()), new ArrayList<>(recursive.keySet()));
  }

  /** Forgets everything. */
  void clear() {
    data.clear();
    exist.clear();
    child.clear();
    persistent.clear();
    recursive.clear();
  }
}

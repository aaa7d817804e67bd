package io.roost.core.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.proto.EventType;
import io.roost.core.proto.WatcherType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchManagerTest {
  private static final class Recorder implements Watcher {
    final List<String> events = new ArrayList<>();

    @Override
    public void process(int eventType, String path, long zxid) {
      events.add(eventType + " " + path);
    }
  }

  @Test
  void oneShotWatchesFireOnce() {
    WatchManager m = new WatchManager();
    Recorder r = new Recorder();
    m.addDataWatch("/a", r);
    m.trigger("/a", EventType.NODE_DATA_CHANGED, 1);
    m.trigger("/a", EventType.NODE_DATA_CHANGED, 2);
    assertEquals(List.of(EventType.NODE_DATA_CHANGED + " /a"), r.events);
    assertEquals(0, m.watchCount());
  }

  @Test
  void childWatchesIgnoreDataChangesButSeeDeletes() {
    WatchManager m = new WatchManager();
    Recorder r = new Recorder();
    m.addChildWatch("/a", r);
    m.trigger("/a", EventType.NODE_DATA_CHANGED, 1);
    assertTrue(r.events.isEmpty());
    m.trigger("/a", EventType.NODE_DELETED, 2);
    assertEquals(List.of(EventType.NODE_DELETED + " /a"), r.events);
  }

  @Test
  void aWatcherWithDataAndChildWatchesGetsOneDeleteEvent() {
    WatchManager m = new WatchManager();
    Recorder r = new Recorder();
    m.addChildWatch("/a", r);
    m.addDataWatch("/a", r);
    m.addPersistentWatch("/a", r, false);
    m.trigger("/a", EventType.NODE_DELETED, 1);
    assertEquals(1, r.events.size());
  }

  @Test
  void persistentWatchesStayAndSeeEveryKindOfEvent() {
    WatchManager m = new WatchManager();
    Recorder r = new Recorder();
    m.addPersistentWatch("/a", r, false);
    m.trigger("/a", EventType.NODE_CREATED, 1);
    m.trigger("/a", EventType.NODE_CHILDREN_CHANGED, 2);
    m.trigger("/a", EventType.NODE_DATA_CHANGED, 3);
    m.trigger("/a/b", EventType.NODE_CREATED, 4);
    assertEquals(3, r.events.size());
    assertEquals(1, m.watchCount());
  }

  @Test
  void recursiveWatchesSeeDescendantsButNotChildListChanges() {
    WatchManager m = new WatchManager();
    Recorder r = new Recorder();
    m.addPersistentWatch("/a", r, true);
    m.trigger("/a/b/c", EventType.NODE_CREATED, 1);
    m.trigger("/a/b", EventType.NODE_CHILDREN_CHANGED, 1);
    m.trigger("/a", EventType.NODE_DATA_CHANGED, 2);
    m.trigger("/ab", EventType.NODE_CREATED, 3);
    assertEquals(List.of(EventType.NODE_CREATED + " /a/b/c", EventType.NODE_DATA_CHANGED + " /a"),
        r.events);
  }

  @Test
  void removeAndCheckByType() {
    WatchManager m = new WatchManager();
    Recorder r = new Recorder();
    m.addDataWatch("/a", r);
    m.addChildWatch("/a", r);
    assertTrue(m.remove("/a", WatcherType.DATA, r, true));
    assertEquals(2, m.watchCount());
    assertTrue(m.remove("/a", WatcherType.DATA, r, false));
    assertFalse(m.remove("/a", WatcherType.DATA, r, false));
    assertTrue(m.remove("/a", WatcherType.ANY, r, false));
    assertEquals(0, m.watchCount());
  }

  @Test
  void removingAWatcherDropsAllItsWatches() {
    WatchManager m = new WatchManager();
    Recorder gone = new Recorder();
    Recorder stays = new Recorder();
    m.addDataWatch("/a", gone);
    m.addPersistentWatch("/", gone, true);
    m.addDataWatch("/a", stays);
    m.removeWatcher(gone);
    assertEquals(1, m.watchCount());
    m.trigger("/a", EventType.NODE_DATA_CHANGED, 1);
    assertTrue(gone.events.isEmpty());
    assertEquals(1, stays.events.size());
  }
}

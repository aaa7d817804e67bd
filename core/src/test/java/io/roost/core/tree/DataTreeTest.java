package io.roost.core.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Id;
import io.roost.core.proto.Perms;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataTreeTest {
  private static List<ACL> open() {
    // A fresh list each time, as a decoded request carries.
    return new ArrayList<>(List.of(new ACL(Perms.ALL, new Id("world", "anyone"))));
  }

  @Test
  void walksPathsSegmentBySegment() {
    DataTree tree = new DataTree();
    tree.create("/a", new byte[] {1}, open(), 0, 1, 10, 0, ChangeSink.NONE);
    tree.create("/a/b", new byte[] {2}, open(), 0, 1, 11, 0, ChangeSink.NONE);
    assertEquals(2, tree.get("/a/b").data()[0]);
    assertNotNull(tree.get("/"));
    assertNotNull(tree.get("/zookeeper/config"));
    assertNull(tree.get("/a/"), "a trailing slash names no node");
    assertNull(tree.get("/a//b"));
    assertNull(tree.get("/a/b/c"));
    assertNull(tree.get("/ab"));
    assertNull(tree.get(""));
    assertNull(tree.get("a"));
    assertEquals(List.of("b"), tree.get("/a").childNames());
    assertEquals(2, tree.descendantCount("/a") + 1);
  }

  @Test
  void aNodeKeepsItsChildVersionAndPzxidAfterItsLastChildGoes() {
    DataTree tree = new DataTree();
    tree.create("/a", null, open(), 0, 1, 10, 0, ChangeSink.NONE);
    assertEquals(0, tree.get("/a").cversion());
    assertEquals(10, tree.get("/a").pzxid(), "a leaf's pzxid is its czxid");
    tree.create("/a/b", new byte[0], open(), 0, 1, 11, 0, ChangeSink.NONE);
    tree.delete("/a/b", 12, ChangeSink.NONE);
    assertEquals(2, tree.get("/a").cversion());
    assertEquals(12, tree.get("/a").pzxid());
    assertEquals(0, tree.get("/a").childCount());
    assertNull(tree.get("/a").data(), "null data stays null");
    DataTree copy = DataTree.fromImage(tree.image());
    assertEquals(tree.get("/a").stat(), copy.get("/a").stat());
    assertEquals(tree.digest(), copy.digest());
  }

  @Test
  void nodesShareOneCopyOfEqualAcls() {
    DataTree tree = new DataTree();
    tree.create("/x", null, open(), 0, 1, 10, 0, ChangeSink.NONE);
    tree.create("/y", null, open(), 0, 2, 11, 0, ChangeSink.NONE);
    assertSame(tree.get("/x").acl(), tree.get("/y").acl());
    tree.setAcl("/y", open(), 1, 12);
    assertEquals(1, tree.get("/y").aversion());
    assertEquals(0, tree.get("/x").aversion(), "a shared ACL's version is not shared");
    tree.create("/z", null, open(), 0, 3, 13, 0, ChangeSink.NONE);
    tree.setAcl("/z", open(), 1, 14);
    assertSame(tree.get("/y").acl(), tree.get("/z").acl());
    tree.setData("/z", new byte[] {9}, 5, 15, 0, ChangeSink.NONE);
    assertEquals(5, tree.get("/z").version());
    assertEquals(9, tree.get("/z").data()[0]);
  }

  @Test
  void ownerOnlyWhereThereIsOne() {
    DataTree tree = new DataTree();
    tree.create("/e", null, open(), 77, 1, 10, 0, ChangeSink.NONE);
    tree.create("/p", null, open(), 0, 2, 11, 0, ChangeSink.NONE);
    assertEquals(77, tree.get("/e").ephemeralOwner());
    assertEquals(0, tree.get("/p").ephemeralOwner());
    assertEquals(Set.of("/e"), tree.ephemeralsOf(77));
  }

  @Test
  void digestAndCountsMatchARebuildFromTheImage() {
    Random rnd = new Random(7);
    DataTree tree = new DataTree();
    List<String> paths = new ArrayList<>(List.of("/"));
    long zxid = 100;
    for (int step = 0; step < 5_000; step++) {
      String parent = paths.get(rnd.nextInt(paths.size()));
      String path = PathNames.child(parent, "c" + rnd.nextInt(40));
      DataNode there = tree.get(path);
      zxid++;
      if (there == null) {
        int cv = tree.get(parent).cversion() + 1;
        tree.create(path, new byte[] {(byte) step}, open(), rnd.nextInt(4) == 0 ? 5 : 0, cv,
            zxid, step, ChangeSink.NONE);
        paths.add(path);
      } else if (there.childCount() == 0 && rnd.nextBoolean()) {
        tree.delete(path, zxid, ChangeSink.NONE);
        paths.remove(path);
      } else {
        tree.setData(path, new byte[] {(byte) step, 1}, there.version() + 1, zxid, step,
            ChangeSink.NONE);
      }
    }
    DataTree copy = DataTree.fromImage(tree.image());
    assertEquals(tree.digest(), copy.digest());
    assertEquals(tree.nodeCount(), copy.nodeCount());
    assertEquals(paths.size() + 3, tree.nodeCount(), "the three reserved nodes besides");
    assertEquals(tree.nodeCount() - 1, tree.descendantCount("/"));
    assertEquals(tree.ephemeralsOf(5), copy.ephemeralsOf(5));
    for (String p : paths) {
      assertEquals(Set.copyOf(tree.get(p).childNames()), Set.copyOf(copy.get(p).childNames()), p);
      assertEquals(tree.get(p).stat(), copy.get(p).stat(), p);
    }
    // Deleting everything again leaves the digest of a fresh tree.
    for (int i = paths.size() - 1; i > 0; i--) {
      tree.delete(paths.get(i), ++zxid, ChangeSink.NONE);
    }
    DataTree fresh = DataTree.fromImage(tree.image());
    assertEquals(fresh.digest(), tree.digest());
    assertEquals(4, tree.nodeCount());
  }

  @Test
  void refusesChangesThatMeanDivergedReplicas() {
    DataTree tree = new DataTree();
    tree.create("/a", null, open(), 0, 1, 10, 0, ChangeSink.NONE);
    assertThrows(IllegalStateException.class,
        () -> tree.create("/a", null, open(), 0, 2, 11, 0, ChangeSink.NONE));
    assertThrows(IllegalStateException.class,
        () -> tree.create("/q/r", null, open(), 0, 1, 11, 0, ChangeSink.NONE));
    assertThrows(IllegalStateException.class, () -> tree.delete("/nope", 12, ChangeSink.NONE));
    tree.create("/a/b", null, open(), 0, 1, 12, 0, ChangeSink.NONE);
    assertThrows(IllegalStateException.class, () -> tree.delete("/a", 13, ChangeSink.NONE));
  }
}

package io.roost.core.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Id;
import io.roost.core.proto.Perms;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChildTableTest {
  private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

  private static DataNode node(String name) {
    return DataNode.of("/" + name, new byte[] {7}, 3, new NodeAcl(OPEN, 0), 1, 0, 0);
  }

  private static DataNode find(ChildTable t, String name) {
    String path = "/p/" + name;
    return t.get(path, 3, path.length());
  }

  @Test
  void matchesAHashMapThroughRandomAddsAndRemoves() {
    // Small name space so that removals hit long probe runs and the table grows and shrinks.
    Random rnd = new Random(42);
    ChildTable table = new ChildTable(0);
    Map<String, DataNode> model = new HashMap<>();
    for (int step = 0; step < 200_000; step++) {
      String name = "n" + rnd.nextInt(rnd.nextBoolean() ? 50 : 5_000);
      DataNode there = model.get(name);
      if (there == null) {
        DataNode n = node(name);
        table.add(n);
        model.put(name, n);
      } else if (rnd.nextInt(3) > 0) {
        assertTrue(table.remove(there));
        model.remove(name);
        assertFalse(table.remove(there), "removing twice finds nothing");
      }
      if (step % 997 == 0) {
        for (Map.Entry<String, DataNode> e : model.entrySet()) {
          assertSame(e.getValue(), find(table, e.getKey()), e.getKey());
        }
        assertEquals(model.size(), table.size());
        assertEquals(model.keySet(), new HashSet<>(table.names()));
      }
      assertSame(model.get(name), find(table, name));
    }
  }

  @Test
  void findsNonAsciiNamesByStringAndBytes() {
    ChildTable table = new ChildTable(0);
    DataNode a = node("größe");
    DataNode b = node("節点");
    table.add(a);
    table.add(b);
    DataNode longName = node("y".repeat(300)); // a two-byte header
    table.add(longName);
    assertSame(longName, find(table, "y".repeat(300)));
    assertNull(find(table, "y".repeat(299)));
    assertSame(a, find(table, "größe"));
    assertSame(b, table.get("節点".getBytes(StandardCharsets.UTF_8)));
    assertNull(find(table, "grosse"));
    assertEquals("節点", b.name());
    assertEquals(7, b.data()[0], "the data follows the name in the node's one array");
    assertEquals(3, b.version());
  }

  @Test
  void namesAndDataShareOneArrayWithoutMixingUp() {
    String longName = "x".repeat(300); // a two-byte header
    for (String name : List.of("", "a", longName, "節")) {
      for (byte[] data : new byte[][] {null, {}, {1, 2, 3}}) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int version = name.length() * 1_000_003 - 7; // negative and positive ones
        byte[] packed = NodeBytes.pack(n, 0, n.length, version, data);
        assertEquals(version, NodeBytes.version(packed));
        assertEquals(n.length, NodeBytes.nameLength(packed));
        assertEquals(name, new String(packed, NodeBytes.nameStart(packed), n.length,
            StandardCharsets.UTF_8));
        assertEquals(data == null, NodeBytes.isNull(packed));
        assertEquals(data == null ? 0 : data.length, NodeBytes.dataLength(packed));
        org.junit.jupiter.api.Assertions.assertArrayEquals(data, NodeBytes.data(packed));
        assertEquals(java.util.Arrays.hashCode(data), NodeBytes.dataHash(packed));
      }
    }
  }

  @Test
  void collidingNamesStayReachableAfterRemovals() {
    // "Aa" and "BB" have the same String hash, so every one of these names collides.
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      StringBuilder sb = new StringBuilder();
      for (int bit = 0; bit < 6; bit++) {
        sb.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      names.add(sb.toString());
    }
    ChildTable table = new ChildTable(0);
    Map<String, DataNode> nodes = new HashMap<>();
    for (String n : names) {
      DataNode d = node(n);
      nodes.put(n, d);
      table.add(d);
    }
    for (int i = 0; i < names.size(); i += 2) {
      assertTrue(table.remove(nodes.get(names.get(i))));
    }
    for (int i = 0; i < names.size(); i++) {
      DataNode found = find(table, names.get(i));
      if (i % 2 == 0) {
        assertNull(found, names.get(i));
      } else {
        assertSame(nodes.get(names.get(i)), found, names.get(i));
      }
    }
  }
}

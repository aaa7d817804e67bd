package io.roost.core.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathNamesTest {
  @Test
  void acceptsOrdinaryPaths() {
    assertNull(PathNames.problem("/", false));
    assertNull(PathNames.problem("/a/b-c.d", false));
    assertNull(PathNames.problem("/a/", true), "a sequential create may end in /");
  }

  @Test
  void rejectsBadPaths() {
    assertNotNull(PathNames.problem(null, false));
    assertNotNull(PathNames.problem("", false));
    assertNotNull(PathNames.problem("a", false));
    assertNotNull(PathNames.problem("/a/", false));
    assertNotNull(PathNames.problem("/a//b", false));
    assertNotNull(PathNames.problem("/a/./b", false));
    assertNotNull(PathNames.problem("/a/..", false));
    assertNotNull(PathNames.problem("/a\u0000b", false));
    assertNotNull(PathNames.problem("/a\u0001", false));
  }

  @Test
  void splitsAndJoins() {
    assertEquals("/", PathNames.parent("/a"));
    assertEquals("/a", PathNames.parent("/a/b"));
    assertNull(PathNames.parent("/"));
    assertEquals("b", PathNames.name("/a/b"));
    assertEquals("/a/b", PathNames.child("/a", "b"));
    assertEquals("/b", PathNames.child("/", "b"));
    assertTrue(PathNames.isAtOrBelow("/zookeeper/quota", "/zookeeper"));
    assertTrue(!PathNames.isAtOrBelow("/zookeeperx", "/zookeeper"));
  }
}

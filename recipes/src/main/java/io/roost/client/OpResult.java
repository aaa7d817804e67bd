package io.roost.client;

import io.roost.core.proto.Stat;

/** The result of one op of a successful multi. */
public sealed interface OpResult {
  /** A node was created at {@code path} (relative to the namespace). */
  record Created(String path, Stat stat) implements OpResult {}

  /** A node was deleted. */
  record Deleted() implements OpResult {}

  /** A node's data was set; its new stat. */
  record DataSet(Stat stat) implements OpResult {}

  /** A check passed. */
  record Checked() implements OpResult {}
}

package io.roost.client;

import java.util.Objects;

/**
 * One operation of an atomic {@link RoostClient#multi multi}: all of them happen, with one zxid,
 * or none does. Paths are relative to the client's namespace.
 */
public sealed interface Op {
  /** The path the op concerns. */
  String path();

  /** Creates a node (sequential names are resolved by the server; no protection in a multi). */
  static Op create(String path, byte[] data, CreateOptions options) {
    return new Create(path, data, Objects.requireNonNull(options, "options"));
  }

  /** Deletes a node at {@code version} (-1: any). */
  static Op delete(String path, int version) {
    return new Delete(path, version);
  }

  /** Sets a node's data at {@code version} (-1: any). */
  static Op setData(String path, byte[] data, int version) {
    return new SetData(path, data, version);
  }

  /**
   * Requires a node to exist at {@code version} (-1: any version); the multi fails with
   * BadVersion or NoNode otherwise. The guard of a fenced write.
   */
  static Op check(String path, int version) {
    return new Check(path, version);
  }

  /** @see Op#create */
  record Create(String path, byte[] data, CreateOptions options) implements Op {}

  /** @see Op#delete */
  record Delete(String path, int version) implements Op {}

  /** @see Op#setData */
  record SetData(String path, byte[] data, int version) implements Op {}

  /** @see Op#check */
  record Check(String path, int version) implements Op {}
}

package io.roost.core.storage;

/**
 * The constants of the snapshot format, shared by {@link SnapshotWriter} and
 * {@link SnapshotReader}. All numbers are big-endian; strings and byte arrays are an int length
 * followed by the bytes (strings in UTF-8).
 *
 * <pre>
 * header   magic "RSNP", int formatVersion, long lastZxid, long digest,
 *          int sessionCount, int aclCount, int nodeCount
 * sessions sessionCount x (long id, int timeoutMs, bytes password)
 * acls     aclCount x (int entries, entries x (int perms, string scheme, string id))
 * nodes    nodeCount x (string path, long czxid, long mzxid, long ctime, long mtime,
 *          int version, int cversion, int aversion, long ephemeralOwner, long pzxid,
 *          int aclIndex (-1: null ACL), int dataLength (-1: null data), data)
 * trailer  magic "RSNE", int CRC32C of every byte before the trailer
 * </pre>
 *
 * <p>Distinct ACL lists are stored once and nodes refer to them by index, as most trees use a
 * handful of ACLs. Nodes come in the image's order (any order; the tree links children after).
 */
final class SnapshotFormat {
  /** "RSNP": the first four bytes of every snapshot. */
  static final int MAGIC = 0x52534E50;
  /** "RSNE": the first four bytes of the trailer. */
  static final int END_MAGIC = 0x52534E45;
  /** The format version this build writes and the only one it reads. */
  static final int VERSION = 1;
  /** Bytes in the header. */
  static final int HEADER_BYTES = 4 + 4 + 8 + 8 + 4 + 4 + 4;
  /** Bytes in the trailer. */
  static final int TRAILER_BYTES = 4 + 4;
  /** Smallest possible session entry: id, timeout, password length. */
  static final int MIN_SESSION_BYTES = 8 + 4 + 4;
  /** Smallest possible ACL list entry: its entry count. */
  static final int MIN_ACL_LIST_BYTES = 4;
  /** Smallest possible ACL entry: perms and two string lengths. */
  static final int MIN_ACL_ENTRY_BYTES = 4 + 4 + 4;
  /** Smallest possible node entry: a one-byte path and every fixed field. */
  static final int MIN_NODE_BYTES = 4 + 1 + 6 * 8 + 3 * 4 + 4 + 4;
  /** Longest node path, in UTF-8 bytes. */
  static final int MAX_PATH_BYTES = 1 << 20;
  /** Largest node data; far above any jute.maxbuffer a client could use to store it. */
  static final int MAX_DATA_BYTES = 512 << 20;
  /** Longest session password. */
  static final int MAX_PASSWORD_BYTES = 1 << 16;
  /** Longest ACL scheme or id, in UTF-8 bytes. */
  static final int MAX_ACL_STRING_BYTES = 1 << 20;

  private SnapshotFormat() {}
}

package io.roost.core.storage;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Id;
import io.roost.core.state.NodeImage;
import io.roost.core.state.SessionInfo;
import io.roost.core.state.StateImage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decodes the snapshot format (see {@link SnapshotFormat}) from any stream, one entry at a time,
 * so a multi-gigabyte snapshot never has to sit in one array. Every byte is checked: the magic, the
 * format version, every length and count against the bytes left, the ACL references, the CRC32C
 * in the trailer and that nothing follows the trailer. Any damage, truncation included, is
 * reported as {@link SnapshotCorruptedException}.
 */
public final class SnapshotReader {
  /** Size of the read buffer. */
  static final int BUFFER_BYTES = 1 << 20;

  /**
   * The fixed-size start of a snapshot.
   *
   * @param formatVersion the format version the file was written with
   * @param lastZxid zxid of the last transaction the snapshot includes
   * @param digest the tree digest at that zxid
   * @param sessionCount number of sessions
   * @param aclCount number of distinct ACL lists
   * @param nodeCount number of nodes, the root and system nodes included
   */
  public record Header(int formatVersion, long lastZxid, long digest, int sessionCount,
      int aclCount, int nodeCount) {}

  /**
   * Receives a snapshot's contents in file order while it is read. Entries arrive before the
   * checksum is verified: a visitor that acts on them must be ready to throw the work away when
   * the read ends in {@link SnapshotCorruptedException}.
   */
  public interface Visitor {
    /**
     * Called first, once.
     *
     * @param header the header
     */
    default void header(Header header) {}

    /**
     * Called once per session, in file order.
     *
     * @param session the session
     */
    default void session(SessionInfo session) {}

    /**
     * Called once per node, in the order the image listed them.
     *
     * @param node the node
     */
    default void node(NodeImage node) {}

    /**
     * Called last, once the trailer has been checked and found good.
     *
     * @param checksum the CRC32C of everything before the trailer
     */
    default void end(int checksum) {}
  }

  private SnapshotReader() {}

  /**
   * Reads a whole snapshot into an image.
   *
   * @param in the stream, positioned at the magic; read to its end but not closed
   * @param source the file the stream comes from, named in error messages; null for a stream
   *     without a file
   * @param size the number of bytes in the stream, or -1 if unknown; when known, damaged lengths
   *     are caught before anything is allocated for them
   * @return the image
   * @throws SnapshotCorruptedException if the snapshot is damaged or truncated
   * @throws java.io.UncheckedIOException if the stream fails
   */
  public static StateImage read(InputStream in, Path source, long size) {
    Collector c = new Collector();
    read(in, source, size, c);
    return new StateImage(c.header.lastZxid(), c.header.digest(),
        Collections.unmodifiableList(c.sessions), Collections.unmodifiableList(c.nodes));
  }

  /**
   * Reads a snapshot and hands its contents to a visitor as they are decoded.
   *
   * @param in the stream, positioned at the magic; read to its end but not closed
   * @param source the file the stream comes from, named in error messages; null if none
   * @param size the number of bytes in the stream, or -1 if unknown
   * @param visitor receives the header, sessions, nodes and finally the checksum
   * @throws SnapshotCorruptedException if the snapshot is damaged or truncated
   * @throws java.io.UncheckedIOException if the stream fails
   */
  public static void read(InputStream in, Path source, long size, Visitor visitor) {
    // A small file needs no megabyte buffer (the minimum keeps every primitive read in one piece).
    int buffer = size < 0 ? BUFFER_BYTES : (int) Math.max(64, Math.min(BUFFER_BYTES, size + 1));
    SnapshotInput i = new SnapshotInput(in, source, size, buffer);
    Header header = readHeader(i);
    visitor.header(header);
    for (int k = 0; k < header.sessionCount(); k++) {
      long id = i.readLong("a session id");
      int timeout = i.readInt("a session timeout");
      int len = i.readLength("session password", 0, SnapshotFormat.MAX_PASSWORD_BYTES);
      visitor.session(new SessionInfo(id, timeout, i.readRaw(len, "a session password")));
    }
    List<List<ACL>> acls = new ArrayList<>(Math.min(header.aclCount(), 1024));
    for (int k = 0; k < header.aclCount(); k++) {
      int entries = i.readCount("ACL entry", SnapshotFormat.MIN_ACL_ENTRY_BYTES);
      List<ACL> list = new ArrayList<>(Math.min(entries, 64));
      for (int e = 0; e < entries; e++) {
        int perms = i.readInt("ACL permissions");
        String scheme = i.readString("ACL scheme", SnapshotFormat.MAX_ACL_STRING_BYTES);
        String id = i.readString("ACL id", SnapshotFormat.MAX_ACL_STRING_BYTES);
        list.add(new ACL(perms, new Id(scheme, id)));
      }
      acls.add(List.copyOf(list));
    }
    for (int k = 0; k < header.nodeCount(); k++) {
      visitor.node(readNode(i, acls));
    }
    int computed = i.checksum();
    long trailerAt = i.offset();
    int endMagic = i.readInt("the trailer");
    if (endMagic != SnapshotFormat.END_MAGIC) {
      throw i.corrupted("no trailer at offset " + trailerAt + " after " + header.nodeCount()
          + " nodes (found 0x" + Integer.toHexString(endMagic) + "); the counts in the header do"
          + " not match the contents");
    }
    int stored = i.readInt("the trailer checksum");
    if (stored != computed) {
      throw i.corrupted("checksum mismatch: the trailer says CRC32C 0x"
          + Integer.toHexString(stored) + " but the contents give 0x"
          + Integer.toHexString(computed));
    }
    if (!i.atEnd()) {
      throw i.corrupted("unexpected bytes after the trailer at offset " + i.offset());
    }
    visitor.end(computed);
  }

  private static Header readHeader(SnapshotInput i) {
    int magic = i.readInt("the magic number");
    if (magic != SnapshotFormat.MAGIC) {
      throw i.corrupted("bad magic 0x" + Integer.toHexString(magic) + " (a snapshot starts with"
          + " \"RSNP\"); this is not a Roost snapshot");
    }
    int version = i.readInt("the format version");
    if (version != SnapshotFormat.VERSION) {
      throw i.corrupted("unsupported format version " + version + " (this build reads version "
          + SnapshotFormat.VERSION + "); if the file is genuine, run the Roost release that"
          + " wrote it");
    }
    long lastZxid = i.readLong("the last zxid");
    long digest = i.readLong("the digest");
    int sessions = i.readCount("session", SnapshotFormat.MIN_SESSION_BYTES);
    int acls = i.readCount("ACL list", SnapshotFormat.MIN_ACL_LIST_BYTES);
    int nodes = i.readCount("node", SnapshotFormat.MIN_NODE_BYTES);
    return new Header(version, lastZxid, digest, sessions, acls, nodes);
  }

  private static NodeImage readNode(SnapshotInput i, List<List<ACL>> acls) {
    long at = i.offset();
    String path = i.readString("node path", SnapshotFormat.MAX_PATH_BYTES);
    if (path.isEmpty() || path.charAt(0) != '/') {
      throw i.corrupted("node at offset " + at + " has the invalid path \"" + path + "\"");
    }
    long czxid = i.readLong("czxid");
    long mzxid = i.readLong("mzxid");
    long ctime = i.readLong("ctime");
    long mtime = i.readLong("mtime");
    int version = i.readInt("version");
    int cversion = i.readInt("cversion");
    int aversion = i.readInt("aversion");
    long owner = i.readLong("ephemeralOwner");
    long pzxid = i.readLong("pzxid");
    int aclRef = i.readInt("ACL index");
    if (aclRef < -1 || aclRef >= acls.size()) {
      throw i.corrupted("node " + path + " at offset " + at + " refers to ACL list " + aclRef
          + " but the snapshot has " + acls.size());
    }
    int len = i.readLength("node data", -1, SnapshotFormat.MAX_DATA_BYTES);
    byte[] data = len < 0 ? null : i.readRaw(len, "node data");
    return new NodeImage(path, data, aclRef < 0 ? null : acls.get(aclRef), czxid, mzxid, ctime,
        mtime, version, cversion, aversion, owner, pzxid);
  }

  /** Gathers everything into lists for {@link #read(InputStream, Path, long)}. */
  private static final class Collector implements Visitor {
    private Header header;
    private List<SessionInfo> sessions;
    private List<NodeImage> nodes;

    @Override
    public void header(Header h) {
      header = h;
      sessions = new ArrayList<>(Math.min(h.sessionCount(), 1 << 16));
      nodes = new ArrayList<>(Math.min(h.nodeCount(), 1 << 22));
    }

    @Override
    public void session(SessionInfo s) {
      sessions.add(s);
    }

    @Override
    public void node(NodeImage n) {
      nodes.add(n);
    }
  }
}

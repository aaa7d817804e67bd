package io.roost.core.storage;

import io.roost.core.proto.ACL;
import io.roost.core.state.NodeImage;
import io.roost.core.state.SessionInfo;
import io.roost.core.state.StateImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a {@link StateImage} in the snapshot format (see {@link SnapshotFormat}) onto any
 * stream: a snapshot file, or a socket when a leader sends SNAP to a follower. The stream is
 * written in large chunks, so it needs no buffering of its own.
 */
public final class SnapshotWriter {
  /** Size of the write buffer: large, so a multi-gigabyte image goes out in few system calls. */
  static final int BUFFER_BYTES = 1 << 20;

  private SnapshotWriter() {}

  /**
   * Writes the whole image, header to trailer, and flushes the stream. The stream is left open.
   *
   * @param image the image to write (taken on the applying thread, safe to read on this one)
   * @param out where to write it
   * @return the number of bytes written
   * @throws IOException if the stream fails
   * @throws IllegalArgumentException if the image holds something the format cannot store, such
   *     as node data over 512 MiB
   */
  public static long write(StateImage image, OutputStream out) throws IOException {
    List<SessionInfo> sessions = image.sessions();
    List<NodeImage> nodes = image.nodes();
    Map<List<ACL>, Integer> aclIndex = new HashMap<>();
    List<List<ACL>> acls = new ArrayList<>();
    for (NodeImage n : nodes) {
      if (n.acl() != null && !aclIndex.containsKey(n.acl())) {
        aclIndex.put(n.acl(), acls.size());
        acls.add(n.acl());
      }
    }

    SnapshotOutput o = new SnapshotOutput(out, BUFFER_BYTES);
    o.writeInt(SnapshotFormat.MAGIC);
    o.writeInt(SnapshotFormat.VERSION);
    o.writeLong(image.lastZxid());
    o.writeLong(image.digest());
    o.writeInt(sessions.size());
    o.writeInt(acls.size());
    o.writeInt(nodes.size());

    for (SessionInfo s : sessions) {
      byte[] password = s.password();
      if (password.length > SnapshotFormat.MAX_PASSWORD_BYTES) {
        throw tooLarge("session 0x" + Long.toHexString(s.id()) + " has a " + password.length
            + "-byte password");
      }
      o.writeLong(s.id());
      o.writeInt(s.timeoutMs());
      o.writeBytes(password);
    }

    for (List<ACL> list : acls) {
      o.writeInt(list.size());
      for (ACL acl : list) {
        o.writeInt(acl.perms());
        writeLimited(o, acl.id().scheme(), SnapshotFormat.MAX_ACL_STRING_BYTES, "ACL scheme");
        writeLimited(o, acl.id().id(), SnapshotFormat.MAX_ACL_STRING_BYTES, "ACL id");
      }
    }

    for (NodeImage n : nodes) {
      writeLimited(o, n.path(), SnapshotFormat.MAX_PATH_BYTES, "node path");
      o.writeLong(n.czxid());
      o.writeLong(n.mzxid());
      o.writeLong(n.ctime());
      o.writeLong(n.mtime());
      o.writeInt(n.version());
      o.writeInt(n.cversion());
      o.writeInt(n.aversion());
      o.writeLong(n.ephemeralOwner());
      o.writeLong(n.pzxid());
      o.writeInt(n.acl() == null ? -1 : aclIndex.get(n.acl()));
      byte[] data = n.data();
      if (data == null) {
        o.writeInt(-1);
      } else {
        if (data.length > SnapshotFormat.MAX_DATA_BYTES) {
          throw tooLarge("node " + n.path() + " has " + data.length + " bytes of data");
        }
        o.writeBytes(data);
      }
    }

    int crc = o.checksum();
    o.writeInt(SnapshotFormat.END_MAGIC);
    o.writeInt(crc);
    o.flush();
    return o.written();
  }

  private static void writeLimited(SnapshotOutput o, String s, int max, String what)
      throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > max) {
      throw tooLarge(what + " starting '" + s.substring(0, Math.min(s.length(), 80)) + "' is "
          + bytes.length + " bytes");
    }
    o.writeBytes(bytes);
  }

  private static IllegalArgumentException tooLarge(String problem) {
    return new IllegalArgumentException(problem + ", more than the snapshot format allows;"
        + " the image cannot be written (shrink that value and take the snapshot again)");
  }
}

package io.roost.core.storage;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Perms;
import io.roost.core.state.NodeImage;
import io.roost.core.state.SessionInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Prints a snapshot in readable form as {@link SnapshotReader} decodes it: one line for the
 * header, one per session and one per node, then the checksum verdict.
 */
final class SnapshotPrinter implements SnapshotReader.Visitor {
  /** How many data bytes the preview shows. */
  static final int PREVIEW_BYTES = 32;

  private final Path file;
  private final PrintStream out;
  private boolean nodesStarted;

  SnapshotPrinter(Path file, PrintStream out) {
    this.file = file;
    this.out = out;
  }

  @Override
  public void header(SnapshotReader.Header h) {
    out.println("snapshot " + file);
    out.println("  format " + h.formatVersion() + ", lastZxid 0x" + Long.toHexString(h.lastZxid())
        + ", digest 0x" + Long.toHexString(h.digest()) + ", " + h.sessionCount() + " sessions, "
        + h.aclCount() + " ACL lists, " + h.nodeCount() + " nodes");
    out.println("sessions:");
  }

  @Override
  public void session(SessionInfo s) {
    out.println("  0x" + Long.toHexString(s.id()) + " timeout " + s.timeoutMs() + " ms");
  }

  @Override
  public void node(NodeImage n) {
    if (!nodesStarted) {
      out.println("nodes:");
      nodesStarted = true;
    }
    StringBuilder line = new StringBuilder(160);
    line.append("  ").append(n.path())
        .append(" czxid 0x").append(Long.toHexString(n.czxid()))
        .append(" mzxid 0x").append(Long.toHexString(n.mzxid()))
        .append(" version ").append(n.version())
        .append(" cversion ").append(n.cversion())
        .append(" aversion ").append(n.aversion())
        .append(" owner 0x").append(Long.toHexString(n.ephemeralOwner()))
        .append(" acl ").append(acl(n.acl()))
        .append(" data ");
    byte[] data = n.data();
    if (data == null) {
      line.append("null");
    } else {
      line.append(data.length).append(" bytes ").append(preview(data));
    }
    out.println(line);
  }

  @Override
  public void end(int checksum) {
    if (!nodesStarted) {
      out.println("nodes:");
    }
    out.println("checksum ok (CRC32C 0x" + Integer.toHexString(checksum) + ")");
  }

  /**
   * The first {@link #PREVIEW_BYTES} bytes in quotes: printable ASCII as is, anything else (and
   * quote and backslash) escaped as {@code \xNN}, then "..." if there is more.
   */
  static String preview(byte[] data) {
    StringBuilder sb = new StringBuilder(PREVIEW_BYTES + 8).append('"');
    int n = Math.min(data.length, PREVIEW_BYTES);
    for (int k = 0; k < n; k++) {
      int b = data[k] & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
        sb.append((char) b);
      } else {
        sb.append(String.format("\\x%02x", b));
      }
    }
    sb.append('"');
    if (data.length > n) {
      sb.append("...");
    }
    return sb.toString();
  }

  /** ACL entries as {@code scheme:id=perms}, perms as ZooKeeper's cdrwa letters. */
  private static String acl(List<ACL> acl) {
    if (acl == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder("[");
    for (ACL a : acl) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(a.id().scheme()).append(':').append(a.id().id()).append('=')
          .append(perms(a.perms()));
    }
    return sb.append(']').toString();
  }

  private static String perms(int p) {
    StringBuilder sb = new StringBuilder(5);
    if ((p & Perms.CREATE) != 0) {
      sb.append('c');
    }
    if ((p & Perms.DELETE) != 0) {
      sb.append('d');
    }
    if ((p & Perms.READ) != 0) {
      sb.append('r');
    }
    if ((p & Perms.WRITE) != 0) {
      sb.append('w');
    }
    if ((p & Perms.ADMIN) != 0) {
      sb.append('a');
    }
    return sb.toString();
  }
}

package io.roost.core.tree;

import java.util.Arrays;

/**
 * A node's name, version and data in one array, to spare a node the second array's header and
 * reference and an int field (issue 6's heap-per-node row; the version changes exactly when the
 * data does, so the array is rebuilt anyway): a header, the version (4 bytes, big-endian), the
 * name's UTF-8 bytes, then the data. The header is a varint of
 * {@code nameLength << 1 | (data == null ? 1 : 0)}: one byte for names under 64 bytes.
 */
final class NodeBytes {
  private NodeBytes() {}

  private static final int VERSION_BYTES = 4;
  /** Where the name starts when the header is one byte (names under 64 bytes). */
  static final int ONE_BYTE_NAME_START = 1 + VERSION_BYTES;

  /**
   * Packs {@code version}, {@code src[from, from + len)} as the name, then {@code data} (null
   * allowed).
   */
  static byte[] pack(byte[] src, int from, int len, int version, byte[] data) {
    int header = len << 1 | (data == null ? 1 : 0);
    int headerLength = varintLength(header);
    int dataLength = data == null ? 0 : data.length;
    byte[] out = new byte[headerLength + VERSION_BYTES + len + dataLength];
    int p = 0;
    for (int v = header; ; v >>>= 7) {
      if ((v & ~0x7f) == 0) {
        out[p++] = (byte) v;
        break;
      }
      out[p++] = (byte) (v & 0x7f | 0x80);
    }
    out[p++] = (byte) (version >>> 24);
    out[p++] = (byte) (version >>> 16);
    out[p++] = (byte) (version >>> 8);
    out[p++] = (byte) version;
    System.arraycopy(src, from, out, p, len);
    if (dataLength > 0) {
      System.arraycopy(data, 0, out, p + len, dataLength);
    }
    return out;
  }

  /** Where the name starts (after the header and the version). */
  static int nameStart(byte[] b) {
    return versionStart(b) + VERSION_BYTES;
  }

  /** The node's data version. */
  static int version(byte[] b) {
    int p = versionStart(b);
    return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8
        | (b[p + 3] & 0xff);
  }

  private static int versionStart(byte[] b) {
    int p = 0;
    while ((b[p] & 0x80) != 0) {
      p++;
    }
    return p + 1;
  }

  /** The name's length in bytes. */
  static int nameLength(byte[] b) {
    return header(b) >>> 1;
  }

  /** Whether the data was stored as null. */
  static boolean isNull(byte[] b) {
    return (b[0] & 1) != 0;
  }

  /** Length of the data (0 for null). */
  static int dataLength(byte[] b) {
    return b.length - nameStart(b) - nameLength(b);
  }

  /** A copy of the data, or null. */
  static byte[] data(byte[] b) {
    if (isNull(b)) {
      return null;
    }
    return Arrays.copyOfRange(b, nameStart(b) + nameLength(b), b.length);
  }

  /** {@link Arrays#hashCode(byte[])} of the data (0 for null, as for a null array). */
  static int dataHash(byte[] b) {
    if (isNull(b)) {
      return 0;
    }
    int h = 1;
    for (int i = nameStart(b) + nameLength(b); i < b.length; i++) {
      h = 31 * h + b[i];
    }
    return h;
  }

  private static int header(byte[] b) {
    int v = 0;
    int shift = 0;
    for (int p = 0; ; p++, shift += 7) {
      v |= (b[p] & 0x7f) << shift;
      if ((b[p] & 0x80) == 0) {
        return v;
      }
    }
  }

  private static int varintLength(int v) {
    int n = 1;
    while ((v & ~0x7f) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }
}

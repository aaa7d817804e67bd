package io.roost.server.quorum;

import java.util.ArrayList;
import java.util.List;

/**
 * Carries a peer frame too large for one transport frame (a SNAP of a large tree) as several part
 * frames, and puts it together again on the other side. A part frame is
 * {@code [channel PART][int total][int offset][bytes]}: {@code total} is the length of the whole
 * frame and {@code offset} where these bytes go in it. Parts go out in order on one connection
 * and all together, so the receiver expects offset 0 first and each next offset where the last
 * part ended; anything else means the earlier parts are useless (a new transfer begins at offset
 * 0). One assembler per peer, used on the driver's context.
 */
final class FrameParts {
  /** The channel byte of a part frame. */
  static final byte PART = 3;
  /** Channel byte, total and offset. */
  static final int HEADER = 9;

  private byte[] assembling;
  private int filled;

  /**
   * Splits a frame ({@code channel} followed by {@code payload}) into part frames of at most
   * {@code maxPartFrame} bytes each, headers included.
   *
   * @throws IllegalArgumentException if {@code maxPartFrame} leaves no room for data
   */
  static List<byte[]> split(byte channel, byte[] payload, int maxPartFrame) {
    int room = maxPartFrame - HEADER;
    if (room <= 0) {
      throw new IllegalArgumentException("maxPartFrame=" + maxPartFrame + " leaves no room after"
          + " the " + HEADER + "-byte part header");
    }
    long totalLong = 1L + payload.length;
    if (totalLong > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a " + totalLong + "-byte frame cannot be sent");
    }
    int total = (int) totalLong;
    List<byte[]> parts = new ArrayList<>((total + room - 1) / room);
    for (int offset = 0; offset < total; offset += room) {
      int n = Math.min(room, total - offset);
      byte[] part = new byte[HEADER + n];
      part[0] = PART;
      putInt(part, 1, total);
      putInt(part, 5, offset);
      if (offset == 0) {
        part[HEADER] = channel;
        System.arraycopy(payload, 0, part, HEADER + 1, n - 1);
      } else {
        System.arraycopy(payload, offset - 1, part, HEADER, n);
      }
      parts.add(part);
    }
    return parts;
  }

  /** How many frames a frame of {@code length} bytes takes: 1, or its parts. */
  static int count(int length, int maxPartFrame) {
    if (length <= maxPartFrame) {
      return 1;
    }
    int room = maxPartFrame - HEADER;
    return (int) ((length + (long) room - 1) / room);
  }

  /**
   * Takes one part frame.
   *
   * @return the whole frame once its last part has arrived, else null
   * @throws IllegalArgumentException if the part is malformed or does not continue the frame
   *     being put together (which is then dropped)
   */
  byte[] offer(byte[] part) {
    if (part.length <= HEADER || part[0] != PART) {
      reset();
      throw new IllegalArgumentException("a part frame of " + part.length + " bytes is too short"
          + " or not a part");
    }
    int total = getInt(part, 1);
    int offset = getInt(part, 5);
    int n = part.length - HEADER;
    if (offset == 0) {
      if (total <= 0 || n > total) {
        reset();
        throw new IllegalArgumentException("part 0 of a " + total + "-byte frame holds " + n
            + " bytes");
      }
      assembling = new byte[total]; // a new transfer: whatever came before is dropped
      filled = 0;
    } else if (assembling == null || total != assembling.length || offset != filled
        || n > total - offset) {
      String expected = assembling == null ? "a first part (offset 0)"
          : "offset " + filled + " of " + assembling.length + " bytes";
      reset();
      throw new IllegalArgumentException("a part at offset " + offset + " of " + total
          + " bytes (" + n + " bytes) does not follow: expected " + expected);
    }
    System.arraycopy(part, HEADER, assembling, offset, n);
    filled += n;
    if (filled < total) {
      return null;
    }
    byte[] whole = assembling;
    reset();
    return whole;
  }

  /** Whether a frame is partly here. */
  boolean assembling() {
    return assembling != null;
  }

  /** Drops a frame partly put together (its connection closed, or a part went missing). */
  void reset() {
    assembling = null;
    filled = 0;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static int getInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8
        | (b[at + 3] & 0xff);
  }
}

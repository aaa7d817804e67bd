package io.roost.core.consensus;

import io.roost.core.proto.ProtocolException;
import io.roost.core.state.StateImage;
import io.roost.core.storage.SnapshotCorruptedException;
import io.roost.core.storage.SnapshotReader;
import io.roost.core.storage.SnapshotWriter;
import io.roost.core.storage.TxnCodec;
import io.roost.core.txn.Transaction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link PeerMessage}, as one frame body on the peer port.
 *
 * <p>Layout: one type byte, then the record's fields in declaration order, big-endian. {@code int}
 * and {@code long} are 4 and 8 bytes, {@code boolean} one byte (0 or 1), a {@link Role} one byte
 * from the table below (never its ordinal, so reordering the enum cannot change the wire). A
 * transaction is an int length followed by {@link TxnCodec} bytes; a list is an int count followed
 * by its elements. A {@link StateImage} is an int length followed by the snapshot file format
 * ({@link SnapshotWriter}), so SNAP sync ships exactly what a snapshot stores and is checked
 * (CRC32C included) the same way on arrival.
 *
 * <table>
 *   <caption>Type bytes (stable: never reuse or renumber one)</caption>
 *   <tr><th>byte</th><th>record</th><th>fields after the type byte</th></tr>
 *   <tr><td>1</td><td>{@link PeerMessage.Vote}</td>
 *       <td>long round, int leader, int leaderEpoch, long leaderZxid, byte senderRole,
 *       int establishedEpoch</td></tr>
 *   <tr><td>2</td><td>{@link PeerMessage.FollowerInfo}</td>
 *       <td>int acceptedEpoch, long lastZxid</td></tr>
 *   <tr><td>3</td><td>{@link PeerMessage.LeaderInfo}</td><td>int epoch, bool established</td></tr>
 *   <tr><td>4</td><td>{@link PeerMessage.AckEpoch}</td>
 *       <td>int epoch, int currentEpoch, long lastZxid</td></tr>
 *   <tr><td>5</td><td>{@link PeerMessage.Append}</td>
 *       <td>int epoch, long prevZxid, int count, count x (int length, transaction),
 *       long commitZxid</td></tr>
 *   <tr><td>6</td><td>{@link PeerMessage.Snap}</td>
 *       <td>int epoch, int length, snapshot</td></tr>
 *   <tr><td>7</td><td>{@link PeerMessage.NewLeader}</td><td>int epoch, long zxid</td></tr>
 *   <tr><td>8</td><td>{@link PeerMessage.AckNewLeader}</td><td>int epoch</td></tr>
 *   <tr><td>9</td><td>{@link PeerMessage.UpToDate}</td><td>int epoch, long commitZxid</td></tr>
 *   <tr><td>10</td><td>{@link PeerMessage.Ack}</td><td>int epoch, long zxid</td></tr>
 *   <tr><td>11</td><td>{@link PeerMessage.Nack}</td><td>int epoch, long hintZxid</td></tr>
 *   <tr><td>12</td><td>{@link PeerMessage.Commit}</td><td>int epoch, long zxid</td></tr>
 *   <tr><td>13</td><td>{@link PeerMessage.Ping}</td>
 *       <td>int epoch, long commitZxid, long round</td></tr>
 *   <tr><td>14</td><td>{@link PeerMessage.Pong}</td><td>int epoch, long round, long zxid</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Role bytes</caption>
 *   <tr><th>byte</th><th>role</th></tr>
 *   <tr><td>1</td><td>{@link Role#LOOKING}</td></tr>
 *   <tr><td>2</td><td>{@link Role#FOLLOWING}</td></tr>
 *   <tr><td>3</td><td>{@link Role#LEADING}</td></tr>
 *   <tr><td>4</td><td>{@link Role#OBSERVING}</td></tr>
 * </table>
 *
 * <p>Decoding treats its input as hostile: every length and count is checked against the bytes
 * that remain before anything is allocated for it, and anything malformed (unknown type or role,
 * truncation, bytes left over, a damaged transaction or snapshot) is an
 * {@link IllegalArgumentException} whose message names the field. Thread-safe (stateless).
 */
public final class PeerCodec {
  static final int VOTE = 1;
  static final int FOLLOWER_INFO = 2;
  static final int LEADER_INFO = 3;
  static final int ACK_EPOCH = 4;
  static final int APPEND = 5;
  static final int SNAP = 6;
  static final int NEW_LEADER = 7;
  static final int ACK_NEW_LEADER = 8;
  static final int UP_TO_DATE = 9;
  static final int ACK = 10;
  static final int NACK = 11;
  static final int COMMIT = 12;
  static final int PING = 13;
  static final int PONG = 14;

  static final int ROLE_LOOKING = 1;
  static final int ROLE_FOLLOWING = 2;
  static final int ROLE_LEADING = 3;
  static final int ROLE_OBSERVING = 4;

  private PeerCodec() {}

  /**
   * Encodes a message.
   *
   * @param m the message
   * @return a new array holding its binary form
   * @throws IllegalArgumentException if the message holds something the formats cannot carry (a
   *     transaction {@link TxnCodec#encode} rejects or an image {@link SnapshotWriter} rejects)
   */
  public static byte[] encode(PeerMessage m) {
    Out out = new Out();
    if (m instanceof PeerMessage.Vote v) {
      out.write(VOTE);
      out.writeLong(v.round());
      out.writeInt(v.leader());
      out.writeInt(v.leaderEpoch());
      out.writeLong(v.leaderZxid());
      out.write(roleCode(v.senderRole()));
      out.writeInt(v.establishedEpoch());
    } else if (m instanceof PeerMessage.FollowerInfo f) {
      out.write(FOLLOWER_INFO);
      out.writeInt(f.acceptedEpoch());
      out.writeLong(f.lastZxid());
    } else if (m instanceof PeerMessage.LeaderInfo l) {
      out.write(LEADER_INFO);
      out.writeInt(l.epoch());
      out.write(l.established() ? 1 : 0);
    } else if (m instanceof PeerMessage.AckEpoch a) {
      out.write(ACK_EPOCH);
      out.writeInt(a.epoch());
      out.writeInt(a.currentEpoch());
      out.writeLong(a.lastZxid());
    } else if (m instanceof PeerMessage.Append a) {
      out.write(APPEND);
      out.writeInt(a.epoch());
      out.writeLong(a.prevZxid());
      out.writeInt(a.txns().size());
      for (Transaction t : a.txns()) {
        byte[] bytes = TxnCodec.encode(t);
        out.writeInt(bytes.length);
        out.write(bytes, 0, bytes.length);
      }
      out.writeLong(a.commitZxid());
    } else if (m instanceof PeerMessage.Snap s) {
      out.write(SNAP);
      out.writeInt(s.epoch());
      int lengthAt = out.size();
      out.writeInt(0);
      try {
        SnapshotWriter.write(s.image(), out);
      } catch (IOException e) {
        // Out never fails; this only satisfies the writer's signature.
        throw new UncheckedIOException(e);
      }
      out.patchInt(lengthAt, out.size() - lengthAt - 4);
    } else if (m instanceof PeerMessage.NewLeader n) {
      epochAndZxid(out, NEW_LEADER, n.epoch(), n.zxid());
    } else if (m instanceof PeerMessage.AckNewLeader a) {
      out.write(ACK_NEW_LEADER);
      out.writeInt(a.epoch());
    } else if (m instanceof PeerMessage.UpToDate u) {
      epochAndZxid(out, UP_TO_DATE, u.epoch(), u.commitZxid());
    } else if (m instanceof PeerMessage.Ack a) {
      epochAndZxid(out, ACK, a.epoch(), a.zxid());
    } else if (m instanceof PeerMessage.Nack n) {
      epochAndZxid(out, NACK, n.epoch(), n.hintZxid());
    } else if (m instanceof PeerMessage.Commit c) {
      epochAndZxid(out, COMMIT, c.epoch(), c.zxid());
    } else if (m instanceof PeerMessage.Ping p) {
      epochAndZxid(out, PING, p.epoch(), p.commitZxid());
      out.writeLong(p.round());
    } else if (m instanceof PeerMessage.Pong p) {
      epochAndZxid(out, PONG, p.epoch(), p.round());
      out.writeLong(p.zxid());
    } else {
      // The interface is sealed; this is reached only if a record is added without a type byte.
      throw new IllegalArgumentException("no type byte for peer message " + m);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a message that fills the whole array.
   *
   * @param body the bytes; not modified
   * @return the message
   * @throws IllegalArgumentException if the bytes are not exactly one valid message
   */
  public static PeerMessage decode(byte[] body) {
    return decode(body, 0, body.length);
  }

  /**
   * Decodes a message that fills exactly {@code len} bytes of {@code buf} from {@code off}.
   *
   * @param buf the bytes; not modified
   * @param off where the message starts
   * @param len how many bytes it occupies
   * @return the message
   * @throws IllegalArgumentException if the bytes are not exactly one valid message (the message
   *     names what was wrong and where), or if {@code off} and {@code len} lie outside {@code buf}
   */
  public static PeerMessage decode(byte[] buf, int off, int len) {
    In in = new In(buf, off, len);
    int type = in.readByte("the type byte");
    PeerMessage m = switch (type) {
      case VOTE -> new PeerMessage.Vote(in.readLong("Vote.round"), in.readInt("Vote.leader"),
          in.readInt("Vote.leaderEpoch"), in.readLong("Vote.leaderZxid"), readRole(in),
          in.readInt("Vote.establishedEpoch"));
      case FOLLOWER_INFO -> new PeerMessage.FollowerInfo(in.readInt("FollowerInfo.acceptedEpoch"),
          in.readLong("FollowerInfo.lastZxid"));
      case LEADER_INFO -> new PeerMessage.LeaderInfo(in.readInt("LeaderInfo.epoch"),
          in.readBoolean("LeaderInfo.established"));
      case ACK_EPOCH -> new PeerMessage.AckEpoch(in.readInt("AckEpoch.epoch"),
          in.readInt("AckEpoch.currentEpoch"), in.readLong("AckEpoch.lastZxid"));
      case APPEND -> readAppend(in);
      case SNAP -> readSnap(in);
      case NEW_LEADER -> new PeerMessage.NewLeader(in.readInt("NewLeader.epoch"),
          in.readLong("NewLeader.zxid"));
      case ACK_NEW_LEADER -> new PeerMessage.AckNewLeader(in.readInt("AckNewLeader.epoch"));
      case UP_TO_DATE -> new PeerMessage.UpToDate(in.readInt("UpToDate.epoch"),
          in.readLong("UpToDate.commitZxid"));
      case ACK -> new PeerMessage.Ack(in.readInt("Ack.epoch"), in.readLong("Ack.zxid"));
      case NACK -> new PeerMessage.Nack(in.readInt("Nack.epoch"), in.readLong("Nack.hintZxid"));
      case COMMIT -> new PeerMessage.Commit(in.readInt("Commit.epoch"),
          in.readLong("Commit.zxid"));
      case PING -> new PeerMessage.Ping(in.readInt("Ping.epoch"), in.readLong("Ping.commitZxid"),
          in.readLong("Ping.round"));
      case PONG -> new PeerMessage.Pong(in.readInt("Pong.epoch"), in.readLong("Pong.round"),
          in.readLong("Pong.zxid"));
      default -> throw new IllegalArgumentException("unknown peer message type " + type
          + " (this build knows 1.." + PONG + "); is the sender a different Roost version?");
    };
    if (in.remaining() != 0) {
      throw new IllegalArgumentException(in.remaining() + " unexpected bytes follow the "
          + m.getClass().getSimpleName() + " message at offset " + in.offset());
    }
    return m;
  }

  private static PeerMessage.Append readAppend(In in) {
    int epoch = in.readInt("Append.epoch");
    long prevZxid = in.readLong("Append.prevZxid");
    // Each transaction takes at least its 4-byte length, so this bounds the list by the input.
    int count = in.readCount("Append.txns", 4);
    List<Transaction> txns = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      // "Append.txns[i]" is built only for a message: per entry it showed up in the allocation
      // profile.
      int at = in.offset();
      int length = in.readLength("Append.txns", i);
      try {
        txns.add(TxnCodec.decode(in.buf, in.pos, length));
      } catch (ProtocolException e) {
        throw new IllegalArgumentException("Append.txns[" + i + "] at offset " + at
            + " is malformed: " + e.getMessage(), e);
      }
      in.skip(length);
    }
    long commitZxid = in.readLong("Append.commitZxid");
    return new PeerMessage.Append(epoch, prevZxid, txns, commitZxid);
  }

  private static PeerMessage.Snap readSnap(In in) {
    int epoch = in.readInt("Snap.epoch");
    int length = in.readLength("Snap.image");
    int at = in.offset();
    StateImage image;
    try {
      // No file name: the reader's advice for a stream ("ask the sender again") is the right one.
      image = SnapshotReader.read(new ByteArrayInputStream(in.buf, in.pos, length), null, length);
    } catch (SnapshotCorruptedException e) {
      throw new IllegalArgumentException("Snap.image at offset " + at + " is malformed: "
          + e.getMessage(), e);
    }
    in.skip(length);
    return new PeerMessage.Snap(epoch, image);
  }

  private static void epochAndZxid(Out out, int type, int epoch, long zxid) {
    out.write(type);
    out.writeInt(epoch);
    out.writeLong(zxid);
  }

  private static int roleCode(Role role) {
    return switch (role) {
      case LOOKING -> ROLE_LOOKING;
      case FOLLOWING -> ROLE_FOLLOWING;
      case LEADING -> ROLE_LEADING;
      case OBSERVING -> ROLE_OBSERVING;
    };
  }

  private static Role readRole(In in) {
    int at = in.offset();
    int code = in.readByte("Vote.senderRole");
    return switch (code) {
      case ROLE_LOOKING -> Role.LOOKING;
      case ROLE_FOLLOWING -> Role.FOLLOWING;
      case ROLE_LEADING -> Role.LEADING;
      case ROLE_OBSERVING -> Role.OBSERVING;
      default -> throw new IllegalArgumentException("Vote.senderRole at offset " + at
          + " is the unknown role code " + code + " (known: 1..4)");
    };
  }

  /** A byte stream (without locks) that can fill in a length after the bytes it counts. */
  private static final class Out extends io.roost.core.storage.UnsyncBytes {
    Out() {
      super(64);
    }

    void writeInt(int v) {
      write(v >>> 24);
      write(v >>> 16);
      write(v >>> 8);
      write(v);
    }

    void writeLong(long v) {
      writeInt((int) (v >>> 32));
      writeInt((int) v);
    }

    void patchInt(int at, int v) {
      buf[at] = (byte) (v >>> 24);
      buf[at + 1] = (byte) (v >>> 16);
      buf[at + 2] = (byte) (v >>> 8);
      buf[at + 3] = (byte) v;
    }
  }

  /** A bounds-checked big-endian reader over part of an array; offsets are from the start. */
  private static final class In {
    final byte[] buf;
    final int start;
    final int end;
    int pos;

    In(byte[] buf, int off, int len) {
      if (off < 0 || len < 0 || off > buf.length - len) {
        throw new IllegalArgumentException("offset " + off + " and length " + len
            + " lie outside an array of " + buf.length + " bytes");
      }
      this.buf = buf;
      this.start = off;
      this.end = off + len;
      this.pos = off;
    }

    int remaining() {
      return end - pos;
    }

    int offset() {
      return pos - start;
    }

    private void need(int n, String what) {
      if (remaining() < n) {
        throw new IllegalArgumentException("peer message truncated: " + what + " at offset "
            + offset() + " needs " + n + " bytes but only " + remaining() + " remain");
      }
    }

    void skip(int n) {
      need(n, "skipped bytes");
      pos += n;
    }

    int readByte(String what) {
      need(1, what);
      return buf[pos++] & 0xff;
    }

    boolean readBoolean(String what) {
      int at = offset();
      int b = readByte(what);
      if (b > 1) {
        throw new IllegalArgumentException(what + " at offset " + at + " is " + b
            + ", not a boolean (0 or 1)");
      }
      return b == 1;
    }

    int readInt(String what) {
      need(4, what);
      int v = (buf[pos] & 0xff) << 24 | (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8
          | (buf[pos + 3] & 0xff);
      pos += 4;
      return v;
    }

    long readLong(String what) {
      need(8, what);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = v << 8 | (buf[pos++] & 0xff);
      }
      return v;
    }

    /** A byte length that must be non-negative and fit in what remains. */
    int readLength(String what) {
      return readLength(what, -1);
    }

    /**
     * A byte length of element {@code index} of {@code what} (none if negative); the element's
     * name is built only for a message, not for every entry of an Append.
     */
    int readLength(String what, int index) {
      int at = offset();
      if (remaining() < 4) {
        need(4, label(what, index) + " length");
      }
      int length = readInt(what);
      if (length < 0 || length > remaining()) {
        throw new IllegalArgumentException(label(what, index) + " at offset " + at + " declares "
            + length + " bytes but " + remaining() + " remain");
      }
      return length;
    }

    private static String label(String what, int index) {
      return index < 0 ? what : what + "[" + index + "]";
    }

    /** An element count whose elements, at {@code minBytes} each, must fit in what remains. */
    int readCount(String what, int minBytes) {
      int at = offset();
      int count = readInt(what + " count");
      if (count < 0 || count > remaining() / minBytes) {
        throw new IllegalArgumentException(what + " at offset " + at + " declares " + count
            + " entries but " + remaining() + " bytes remain (at least " + minBytes
            + " per entry)");
      }
      return count;
    }
  }
}

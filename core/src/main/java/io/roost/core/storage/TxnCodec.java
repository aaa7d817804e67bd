package io.roost.core.storage;

import io.roost.core.proto.ACL;
import io.roost.core.proto.JuteInput;
import io.roost.core.proto.ProtocolException;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link Transaction}, as stored in the transaction log and sent to followers.
 *
 * <p>Layout (big-endian): one format-version byte ({@link #FORMAT_VERSION}), then sessionId (long),
 * cxid (int), zxid (long), time (long), then the op. An op is one type byte followed by its fields;
 * a {@link TxnOp.Multi} is its type byte, an int count and that many nested ops. Strings and byte
 * buffers are an int length then the bytes (UTF-8 for strings), with length -1 for null, so null
 * data and empty data stay distinct. ACL lists are an int count then, per entry, perms (int),
 * scheme and id (strings), as on the ZooKeeper wire.
 *
 * <p>The encoding is deterministic: equal transactions give equal bytes. Decoding checks every
 * length before it allocates and rejects anything malformed with a {@link ProtocolException}.
 */
public final class TxnCodec {

  /** The format version this class writes and the only one it reads. */
  public static final int FORMAT_VERSION = 1;

  /** How deeply a {@link TxnOp.Multi} may nest inside other multis. */
  public static final int MAX_MULTI_DEPTH = 16;

  static final int CREATE = 1;
  static final int DELETE = 2;
  static final int SET_DATA = 3;
  static final int SET_ACL = 4;
  static final int CHECK = 5;
  static final int CREATE_SESSION = 6;
  static final int CLOSE_SESSION = 7;
  static final int MULTI = 8;

  private TxnCodec() {}

  /**
   * Encodes a transaction.
   *
   * @param txn the transaction
   * @return a new array holding its binary form
   * @throws IllegalArgumentException if a path is null or multis nest deeper than
   *     {@link #MAX_MULTI_DEPTH} (such a transaction could not be decoded again)
   */
  public static byte[] encode(Transaction txn) {
    // Sized for the common single op up front: growing the buffer cost more copying than the
    // encoding itself (allocation profile of a setData load).
    ByteArrayOutputStream bytes = new UnsyncBytes(sizeHint(txn.op()));
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      out.writeByte(FORMAT_VERSION);
      out.writeLong(txn.sessionId());
      out.writeInt(txn.cxid());
      out.writeLong(txn.zxid());
      out.writeLong(txn.time());
      writeOp(out, txn.op(), 0);
      out.flush();
    } catch (IOException e) {
      // A ByteArrayOutputStream never fails; this only satisfies the stream's signature.
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Room for the header and one op with its path and data, so most encodings never grow. */
  private static int sizeHint(TxnOp op) {
    int hint = 96;
    if (op instanceof TxnOp.Create c) {
      hint += 2 * c.path().length() + (c.data() == null ? 0 : c.data().length)
          + 32 * c.acl().size();
    } else if (op instanceof TxnOp.SetData d) {
      hint += 2 * d.path().length() + (d.data() == null ? 0 : d.data().length);
    } else {
      hint += 160;
    }
    return hint;
  }

  /**
   * Decodes a transaction that fills exactly {@code len} bytes of {@code buf} from {@code off}.
   *
   * @param buf the bytes; not modified
   * @param off where the transaction starts
   * @param len how many bytes it occupies
   * @return the transaction
   * @throws ProtocolException if the bytes are not a valid transaction of this format version:
   *     truncated, an unknown version or op type, an impossible length or count, a null path or
   *     ACL list, multis nested too deeply, or bytes left over after the transaction
   * @throws IllegalArgumentException if {@code off} and {@code len} lie outside {@code buf}
   */
  public static Transaction decode(byte[] buf, int off, int len) {
    Reader in = new Reader(buf, off, len);
    int version = in.readByte("format version");
    if (version != FORMAT_VERSION) {
      throw new ProtocolException("transaction has format version " + version
          + " but this build of Roost reads only version " + FORMAT_VERSION
          + "; run a Roost version that wrote it");
    }
    long sessionId = in.jute.readLong();
    int cxid = in.jute.readInt();
    long zxid = in.jute.readLong();
    long time = in.jute.readLong();
    TxnOp op = readOp(in, 0);
    if (in.jute.remaining() != 0) {
      throw new ProtocolException(in.jute.remaining()
          + " unexpected bytes follow the transaction at position " + in.jute.position());
    }
    return new Transaction(sessionId, cxid, zxid, time, op);
  }

  private static void writeOp(DataOutputStream out, TxnOp op, int depth) throws IOException {
    if (op instanceof TxnOp.Create c) {
      out.writeByte(CREATE);
      writePath(out, c.path());
      writeBuffer(out, c.data());
      writeAcl(out, c.acl());
      out.writeLong(c.ephemeralOwner());
      out.writeInt(c.parentCversion());
    } else if (op instanceof TxnOp.Delete d) {
      out.writeByte(DELETE);
      writePath(out, d.path());
    } else if (op instanceof TxnOp.SetData s) {
      out.writeByte(SET_DATA);
      writePath(out, s.path());
      writeBuffer(out, s.data());
      out.writeInt(s.version());
    } else if (op instanceof TxnOp.SetAcl s) {
      out.writeByte(SET_ACL);
      writePath(out, s.path());
      writeAcl(out, s.acl());
      out.writeInt(s.aversion());
    } else if (op instanceof TxnOp.Check c) {
      out.writeByte(CHECK);
      writePath(out, c.path());
      out.writeInt(c.version());
    } else if (op instanceof TxnOp.CreateSession s) {
      out.writeByte(CREATE_SESSION);
      out.writeInt(s.timeoutMs());
      writeBuffer(out, s.password());
    } else if (op instanceof TxnOp.CloseSession) {
      out.writeByte(CLOSE_SESSION);
    } else if (op instanceof TxnOp.Multi m) {
      if (depth >= MAX_MULTI_DEPTH) {
        throw new IllegalArgumentException("multi ops nest deeper than " + MAX_MULTI_DEPTH
            + " levels; flatten the multi before logging it");
      }
      out.writeByte(MULTI);
      out.writeInt(m.ops().size());
      for (TxnOp inner : m.ops()) {
        writeOp(out, inner, depth + 1);
      }
    } else {
      throw new IllegalArgumentException("no encoding for op type " + op.getClass().getName()
          + "; add it to TxnCodec");
    }
  }

  private static void writePath(DataOutputStream out, String path) throws IOException {
    if (path == null) {
      throw new IllegalArgumentException("a transaction op has a null path; every op that names"
          + " a node needs its path");
    }
    writeBuffer(out, path.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeBuffer(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(b.length);
    out.write(b);
  }

  private static void writeAcl(DataOutputStream out, List<ACL> acl) throws IOException {
    out.writeInt(acl.size());
    for (ACL a : acl) {
      out.writeInt(a.perms());
      writeString(out, a.id().scheme());
      writeString(out, a.id().id());
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    writeBuffer(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  private static TxnOp readOp(Reader in, int depth) {
    int type = in.readByte("op type");
    switch (type) {
      case CREATE: {
        String path = readPath(in, "Create");
        byte[] data = in.jute.readBuffer();
        List<ACL> acl = readAcl(in, "Create");
        long owner = in.jute.readLong();
        int parentCversion = in.jute.readInt();
        return new TxnOp.Create(path, data, acl, owner, parentCversion);
      }
      case DELETE:
        return new TxnOp.Delete(readPath(in, "Delete"));
      case SET_DATA: {
        String path = readPath(in, "SetData");
        byte[] data = in.jute.readBuffer();
        return new TxnOp.SetData(path, data, in.jute.readInt());
      }
      case SET_ACL: {
        String path = readPath(in, "SetAcl");
        List<ACL> acl = readAcl(in, "SetAcl");
        return new TxnOp.SetAcl(path, acl, in.jute.readInt());
      }
      case CHECK: {
        String path = readPath(in, "Check");
        return new TxnOp.Check(path, in.jute.readInt());
      }
      case CREATE_SESSION: {
        int timeout = in.jute.readInt();
        return new TxnOp.CreateSession(timeout, in.jute.readBuffer());
      }
      case CLOSE_SESSION:
        return new TxnOp.CloseSession();
      case MULTI:
        return readMulti(in, depth);
      default:
        throw new ProtocolException("unknown transaction op type " + type + " at position "
            + (in.jute.position() - 1) + "; the bytes are damaged or from a newer Roost");
    }
  }

  private static TxnOp readMulti(Reader in, int depth) {
    if (depth >= MAX_MULTI_DEPTH) {
      throw new ProtocolException("multi ops nest deeper than " + MAX_MULTI_DEPTH + " levels");
    }
    int count = in.jute.readInt();
    if (count < 0) {
      throw new ProtocolException("multi has negative op count " + count);
    }
    // Every op takes at least its type byte, so a larger count cannot be genuine.
    if (count > in.jute.remaining()) {
      throw new ProtocolException("multi op count " + count + " exceeds the remaining "
          + in.jute.remaining() + " bytes");
    }
    List<TxnOp> ops = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      ops.add(readOp(in, depth + 1));
    }
    return new TxnOp.Multi(ops);
  }

  private static String readPath(Reader in, String op) {
    String path = in.jute.readString();
    if (path == null) {
      throw new ProtocolException(op + " op has a null path");
    }
    return path;
  }

  private static List<ACL> readAcl(Reader in, String op) {
    List<ACL> acl = ACL.readAclVector(in.jute);
    if (acl == null) {
      throw new ProtocolException(op + " op has a null ACL list");
    }
    return acl;
  }

  /** A {@link JuteInput} plus single-byte reads, which jute itself does not offer. */
  private static final class Reader {
    final JuteInput jute;
    private final byte[] buf;
    private final int off;

    Reader(byte[] buf, int off, int len) {
      this.jute = new JuteInput(buf, off, len);
      this.buf = buf;
      this.off = off;
    }

    /** Reads one unsigned byte; the bounds check is jute's, so truncation fails the same way. */
    int readByte(String what) {
      if (jute.remaining() < 1) {
        throw new ProtocolException("need 1 byte for " + what + " but none remain at position "
            + jute.position());
      }
      jute.readBool();
      return buf[off + jute.position() - 1] & 0xff;
    }
  }
}

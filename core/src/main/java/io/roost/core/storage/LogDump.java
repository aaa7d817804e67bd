package io.roost.core.storage;

import io.roost.core.proto.ACL;
import io.roost.core.proto.ProtocolException;
import io.roost.core.txn.Transaction;
import io.roost.core.txn.TxnOp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Prints a log segment for an operator ({@code bin/roost log FILE}): the header, one line per
 * record, and how the data ends. Damage is described with its offset, never thrown, and judged the
 * way recovery would judge it: a torn tail if no sound record follows, damage otherwise.
 */
final class LogDump {

  private LogDump() {}

  /** Prints {@code file} to {@code out}; see {@link TxnLog#dump}. */
  static void dump(Path file, PrintStream out) throws IOException {
    try (SegmentScanner scan = SegmentScanner.open(file)) {
      out.println("file " + file + ": " + scan.size() + " bytes");
      String problem = scan.readHeader();
      if (problem != null) {
        out.println("DAMAGED HEADER at offset 0: " + problem
            + "; this is not a readable Roost log segment");
        return;
      }
      out.println("header: Roost transaction log segment, format " + LogFormat.VERSION
          + ", base zxid " + LogFormat.describeZxid(scan.baseZxid()));
      OptionalLong named = LogFormat.baseZxidOf(file);
      if (named.isPresent() && named.getAsLong() != scan.baseZxid()) {
        out.println("DAMAGE at offset 8: the header's base zxid differs from the file name's 0x"
            + Long.toHexString(named.getAsLong()));
      }
      records(scan, out);
    }
  }

  private static void records(SegmentScanner scan, PrintStream out) throws IOException {
    long count = 0;
    long prevZxid = 0;
    while (true) {
      SegmentScanner.Step st = scan.next();
      switch (st.kind()) {
        case RECORD:
          out.println(recordLine(st, count == 0 ? scan.baseZxid() : -1, prevZxid));
          prevZxid = st.zxid();
          count++;
          break;
        case END:
          endLine(scan, st.offset(), count, prevZxid, out);
          return;
        default:
          long sound = scan.validRecordFrom(st.offset() + 1, prevZxid);
          out.println(count + " sound records before offset " + st.offset());
          out.println(judge(st.offset(), st.problem(), sound));
          return;
      }
    }
  }

  private static String recordLine(SegmentScanner.Step st, long expectedFirst, long prevZxid) {
    StringBuilder b = new StringBuilder("offset ").append(st.offset()).append(": zxid ")
        .append(LogFormat.describeZxid(st.zxid()));
    try {
      Transaction txn = TxnCodec.decode(st.payload(), 0, st.payload().length);
      b.append(" session 0x").append(Long.toHexString(txn.sessionId()))
          .append(" cxid ").append(txn.cxid())
          .append(" time ").append(Instant.ofEpochMilli(txn.time()))
          .append(' ').append(describe(txn.op()));
      if (txn.zxid() != st.zxid()) {
        b.append("  <- DAMAGE: the transaction inside has zxid 0x")
            .append(Long.toHexString(txn.zxid()));
      }
    } catch (ProtocolException e) {
      b.append("  <- DAMAGE: ").append(st.payload().length)
          .append(" payload bytes pass the CRC but do not decode: ").append(e.getMessage());
    }
    if (expectedFirst >= 0 && st.zxid() != expectedFirst) {
      b.append("  <- DAMAGE: the first record should have the base zxid 0x")
          .append(Long.toHexString(expectedFirst));
    }
    if (st.zxid() <= prevZxid) {
      b.append("  <- DAMAGE: zxid not greater than the previous 0x")
          .append(Long.toHexString(prevZxid));
    }
    return b.toString();
  }

  private static void endLine(SegmentScanner scan, long end, long count, long lastZxid,
      PrintStream out) throws IOException {
    long nz = scan.firstNonZero(end);
    if (nz < 0) {
      out.println("end of data at offset " + end + ": " + count + " records, last zxid "
          + (count == 0 ? "none" : "0x" + Long.toHexString(lastZxid)) + "; "
          + (scan.size() - end) + " bytes of preallocated zeros follow");
      return;
    }
    out.println("end of data at offset " + end + ": " + count + " records");
    long sound = scan.validRecordFrom(Math.max(end + 1, nz - 3), lastZxid);
    out.println(judge(end, "non-zero bytes follow the end of the data, from offset " + nz, sound));
  }

  private static String judge(long offset, String problem, long soundAt) {
    if (soundAt >= 0) {
      return "DAMAGE at offset " + offset + ": " + problem + "; a sound record follows at offset "
          + soundAt + ", so the log is damaged before its tail and start-up would stop";
    }
    return "TORN TAIL at offset " + offset + ": " + problem + "; no sound record follows, so"
        + " start-up truncates here if this is the newest segment (and stops if it is not)";
  }

  /** One op in words: its kind, path and sizes. */
  static String describe(TxnOp op) {
    if (op instanceof TxnOp.Create c) {
      return "Create " + c.path() + " data " + size(c.data()) + " acl " + acl(c.acl())
          + " ephemeralOwner 0x" + Long.toHexString(c.ephemeralOwner()) + " parentCversion "
          + c.parentCversion();
    } else if (op instanceof TxnOp.Delete d) {
      return "Delete " + d.path();
    } else if (op instanceof TxnOp.SetData s) {
      return "SetData " + s.path() + " data " + size(s.data()) + " version " + s.version();
    } else if (op instanceof TxnOp.SetAcl s) {
      return "SetAcl " + s.path() + " acl " + acl(s.acl()) + " aversion " + s.aversion();
    } else if (op instanceof TxnOp.Check c) {
      return "Check " + c.path() + " version " + c.version();
    } else if (op instanceof TxnOp.CreateSession s) {
      return "CreateSession timeout " + s.timeoutMs() + "ms password " + size(s.password());
    } else if (op instanceof TxnOp.CloseSession) {
      return "CloseSession";
    } else if (op instanceof TxnOp.Multi m) {
      return "Multi of " + m.ops().size() + " ["
          + m.ops().stream().map(LogDump::describe).collect(Collectors.joining("; ")) + "]";
    }
    return op.toString();
  }

  private static String size(byte[] b) {
    return b == null ? "null" : b.length + " bytes";
  }

  private static String acl(List<ACL> acl) {
    return acl.stream()
        .map(a -> a.id().scheme() + ":" + a.id().id() + ":" + a.perms())
        .collect(Collectors.joining(",", "[", "]"));
  }
}

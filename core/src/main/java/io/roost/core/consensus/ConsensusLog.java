package io.roost.core.consensus;

import io.roost.core.txn.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's in-memory view of its log: the entries after {@link #base()} in zxid order, each with
 * the sequence number its append was given, and how far appends are durable. Everything at or
 * below the base is committed history that lives in the snapshot the log started from (or was
 * compacted into).
 *
 * <p>A zxid names one entry in the whole ensemble (one leader per epoch, counters in order), so
 * "holds zxid z" is enough to know two logs agree up to z.
 */
final class ConsensusLog {
  private record Entry(Transaction txn, long seq) {}

  private final ArrayList<Entry> entries = new ArrayList<>();
  private long base;
  private long nextSeq = 1;
  private long durableSeq;

  /** A log that starts after {@code base} and holds {@code restored}, all of it durable. */
  ConsensusLog(long base, List<Transaction> restored) {
    this.base = base;
    long prev = base;
    for (Transaction t : restored) {
      if (t.zxid() <= prev) {
        throw new IllegalArgumentException("restored log is not in zxid order after 0x"
            + Long.toHexString(prev) + ": 0x" + Long.toHexString(t.zxid()));
      }
      prev = t.zxid();
      entries.add(new Entry(t, nextSeq++));
    }
    durableSeq = nextSeq - 1;
  }

  /** The zxid the log starts after (committed history below it is in a snapshot). */
  long base() {
    return base;
  }

  /** Zxid of the last entry, or the base if there is none. */
  long last() {
    return entries.isEmpty() ? base : entries.get(entries.size() - 1).txn().zxid();
  }

  /** Number of entries held. */
  int size() {
    return entries.size();
  }

  /**
   * True if the log holds {@code zxid}. Anything at or below the base counts as held: the base is
   * committed history, and any other log's entries at or below it are that same history.
   */
  boolean holds(long zxid) {
    return zxid <= base || indexOf(zxid) >= 0;
  }

  /** The largest zxid held that is at most {@code zxid} (the base if none is). */
  long floor(long zxid) {
    int i = insertionPoint(zxid + 1) - 1; // entries below zxid + 1
    return i < 0 ? base : entries.get(i).txn().zxid();
  }

  /** The largest zxid held that is below {@code zxid} (the base if none is). */
  long below(long zxid) {
    int i = insertionPoint(zxid) - 1;
    return i < 0 ? base : entries.get(i).txn().zxid();
  }

  /** Up to {@code max} entries after {@code zxid}, which must be held and not below the base. */
  List<Transaction> after(long zxid, int max) {
    int from = zxid == base ? 0 : indexOf(zxid) + 1;
    if (from <= 0 && zxid != base) {
      throw new IllegalStateException("zxid 0x" + Long.toHexString(zxid) + " is not in the log");
    }
    int to = Math.min(entries.size(), from + max);
    List<Transaction> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(entries.get(i).txn());
    }
    return out;
  }

  /** Entries in {@code (from, to]}; both ends at or above the base. */
  List<Transaction> between(long from, long to) {
    int start = insertionPoint(from + 1);
    int end = insertionPoint(to + 1);
    List<Transaction> out = new ArrayList<>(Math.max(0, end - start));
    for (int i = start; i < end; i++) {
      out.add(entries.get(i).txn());
    }
    return out;
  }

  /** Appends one entry after the last and returns its sequence number. */
  long append(Transaction txn) {
    if (txn.zxid() <= last()) {
      throw new IllegalStateException("append of 0x" + Long.toHexString(txn.zxid())
          + " after 0x" + Long.toHexString(last()));
    }
    long seq = nextSeq++;
    entries.add(new Entry(txn, seq));
    return seq;
  }

  /** Removes every entry after {@code zxid}. */
  void truncateAfter(long zxid) {
    int keep = insertionPoint(zxid + 1);
    if (zxid < base) {
      throw new IllegalStateException("truncate to 0x" + Long.toHexString(zxid)
          + " below the committed base 0x" + Long.toHexString(base));
    }
    entries.subList(keep, entries.size()).clear();
  }

  /** Drops everything and starts after {@code newBase} (a snapshot was installed). */
  void reset(long newBase) {
    entries.clear();
    base = newBase;
  }

  /**
   * Drops entries at or below {@code zxid}, but keeps at least {@code retain} entries; the last
   * dropped entry becomes the base.
   */
  void compact(long zxid, int retain) {
    int drop = Math.min(insertionPoint(zxid + 1), entries.size() - retain);
    if (drop <= 0) {
      return;
    }
    base = entries.get(drop - 1).txn().zxid();
    entries.subList(0, drop).clear();
  }

  /** Number of entries in {@code (from, to]}. */
  int count(long from, long to) {
    return Math.max(0, insertionPoint(to + 1) - insertionPoint(from + 1));
  }

  /** Appends with sequence numbers up to {@code seq} are durable. */
  void persisted(long seq) {
    durableSeq = Math.max(durableSeq, seq);
  }

  /** The last zxid such that it and everything before it are durable. */
  long durable() {
    int lo = 0;
    int hi = entries.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).seq() <= durableSeq) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? base : entries.get(found).txn().zxid();
  }

  private int indexOf(long zxid) {
    int i = insertionPoint(zxid);
    return i < entries.size() && entries.get(i).txn().zxid() == zxid ? i : -1;
  }

  /** Index of the first entry whose zxid is at least {@code zxid}. */
  private int insertionPoint(long zxid) {
    int lo = 0;
    int hi = entries.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).txn().zxid() < zxid) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}

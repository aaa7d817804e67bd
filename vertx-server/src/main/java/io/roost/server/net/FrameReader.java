package io.roost.server.net;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * Splits a socket's byte stream (a peer's or a client's) into frames: a 4-byte big-endian length,
 * then that many bytes. A length outside the allowed range is reported once and ends the parsing;
 * the parser never sizes anything by a declared length alone, it only grows a frame's array as
 * its bytes arrive.
 *
 * <p>Each byte is copied once, from the socket's chunk into the frame's array (a
 * {@code RecordParser} copied it twice more: into its own record buffer, then out of it). Under a
 * write load the peer links carry every transaction two or three times, so the copies showed up
 * as half of a server's allocation (docs/performance.md, "Where the time goes").
 */
public final class FrameReader implements Handler<Buffer> {
  /** Where frames and a framing violation go. */
  public interface Sink {
    /** A whole frame body (possibly empty if the minimum length allows it). */
    void frame(byte[] body);

    /** The stream broke the framing rules; nothing more will be delivered. */
    void invalid(String problem);

    /**
     * Sees the stream's first four bytes before they are read as a length (a client may send a
     * four-letter word instead); false ends the parsing.
     */
    default boolean first(byte[] header) {
      return true;
    }

    /** Bytes of a frame arrived, but not all of it yet (a large frame is on its way). */
    default void partial() {}
  }

  private static final byte[] EMPTY = new byte[0];

  private final Sink sink;
  private final byte[] header = new byte[4];
  private final int minLength;
  private int headerFill;
  private boolean seenFirst;
  private int limit;
  /** The frame being gathered, its declared length and how much of it arrived; null between frames. */
  private byte[] body;
  private int length;
  private int bodyFill;
  private boolean failed;

  /**
   * @param minLength the smallest frame body accepted (0 or more)
   * @param limit the largest frame body accepted
   * @param sink where frames go
   */
  public FrameReader(int minLength, int limit, Sink sink) {
    this.minLength = minLength;
    this.limit = limit;
    this.sink = sink;
  }

  /** Sets the largest frame body accepted from now on (small until the handshake is done). */
  public void limit(int maxBytes) {
    this.limit = maxBytes;
  }

  @Override
  public void handle(Buffer chunk) {
    int n = chunk.length();
    int pos = 0;
    while (pos < n && !failed) {
      if (body == null) {
        int take = Math.min(header.length - headerFill, n - pos);
        chunk.getBytes(pos, pos + take, header, headerFill);
        headerFill += take;
        pos += take;
        if (headerFill < header.length) {
          return;
        }
        headerFill = 0;
        if (!seenFirst) {
          seenFirst = true;
          if (!sink.first(header)) {
            failed = true;
            return;
          }
        }
        if (!startFrame()) {
          return;
        }
        continue;
      }
      int take = Math.min(length - bodyFill, n - pos);
      if (bodyFill + take > body.length) {
        // Grow with what has arrived (doubling), never straight to the declared length.
        body = Arrays.copyOf(body, Math.min(length, Math.max(bodyFill + take, body.length * 2)));
      }
      chunk.getBytes(pos, pos + take, body, bodyFill);
      bodyFill += take;
      pos += take;
      if (bodyFill == length) {
        byte[] done = body;
        body = null;
        sink.frame(done);
      } else {
        sink.partial();
      }
    }
  }

  /** Reads the length just gathered; false once the stream is broken. */
  private boolean startFrame() {
    int declared = (header[0] & 0xff) << 24 | (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8
        | header[3] & 0xff;
    if (declared < minLength || declared > limit) {
      failed = true;
      sink.invalid("frame length " + declared + " outside " + minLength + ".." + limit);
      return false;
    }
    if (declared == 0) {
      sink.frame(EMPTY);
      return true;
    }
    length = declared;
    bodyFill = 0;
    body = EMPTY;
    return true;
  }
}

package io.roost.server.peer;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * Splits a peer socket's byte stream into frames: a 4-byte big-endian length, then that many
 * bytes. A length below zero or above the current limit is reported once and ends the parsing;
 * the parser never sizes anything by a declared length alone, it only grows a frame's array as
 * its bytes arrive.
 *
 * <p>Each byte is copied once, from the socket's chunk into the frame's array (a
 * {@code RecordParser} copied it twice more: into its own record buffer, then out of it). Under a
 * write load the peer links carry every transaction two or three times, so the copies showed up
 * as half of a server's allocation (docs/performance.md, "Where the time goes").
 */
final class FrameReader implements Handler<Buffer> {
  /** Where frames and a framing violation go. */
  interface Sink {
    /** A whole frame body (possibly empty). */
    void frame(byte[] body);

    /** The stream broke the framing rules; nothing more will be delivered. */
    void invalid(String problem);
  }

  private static final byte[] EMPTY = new byte[0];

  private final Sink sink;
  private final byte[] header = new byte[4];
  private int headerFill;
  private int limit;
  /** The frame being gathered, its declared length and how much of it arrived; null between frames. */
  private byte[] body;
  private int length;
  private int bodyFill;
  private boolean failed;

  FrameReader(int limit, Sink sink) {
    this.limit = limit;
    this.sink = sink;
  }

  /** Sets the largest frame body accepted from now on (small until the handshake is done). */
  void limit(int maxBytes) {
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
      }
    }
  }

  /** Reads the length just gathered; false once the stream is broken. */
  private boolean startFrame() {
    int declared = (header[0] & 0xff) << 24 | (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8
        | header[3] & 0xff;
    if (declared < 0 || declared > limit) {
      failed = true;
      sink.invalid("frame length " + declared + " outside 0.." + limit);
      return false;
    }
    if (declared == 0) {
      sink.frame(EMPTY);
      return true;
    }
    length = declared;
    bodyFill = 0;
    body = new byte[0];
    return true;
  }
}

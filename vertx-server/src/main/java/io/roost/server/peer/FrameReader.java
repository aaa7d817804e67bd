package io.roost.server.peer;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

/**
 * Splits a peer socket's byte stream into frames: a 4-byte big-endian length, then that many
 * bytes. A length below zero or above the current limit is reported once and ends the parsing;
 * the parser never sizes anything by a declared length, it only gathers bytes as they arrive.
 */
final class FrameReader implements Handler<Buffer> {
  /** Where frames and a framing violation go. */
  interface Sink {
    /** A whole frame body (possibly empty). */
    void frame(byte[] body);

    /** The stream broke the framing rules; nothing more will be delivered. */
    void invalid(String problem);
  }

  private final RecordParser parser = RecordParser.newFixed(4);
  private final Sink sink;
  private int limit;
  private boolean expectingLength = true;
  private boolean failed;

  FrameReader(int limit, Sink sink) {
    this.limit = limit;
    this.sink = sink;
    parser.handler(this::record);
  }

  /** Sets the largest frame body accepted from now on (small until the handshake is done). */
  void limit(int maxBytes) {
    this.limit = maxBytes;
  }

  @Override
  public void handle(Buffer chunk) {
    if (!failed) {
      parser.handle(chunk);
    }
  }

  private void record(Buffer record) {
    if (failed) {
      return;
    }
    if (expectingLength) {
      int length = record.getInt(0);
      if (length < 0 || length > limit) {
        failed = true;
        sink.invalid("frame length " + length + " outside 0.." + limit);
      } else if (length == 0) {
        // RecordParser cannot wait for zero bytes; an empty frame is complete already.
        sink.frame(new byte[0]);
      } else {
        expectingLength = false;
        parser.fixedSizeMode(length);
      }
      return;
    }
    expectingLength = true;
    parser.fixedSizeMode(4);
    sink.frame(record.getBytes());
  }
}

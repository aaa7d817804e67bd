package io.roost.client;

import io.roost.core.proto.JuteInput;
import io.roost.core.proto.Record;
import java.util.concurrent.CompletableFuture;

/**
 * One request on its way: what to send, how to read the answer, which watch to register when
 * it succeeds, and the future to complete. Lives on the client's context.
 *
 * @param <T> the decoded answer
 */
final class Request<T> {
  /** Reads a successful answer's body. */
  @FunctionalInterface
  interface Decoder<T> {
    T decode(JuteInput in);
  }

  /** What to register when the answer arrives, given the answer's error code. */
  @FunctionalInterface
  interface WatchRegistration {
    void answered(int err);
  }

  final int op;
  /** The path as the user gave it (relative to the namespace), for error messages. */
  final String path;
  final Record body;
  final Decoder<T> decoder;
  final WatchRegistration watch;
  final CompletableFuture<T> future = new CompletableFuture<>();
  int xid;
  long sentNanos;

  Request(int op, String path, Record body, Decoder<T> decoder, WatchRegistration watch) {
    this.op = op;
    this.path = path;
    this.body = body;
    this.decoder = decoder;
    this.watch = watch;
  }
}

package io.roost.core.server;

import io.roost.core.proto.Code;

/**
 * A request failed with a ZooKeeper error code. Thrown by the prepare and read steps and turned
 * into an error reply; carries no stack trace because it is ordinary control flow.
 */
public final class RequestError extends RuntimeException {
  private final Code code;

  /** A failure with the given code and a message for logs. */
  public RequestError(Code code, String message) {
    super(code + ": " + message, null, false, false);
    this.code = code;
  }

  /** The error code sent to the client. */
  public Code code() {
    return code;
  }
}

package io.roost.client;

import io.roost.core.proto.Code;

/**
 * A failed request: the server's error code (or the client's, for connection loss and
 * timeouts), the path it concerned and, for a multi, the index of the op that failed. Every
 * error code has its own subclass, so callers catch exactly what they can handle; {@link #of}
 * picks it.
 *
 * <p>Unchecked: the async API completes its stages with these, the blocking facade throws them.
 */
public class RoostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Code code;
  private final String path;
  private int opIndex = -1;

  /**
   * @param code the error code
   * @param path the path concerned, or null
   * @param message what happened
   */
  protected RoostException(Code code, String path, String message) {
    super(message);
    this.code = code;
    this.path = path;
  }

  /** The error code. */
  public Code code() {
    return code;
  }

  /** The path the failed request concerned, or null. */
  public String path() {
    return path;
  }

  /** For a failed multi, the index of the op that failed; else -1. */
  public int opIndex() {
    return opIndex;
  }

  RoostException atOp(int index) {
    this.opIndex = index;
    return this;
  }

  /**
   * True for failures after which the request's outcome is unknown or the request may simply be
   * sent again: the connection was lost, or the server timed out or throttled it.
   */
  public boolean isRetryable() {
    return code == Code.CONNECTION_LOSS || code == Code.OPERATION_TIMEOUT
        || code == Code.REQUEST_TIMEOUT || code == Code.THROTTLED_OP;
  }

  /**
   * The cause behind the wrappers a failed stage adds ({@link java.util.concurrent.CompletionException}),
   * for example the {@code RoostException} a request failed with.
   */
  public static Throwable unwrap(Throwable e) {
    while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** The exception for {@code code} about {@code path} (which may be null). */
  public static RoostException of(Code code, String path) {
    String message = code.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
        + " (" + code.code() + ")" + (path == null ? "" : " for " + path);
    return switch (code) {
      case CONNECTION_LOSS -> new ConnectionLossException(path, message);
      case SESSION_EXPIRED -> new SessionExpiredException(path, message);
      case NO_NODE -> new NoNodeException(path, message);
      case NODE_EXISTS -> new NodeExistsException(path, message);
      case BAD_VERSION -> new BadVersionException(path, message);
      case NOT_EMPTY -> new NotEmptyException(path, message);
      case NO_AUTH -> new NoAuthException(path, message);
      case NO_CHILDREN_FOR_EPHEMERALS -> new NoChildrenForEphemeralsException(path, message);
      case INVALID_ACL -> new InvalidAclException(path, message);
      case AUTH_FAILED -> new AuthFailedException(path, message);
      case BAD_ARGUMENTS -> new BadArgumentsException(path, message);
      case NO_WATCHER -> new NoWatcherException(path, message);
      case OPERATION_TIMEOUT -> new OperationTimeoutException(path, message);
      case REQUEST_TIMEOUT -> new RequestTimeoutException(path, message);
      case SESSION_MOVED -> new SessionMovedException(path, message);
      case NOT_READ_ONLY -> new NotReadOnlyException(path, message);
      case UNIMPLEMENTED -> new UnimplementedException(path, message);
      case MARSHALLING_ERROR -> new MarshallingErrorException(path, message);
      case SYSTEM_ERROR -> new SystemErrorException(path, message);
      case RUNTIME_INCONSISTENCY -> new RuntimeInconsistencyException(path, message);
      case DATA_INCONSISTENCY -> new DataInconsistencyException(path, message);
      case UNKNOWN_SESSION -> new UnknownSessionException(path, message);
      case NEW_CONFIG_NO_QUORUM -> new NewConfigNoQuorumException(path, message);
      case RECONFIG_IN_PROGRESS -> new ReconfigInProgressException(path, message);
      case API_ERROR -> new ApiErrorException(path, message);
      case INVALID_CALLBACK -> new InvalidCallbackException(path, message);
      case EPHEMERAL_ON_LOCAL_SESSION -> new EphemeralOnLocalSessionException(path, message);
      case RECONFIG_DISABLED -> new ReconfigDisabledException(path, message);
      case QUOTA_EXCEEDED -> new QuotaExceededException(path, message);
      case THROTTLED_OP -> new ThrottledOpException(path, message);
      case OK -> throw new IllegalArgumentException("OK is not an error");
    };
  }

  /** The connection broke before the answer came: the request may or may not have happened. */
  public static final class ConnectionLossException extends RoostException {
    private static final long serialVersionUID = 1L;

    ConnectionLossException(String path, String message) {
      super(Code.CONNECTION_LOSS, path, message);
    }
  }

  /** The session ended: its ephemerals are gone, and with them any lock or leadership. */
  public static final class SessionExpiredException extends RoostException {
    private static final long serialVersionUID = 1L;

    SessionExpiredException(String path, String message) {
      super(Code.SESSION_EXPIRED, path, message);
    }
  }

  /** The node (or, for a create, its parent) does not exist. */
  public static final class NoNodeException extends RoostException {
    private static final long serialVersionUID = 1L;

    NoNodeException(String path, String message) {
      super(Code.NO_NODE, path, message);
    }
  }

  /** A node already exists at the path. */
  public static final class NodeExistsException extends RoostException {
    private static final long serialVersionUID = 1L;

    NodeExistsException(String path, String message) {
      super(Code.NODE_EXISTS, path, message);
    }
  }

  /** The node's version is not the expected one (someone else changed it). */
  public static final class BadVersionException extends RoostException {
    private static final long serialVersionUID = 1L;

    BadVersionException(String path, String message) {
      super(Code.BAD_VERSION, path, message);
    }
  }

  /** The node has children, so it cannot be deleted. */
  public static final class NotEmptyException extends RoostException {
    private static final long serialVersionUID = 1L;

    NotEmptyException(String path, String message) {
      super(Code.NOT_EMPTY, path, message);
    }
  }

  /** The node's ACL does not allow this. */
  public static final class NoAuthException extends RoostException {
    private static final long serialVersionUID = 1L;

    NoAuthException(String path, String message) {
      super(Code.NO_AUTH, path, message);
    }
  }

  /** Ephemeral nodes cannot have children. */
  public static final class NoChildrenForEphemeralsException extends RoostException {
    private static final long serialVersionUID = 1L;

    NoChildrenForEphemeralsException(String path, String message) {
      super(Code.NO_CHILDREN_FOR_EPHEMERALS, path, message);
    }
  }

  /** The ACL is empty or malformed. */
  public static final class InvalidAclException extends RoostException {
    private static final long serialVersionUID = 1L;

    InvalidAclException(String path, String message) {
      super(Code.INVALID_ACL, path, message);
    }
  }

  /** The server refused the credentials. */
  public static final class AuthFailedException extends RoostException {
    private static final long serialVersionUID = 1L;

    AuthFailedException(String path, String message) {
      super(Code.AUTH_FAILED, path, message);
    }
  }

  /** The server refused the request's arguments. */
  public static final class BadArgumentsException extends RoostException {
    private static final long serialVersionUID = 1L;

    BadArgumentsException(String path, String message) {
      super(Code.BAD_ARGUMENTS, path, message);
    }
  }

  /** There was no such watch to remove. */
  public static final class NoWatcherException extends RoostException {
    private static final long serialVersionUID = 1L;

    NoWatcherException(String path, String message) {
      super(Code.NO_WATCHER, path, message);
    }
  }

  /** No answer within the client's request timeout: the outcome is unknown. */
  public static final class OperationTimeoutException extends RoostException {
    private static final long serialVersionUID = 1L;

    OperationTimeoutException(String path, String message) {
      super(Code.OPERATION_TIMEOUT, path, message);
    }
  }

  /** The server gave up on the request. */
  public static final class RequestTimeoutException extends RoostException {
    private static final long serialVersionUID = 1L;

    RequestTimeoutException(String path, String message) {
      super(Code.REQUEST_TIMEOUT, path, message);
    }
  }

  /** The session is now served by another server. */
  public static final class SessionMovedException extends RoostException {
    private static final long serialVersionUID = 1L;

    SessionMovedException(String path, String message) {
      super(Code.SESSION_MOVED, path, message);
    }
  }

  /** A write sent to a read-only server. */
  public static final class NotReadOnlyException extends RoostException {
    private static final long serialVersionUID = 1L;

    NotReadOnlyException(String path, String message) {
      super(Code.NOT_READ_ONLY, path, message);
    }
  }

  /** The server does not implement the request. */
  public static final class UnimplementedException extends RoostException {
    private static final long serialVersionUID = 1L;

    UnimplementedException(String path, String message) {
      super(Code.UNIMPLEMENTED, path, message);
    }
  }

  /** The request or its answer could not be encoded or decoded. */
  public static final class MarshallingErrorException extends RoostException {
    private static final long serialVersionUID = 1L;

    MarshallingErrorException(String path, String message) {
      super(Code.MARSHALLING_ERROR, path, message);
    }
  }

  /** The server failed. */
  public static final class SystemErrorException extends RoostException {
    private static final long serialVersionUID = 1L;

    SystemErrorException(String path, String message) {
      super(Code.SYSTEM_ERROR, path, message);
    }
  }

  /** A multi's op after the failing one. */
  public static final class RuntimeInconsistencyException extends RoostException {
    private static final long serialVersionUID = 1L;

    RuntimeInconsistencyException(String path, String message) {
      super(Code.RUNTIME_INCONSISTENCY, path, message);
    }
  }

  /** The server found its data inconsistent. */
  public static final class DataInconsistencyException extends RoostException {
    private static final long serialVersionUID = 1L;

    DataInconsistencyException(String path, String message) {
      super(Code.DATA_INCONSISTENCY, path, message);
    }
  }

  /** The session is not known to the server. */
  public static final class UnknownSessionException extends RoostException {
    private static final long serialVersionUID = 1L;

    UnknownSessionException(String path, String message) {
      super(Code.UNKNOWN_SESSION, path, message);
    }
  }

  /** A reconfiguration found no quorum. */
  public static final class NewConfigNoQuorumException extends RoostException {
    private static final long serialVersionUID = 1L;

    NewConfigNoQuorumException(String path, String message) {
      super(Code.NEW_CONFIG_NO_QUORUM, path, message);
    }
  }

  /** A reconfiguration is in progress. */
  public static final class ReconfigInProgressException extends RoostException {
    private static final long serialVersionUID = 1L;

    ReconfigInProgressException(String path, String message) {
      super(Code.RECONFIG_IN_PROGRESS, path, message);
    }
  }

  /** The API was misused. */
  public static final class ApiErrorException extends RoostException {
    private static final long serialVersionUID = 1L;

    ApiErrorException(String path, String message) {
      super(Code.API_ERROR, path, message);
    }
  }

  /** The callback is not valid. */
  public static final class InvalidCallbackException extends RoostException {
    private static final long serialVersionUID = 1L;

    InvalidCallbackException(String path, String message) {
      super(Code.INVALID_CALLBACK, path, message);
    }
  }

  /** Ephemeral nodes need a global session. */
  public static final class EphemeralOnLocalSessionException extends RoostException {
    private static final long serialVersionUID = 1L;

    EphemeralOnLocalSessionException(String path, String message) {
      super(Code.EPHEMERAL_ON_LOCAL_SESSION, path, message);
    }
  }

  /** Reconfiguration is turned off. */
  public static final class ReconfigDisabledException extends RoostException {
    private static final long serialVersionUID = 1L;

    ReconfigDisabledException(String path, String message) {
      super(Code.RECONFIG_DISABLED, path, message);
    }
  }

  /** A quota would be exceeded. */
  public static final class QuotaExceededException extends RoostException {
    private static final long serialVersionUID = 1L;

    QuotaExceededException(String path, String message) {
      super(Code.QUOTA_EXCEEDED, path, message);
    }
  }

  /** The server throttled the request; try again later. */
  public static final class ThrottledOpException extends RoostException {
    private static final long serialVersionUID = 1L;

    ThrottledOpException(String path, String message) {
      super(Code.THROTTLED_OP, path, message);
    }
  }
}

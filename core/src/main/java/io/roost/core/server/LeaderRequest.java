package io.roost.core.server;

import io.roost.core.proto.Id;
import java.util.List;

/**
 * What a follower sends its leader on behalf of its clients. The leader prepares writes against
 * its own view; a success comes back as the committed transaction (matched by session and cxid),
 * a failure as a {@link FollowerReply.Rejected}.
 */
public sealed interface LeaderRequest {

  /**
   * A client write (create*, delete, setData, setACL, multi) with the body as the client sent it.
   *
   * @param ids the identities the client authenticated as on the follower
   */
  record Write(long sessionId, int cxid, int op, byte[] body, List<Id> ids)
      implements LeaderRequest {
    /** Copies the list. */
    public Write {
      ids = List.copyOf(ids);
    }
  }

  /** A new session the follower accepted (id and password chosen there). */
  record CreateSession(long sessionId, int timeoutMs, byte[] password) implements LeaderRequest {}

  /** A client's closeSession. */
  record CloseSession(long sessionId, int cxid) implements LeaderRequest {}

  /** A client's sync: tell me how far you have proposed. */
  record Sync(long sessionId, int cxid) implements LeaderRequest {}

  /** These sessions have live connections on the follower: keep them alive. */
  record Touch(List<Long> sessionIds) implements LeaderRequest {
    /** Copies the list. */
    public Touch {
      sessionIds = List.copyOf(sessionIds);
    }
  }
}

package io.roost.core.server;

import io.roost.core.proto.Id;
import io.roost.core.proto.JuteInput;
import io.roost.core.proto.JuteOutput;
import io.roost.core.proto.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire form of {@link LeaderRequest} and {@link FollowerReply}, in jute encoding: a type byte, then
 * the fields in record order.
 *
 * <table>
 *   <caption>type bytes</caption>
 *   <tr><th>byte</th><th>message</th></tr>
 *   <tr><td>1</td><td>LeaderRequest.Write</td></tr>
 *   <tr><td>2</td><td>LeaderRequest.CreateSession</td></tr>
 *   <tr><td>3</td><td>LeaderRequest.CloseSession</td></tr>
 *   <tr><td>4</td><td>LeaderRequest.Sync</td></tr>
 *   <tr><td>5</td><td>LeaderRequest.Touch</td></tr>
 *   <tr><td>21</td><td>FollowerReply.Rejected</td></tr>
 *   <tr><td>22</td><td>FollowerReply.Synced</td></tr>
 * </table>
 */
public final class ForwardCodec {
  private static final int WRITE = 1;
  private static final int CREATE_SESSION = 2;
  private static final int CLOSE_SESSION = 3;
  private static final int SYNC = 4;
  private static final int TOUCH = 5;
  private static final int REJECTED = 21;
  private static final int SYNCED = 22;

  private ForwardCodec() {}

  /** Encodes a follower's request. */
  public static byte[] encode(LeaderRequest r) {
    JuteOutput out = new JuteOutput();
    if (r instanceof LeaderRequest.Write w) {
      out.writeInt(WRITE);
      out.writeLong(w.sessionId());
      out.writeInt(w.cxid());
      out.writeInt(w.op());
      out.writeBuffer(w.body());
      out.writeInt(w.ids().size());
      for (Id id : w.ids()) {
        out.writeString(id.scheme());
        out.writeString(id.id());
      }
    } else if (r instanceof LeaderRequest.CreateSession cs) {
      out.writeInt(CREATE_SESSION);
      out.writeLong(cs.sessionId());
      out.writeInt(cs.timeoutMs());
      out.writeBuffer(cs.password());
    } else if (r instanceof LeaderRequest.CloseSession cl) {
      out.writeInt(CLOSE_SESSION);
      out.writeLong(cl.sessionId());
      out.writeInt(cl.cxid());
    } else if (r instanceof LeaderRequest.Sync s) {
      out.writeInt(SYNC);
      out.writeLong(s.sessionId());
      out.writeInt(s.cxid());
    } else {
      LeaderRequest.Touch t = (LeaderRequest.Touch) r;
      out.writeInt(TOUCH);
      out.writeInt(t.sessionIds().size());
      for (long id : t.sessionIds()) {
        out.writeLong(id);
      }
    }
    return out.toByteArray();
  }

  /** Encodes a leader's reply. */
  public static byte[] encode(FollowerReply r) {
    JuteOutput out = new JuteOutput();
    if (r instanceof FollowerReply.Rejected rj) {
      out.writeInt(REJECTED);
      out.writeLong(rj.sessionId());
      out.writeInt(rj.cxid());
      out.writeInt(rj.err());
      out.writeInt(rj.failedIndex());
    } else {
      FollowerReply.Synced s = (FollowerReply.Synced) r;
      out.writeInt(SYNCED);
      out.writeLong(s.sessionId());
      out.writeInt(s.cxid());
      out.writeLong(s.zxid());
    }
    return out.toByteArray();
  }

  /**
   * Decodes a follower's request.
   *
   * @throws ProtocolException if the bytes are not a well-formed request
   */
  public static LeaderRequest decodeRequest(byte[] body) {
    JuteInput in = new JuteInput(body);
    int type = in.readInt();
    LeaderRequest r = switch (type) {
      case WRITE -> {
        long session = in.readLong();
        int cxid = in.readInt();
        int op = in.readInt();
        byte[] request = in.readBuffer();
        int n = count(in, 8);
        List<Id> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          ids.add(new Id(in.readString(), in.readString()));
        }
        yield new LeaderRequest.Write(session, cxid, op, request == null ? new byte[0] : request,
            ids);
      }
      case CREATE_SESSION -> new LeaderRequest.CreateSession(in.readLong(), in.readInt(),
          in.readBuffer());
      case CLOSE_SESSION -> new LeaderRequest.CloseSession(in.readLong(), in.readInt());
      case SYNC -> new LeaderRequest.Sync(in.readLong(), in.readInt());
      case TOUCH -> {
        int n = count(in, 8);
        List<Long> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          ids.add(in.readLong());
        }
        yield new LeaderRequest.Touch(ids);
      }
      default -> throw new ProtocolException("unknown forwarded request type " + type);
    };
    end(in);
    return r;
  }

  /**
   * Decodes a leader's reply.
   *
   * @throws ProtocolException if the bytes are not a well-formed reply
   */
  public static FollowerReply decodeReply(byte[] body) {
    JuteInput in = new JuteInput(body);
    int type = in.readInt();
    FollowerReply r = switch (type) {
      case REJECTED -> new FollowerReply.Rejected(in.readLong(), in.readInt(), in.readInt(),
          in.readInt());
      case SYNCED -> new FollowerReply.Synced(in.readLong(), in.readInt(), in.readLong());
      default -> throw new ProtocolException("unknown follower reply type " + type);
    };
    end(in);
    return r;
  }

  private static int count(JuteInput in, int minBytesEach) {
    int n = in.readInt();
    if (n < 0 || (long) n * minBytesEach > in.remaining()) {
      throw new ProtocolException("list of " + n + " entries does not fit in "
          + in.remaining() + " bytes");
    }
    return n;
  }

  private static void end(JuteInput in) {
    if (in.remaining() != 0) {
      throw new ProtocolException(in.remaining() + " bytes after the end of the message");
    }
  }
}

package io.roost.core.state;

import java.util.Arrays;

/**
 * A session as the replicated state knows it: its id, negotiated timeout and password.
 * Liveness (when it last talked) is not replicated; the leader's session tracker owns that.
 */
public record SessionInfo(long id, int timeoutMs, byte[] password) {
  /** Copies the password so the record stays immutable. */
  public SessionInfo {
    password = password.clone();
  }

  /** True when {@code candidate} is this session's password. */
  public boolean passwordMatches(byte[] candidate) {
    return candidate != null && java.security.MessageDigest.isEqual(password, candidate);
  }

  @Override
  public byte[] password() {
    return password.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionInfo s && id == s.id && timeoutMs == s.timeoutMs
        && Arrays.equals(password, s.password);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + timeoutMs;
  }

  @Override
  public String toString() {
    return "SessionInfo[0x" + Long.toHexString(id) + ", timeout=" + timeoutMs + "]";
  }
}

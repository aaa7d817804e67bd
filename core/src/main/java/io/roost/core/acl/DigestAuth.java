package io.roost.core.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The "digest" scheme: a client authenticates with {@code user:password}; its identity and the ids
 * in ACLs are {@code user:base64(sha1("user:password"))}.
 */
public final class DigestAuth {
  /** Scheme name. */
  public static final String SCHEME = "digest";

  private DigestAuth() {}

  /**
   * The digest id for a {@code user:password} string.
   *
   * @throws IllegalArgumentException if there is no ':' separating user and password
   */
  public static String digestId(String userColonPassword) {
    int colon = userColonPassword.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("digest credentials must be user:password");
    }
    String user = userColonPassword.substring(0, colon);
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1")
          .digest(userColonPassword.getBytes(StandardCharsets.UTF_8));
      return user + ":" + Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  /** True when an ACL id has the digest form {@code user:hash}. */
  public static boolean isValidId(String id) {
    if (id == null) {
      return false;
    }
    int colon = id.indexOf(':');
    return colon > 0 && colon < id.length() - 1 && id.indexOf(':', colon + 1) < 0;
  }

  /** The id with its hash hidden ({@code user:x}), shown to readers without ADMIN. */
  public static String redact(String id) {
    int colon = id.indexOf(':');
    return colon < 0 ? id : id.substring(0, colon) + ":x";
  }
}

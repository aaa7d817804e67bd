package io.roost.core.acl;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Id;
import io.roost.core.proto.Perms;
import java.util.ArrayList;
import java.util.List;

/**
 * Permission checks and ACL validation for the schemes Roost supports: world, auth, digest, ip.
 * A client's identities are its authenticated ids plus {@code ip:<its address>}.
 */
public final class Acls {
  /** world:anyone with every permission. */
  public static final Id ANYONE = new Id("world", "anyone");
  /** The scheme that stands for "the ids the creator authenticated with". */
  public static final String AUTH_SCHEME = "auth";
  /** Identity that passes every check. */
  public static final Id SUPER = new Id("super", "");

  private Acls() {}

  /** True when a client holding {@code ids} may do {@code perm} on a node with {@code acl}. */
  public static boolean allowed(List<ACL> acl, int perm, List<Id> ids) {
    for (Id id : ids) {
      if (id.scheme().equals(SUPER.scheme())) {
        return true;
      }
    }
    for (ACL entry : acl) {
      if ((entry.perms() & perm) == 0) {
        continue;
      }
      Id want = entry.id();
      if (want.scheme().equals("world") && want.id().equals("anyone")) {
        return true;
      }
      for (Id have : ids) {
        if (!have.scheme().equals(want.scheme())) {
          continue;
        }
        if (want.scheme().equals(IpMatcher.SCHEME)) {
          if (IpMatcher.matches(want.id(), have.id())) {
            return true;
          }
        } else if (want.id().equals(have.id())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Validates an ACL for create or setACL and expands the "auth" scheme into the creator's
   * authenticated ids.
   *
   * @return the ACL to store, or null when it is invalid (empty, unknown scheme, bad id, bad perms,
   *     or "auth" by a client with no authenticated id)
   */
  public static List<ACL> validateAndExpand(List<ACL> acl, List<Id> ids) {
    if (acl == null || acl.isEmpty()) {
      return null;
    }
    List<ACL> out = new ArrayList<>(acl.size());
    for (ACL entry : acl) {
      Id id = entry.id();
      if (id == null || id.scheme() == null || (entry.perms() & ~Perms.ALL) != 0) {
        return null;
      }
      switch (id.scheme()) {
        case "world" -> {
          if (!"anyone".equals(id.id())) {
            return null;
          }
          addOnce(out, entry);
        }
        case AUTH_SCHEME -> {
          boolean any = false;
          for (Id have : ids) {
            if (have.scheme().equals(DigestAuth.SCHEME)) {
              addOnce(out, new ACL(entry.perms(), have));
              any = true;
            }
          }
          if (!any) {
            return null;
          }
        }
        case DigestAuth.SCHEME -> {
          if (!DigestAuth.isValidId(id.id())) {
            return null;
          }
          addOnce(out, entry);
        }
        case IpMatcher.SCHEME -> {
          if (!IpMatcher.isValid(id.id())) {
            return null;
          }
          addOnce(out, entry);
        }
        default -> {
          return null;
        }
      }
    }
    return out;
  }

  private static void addOnce(List<ACL> out, ACL entry) {
    if (!out.contains(entry)) {
      out.add(entry);
    }
  }

  /** The ACL as a reader without ADMIN permission sees it: digest hashes hidden. */
  public static List<ACL> redacted(List<ACL> acl) {
    List<ACL> out = new ArrayList<>(acl.size());
    for (ACL entry : acl) {
      Id id = entry.id();
      out.add(id.scheme().equals(DigestAuth.SCHEME)
          ? new ACL(entry.perms(), new Id(id.scheme(), DigestAuth.redact(id.id())))
          : entry);
    }
    return out;
  }
}

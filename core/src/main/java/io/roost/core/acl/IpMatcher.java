package io.roost.core.acl;

/**
 * The "ip" scheme: an ACL id is an address or {@code address/bits}; a client matches when its
 * remote address falls inside. Parses literals only (no name lookups).
 */
public final class IpMatcher {
  /** Scheme name. */
  public static final String SCHEME = "ip";

  private IpMatcher() {}

  /** True when {@code aclId} is a valid address or address/bits. */
  public static boolean isValid(String aclId) {
    return parse(aclId) != null;
  }

  /** True when the client address {@code client} lies inside {@code aclId}. */
  public static boolean matches(String aclId, String client) {
    Range range = parse(aclId);
    byte[] addr = parseAddress(client);
    if (range == null || addr == null || addr.length != range.addr.length) {
      return false;
    }
    int bits = range.bits;
    for (int i = 0; i < addr.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((addr[i] & mask) != (range.addr[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  private record Range(byte[] addr, int bits) {}

  private static Range parse(String aclId) {
    if (aclId == null || aclId.isEmpty()) {
      return null;
    }
    int slash = aclId.indexOf('/');
    String host = slash < 0 ? aclId : aclId.substring(0, slash);
    byte[] addr = parseAddress(host);
    if (addr == null) {
      return null;
    }
    int bits = addr.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(aclId.substring(slash + 1));
      } catch (NumberFormatException e) {
        return null;
      }
      if (bits < 0 || bits > addr.length * 8) {
        return null;
      }
    }
    return new Range(addr, bits);
  }

  /** Parses an IPv4 dotted quad or an IPv6 literal; null if it is neither. */
  static byte[] parseAddress(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    if (text.indexOf(':') >= 0) {
      return parseIpv6(text);
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
        return null;
      }
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] parseIpv6(String text) {
    String t = text;
    int zone = t.indexOf('%');
    if (zone >= 0) {
      t = t.substring(0, zone);
    }
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    int dbl = t.indexOf("::");
    if (dbl != t.lastIndexOf("::")) {
      return null;
    }
    String[] head = dbl < 0 ? t.split(":", -1) : (dbl == 0 ? new String[0] : t.substring(0, dbl).split(":", -1));
    String[] tail = dbl < 0 ? new String[0]
        : (dbl + 2 == t.length() ? new String[0] : t.substring(dbl + 2).split(":", -1));
    if (dbl < 0 && head.length != 8 || head.length + tail.length > (dbl < 0 ? 8 : 7)) {
      return null;
    }
    byte[] out = new byte[16];
    if (!fillGroups(head, out, 0)) {
      return null;
    }
    return fillGroups(tail, out, 16 - 2 * tail.length) ? out : null;
  }

  private static boolean fillGroups(String[] groups, byte[] out, int offset) {
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (g.isEmpty() || g.length() > 4) {
        return false;
      }
      int v;
      try {
        v = Integer.parseInt(g, 16);
      } catch (NumberFormatException e) {
        return false;
      }
      out[offset + 2 * i] = (byte) (v >>> 8);
      out[offset + 2 * i + 1] = (byte) v;
    }
    return true;
  }
}

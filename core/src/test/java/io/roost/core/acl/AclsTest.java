package io.roost.core.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Id;
import io.roost.core.proto.Perms;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclsTest {
  private static final Id IP_LOCAL = new Id("ip", "127.0.0.1");

  @Test
  void ipRangesMatchByPrefix() {
    assertTrue(IpMatcher.matches("127.0.0.0/8", "127.1.2.3"));
    assertFalse(IpMatcher.matches("10.0.0.0/8", "127.0.0.1"));
    assertTrue(IpMatcher.matches("192.168.1.7", "192.168.1.7"));
    assertFalse(IpMatcher.matches("192.168.1.7", "192.168.1.8"));
    assertTrue(IpMatcher.matches("0.0.0.0/0", "8.8.8.8"));
    assertTrue(IpMatcher.matches("::1", "0:0:0:0:0:0:0:1"));
    assertFalse(IpMatcher.matches("::1", "127.0.0.1"));
    assertFalse(IpMatcher.isValid("300.0.0.1"));
    assertFalse(IpMatcher.isValid("1.2.3.4/33"));
    assertFalse(IpMatcher.isValid("example.com"));
  }

  @Test
  void permissionsAreCheckedBitByBit() {
    List<ACL> readOnly = List.of(new ACL(Perms.READ, Acls.ANYONE));
    assertTrue(Acls.allowed(readOnly, Perms.READ, List.of(IP_LOCAL)));
    assertFalse(Acls.allowed(readOnly, Perms.WRITE, List.of(IP_LOCAL)));
    Id alice = new Id("digest", DigestAuth.digestId("alice:pw"));
    List<ACL> alicesOnly = List.of(new ACL(Perms.ALL, alice));
    assertFalse(Acls.allowed(alicesOnly, Perms.READ, List.of(IP_LOCAL)));
    assertTrue(Acls.allowed(alicesOnly, Perms.DELETE, List.of(IP_LOCAL, alice)));
  }

  @Test
  void authSchemeExpandsToTheCreatorsDigestIds() {
    Id alice = new Id("digest", DigestAuth.digestId("alice:pw"));
    List<ACL> creator = List.of(new ACL(Perms.ALL, new Id("auth", "")));
    assertEquals(List.of(new ACL(Perms.ALL, alice)),
        Acls.validateAndExpand(creator, List.of(IP_LOCAL, alice)));
    assertNull(Acls.validateAndExpand(creator, List.of(IP_LOCAL)), "nobody to expand to");
  }

  @Test
  void invalidAclsAreRejected() {
    assertNull(Acls.validateAndExpand(List.of(), List.of()));
    assertNull(Acls.validateAndExpand(List.of(new ACL(Perms.ALL, new Id("digest", "nocolon"))),
        List.of()));
    assertNull(Acls.validateAndExpand(List.of(new ACL(Perms.ALL, new Id("world", "me"))),
        List.of()));
    assertNull(Acls.validateAndExpand(List.of(new ACL(64, Acls.ANYONE)), List.of()));
    assertNull(Acls.validateAndExpand(List.of(new ACL(Perms.ALL, new Id("x509", "cn"))),
        List.of()));
  }

  @Test
  void digestIdsAreRedactedForNonAdmins() {
    List<ACL> acl = List.of(new ACL(Perms.ALL, new Id("digest", "bob:abc=")), new ACL(1, IP_LOCAL));
    assertEquals(List.of(new ACL(Perms.ALL, new Id("digest", "bob:x")), new ACL(1, IP_LOCAL)),
        Acls.redacted(acl));
  }
}

package io.roost.recipes.discovery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.client.RoostClient;
import io.roost.recipes.testkit.RoostFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Service discovery against a real server: live instances only. */
class ServiceDiscoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension final RoostFixture roost = RoostFixture.perTest();

  private ServiceRegistration registered(RoostClient c, ServiceInstance i) throws Exception {
    return roost.closeLater(new ServiceDiscovery(c).register(i).toCompletableFuture()
        .get(10, TimeUnit.SECONDS));
  }

  @Test
  void listsLiveInstancesOnlyAndDropsOneWhoseClientDies() throws Exception {
    RoostClient doomed = roost.client(Duration.ofSeconds(2));
    RoostClient other = roost.client();
    ServiceInstance a1 = ServiceInstance.of("api", "a1", "10.0.0.1", 8080)
        .withMetadata(Map.of("zone", "eu-1"));
    ServiceInstance b1 = ServiceInstance.of("api", "b1", "10.0.0.2", 8080);
    registered(doomed, a1);
    ServiceRegistration b1Reg = registered(other, b1);
    registered(other, ServiceInstance.of("web", "w1", "10.0.0.3", 443));
    RoostClient observer = roost.client();
    // Something under the service that is not an instance is skipped, not fatal.
    observer.blocking().create("/services/api/junk", utf8("not an instance"));
    ServiceDiscovery discovery = new ServiceDiscovery(observer);
    assertEquals(List.of(a1, b1), instances(discovery, "api"));
    assertEquals(List.of("api", "web"), discovery.serviceNames().toCompletableFuture().get());
    ServiceCache cache = roost.closeLater(discovery.serviceCache("api"));
    List<ServiceEvent> events = new CopyOnWriteArrayList<>();
    cache.addListener(events::add);
    cache.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(a1, b1), cache.instances());

    ServiceInstance b1Moved = ServiceInstance.of("api", "b1", "10.0.0.9", 9090);
    b1Reg.update(b1Moved).toCompletableFuture().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> b1Moved.equals(cache.instance("b1")));

    // The owner of a1 dies without closing its session: a1 goes when the session expires.
    doomed.vertx().close();
    await().atMost(WAIT).until(() -> cache.instances().equals(List.of(b1Moved)));
    assertEquals(List.of(b1Moved), instances(discovery, "api"));

    b1Reg.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> cache.instances().isEmpty());
    assertEquals(List.of(), instances(discovery, "api"));
    assertEquals(List.of("ADDED a1", "ADDED b1", "UPDATED b1", "REMOVED a1", "REMOVED b1"),
        events.stream().map(e -> e.type() + " " + e.instance().id()).toList());
  }

  @Test
  void theEncodingIsDeterministicAndRoundTrips() {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("z", "x=y\nz\r");
    meta.put("a", "back\\slash");
    meta.put("k=eq", "");
    Map<String, String> reversed = new LinkedHashMap<>();
    List.of("k=eq", "a", "z").forEach(k -> reversed.put(k, meta.get(k)));
    ServiceInstance i = ServiceInstance.of("svc", "i-1", "host.example", 1).withMetadata(meta);
    byte[] bytes = i.encode();
    assertArrayEquals(bytes, i.withMetadata(reversed).encode());
    assertEquals("roost-service 1\naddress=host.example\nport=1\nmeta.a=back\\\\slash\n"
        + "meta.k\\=eq=\nmeta.z=x\\=y\\nz\\r\n", new String(bytes, StandardCharsets.UTF_8));
    assertEquals(i, ServiceInstance.decode("svc", "i-1", bytes));
    assertThrows(IllegalArgumentException.class,
        () -> ServiceInstance.decode("svc", "i-1", utf8("{\"json\": true}")));
  }

  @Test
  void badInstancesAreRefusedNamingTheField() throws Exception {
    assertMessage("port", () -> ServiceInstance.of("s", "i", "h", 0));
    assertMessage("name", () -> ServiceInstance.of("a/b", "i", "h", 1));
    assertMessage("id", () -> ServiceInstance.of("s", "", "h", 1));
    assertMessage("address", () -> ServiceInstance.of("s", "i", " ", 1));
    assertMessage("metadata", () -> ServiceInstance.of("s", "i", "h", 1)
        .withMetadata(Map.of("", "v")));
    ServiceRegistration r = registered(roost.client(), ServiceInstance.of("s", "i", "h", 1));
    assertMessage("name and id", () -> r.update(ServiceInstance.of("s", "other", "h", 1)));
  }

  private static void assertMessage(String expected, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static List<ServiceInstance> instances(ServiceDiscovery d, String name)
      throws Exception {
    return d.instances(name).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

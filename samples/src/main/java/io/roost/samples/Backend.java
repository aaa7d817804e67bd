package io.roost.samples;

import io.roost.client.RoostClient;
import io.roost.recipes.group.GroupMember;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * An HTTP backend for the load-balancer sample: answers every request with its id, and joins the
 * group {@value LoadBalancer#GROUP} with its address as the member payload. When it dies, its
 * session ends and it leaves the group.
 */
final class Backend {
  private Backend() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args, 0);
    String id = a.get("id", "backend-" + ProcessHandle.current().pid());
    int port = a.getInt("port", 9001);
    RoostClient client = RoostClient.builder().connectString(a.get("connect", "127.0.0.1:2181"))
        .sessionTimeout(Duration.ofMillis(a.getInt("session-timeout-ms", 4_000))).build();
    client.start().toCompletableFuture().join();
    HttpServer http = client.vertx().createHttpServer()
        .requestHandler(req -> req.response().end("backend " + id + "\n"));
    http.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    GroupMember member = new GroupMember(client, LoadBalancer.GROUP, id,
        ("127.0.0.1:" + http.actualPort()).getBytes(StandardCharsets.UTF_8));
    member.start().toCompletableFuture().join();
    JobScheduler.log(id, "serving on 127.0.0.1:" + http.actualPort() + " and joined "
        + LoadBalancer.GROUP);
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      member.close();
      client.close();
      forever.countDown();
    }));
    forever.await();
  }
}

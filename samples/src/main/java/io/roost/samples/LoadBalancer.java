package io.roost.samples;

import io.roost.client.RoostClient;
import io.roost.recipes.group.Group;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP load balancer: it reads the live members of the group {@value #GROUP} (each
 * payload a backend's {@code host:port}) and sends each request to the next one in turn. A
 * backend that dies leaves the group when its session ends, and from then on gets no requests.
 * A request that fails on a backend is tried once on the next one.
 */
final class LoadBalancer {
  static final String GROUP = "/lb/backends";

  private LoadBalancer() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args, 0);
    int port = a.getInt("port", 9000);
    RoostClient client = RoostClient.builder().connectString(a.get("connect", "127.0.0.1:2181"))
        .build();
    client.start().toCompletableFuture().join();
    Group group = new Group(client, GROUP);
    group.addListener(event -> JobScheduler.log("lb", "member " + event.memberId() + " "
        + event.type()));
    group.start().toCompletableFuture().join();
    HttpClient http = client.vertx().createHttpClient();
    AtomicLong next = new AtomicLong();
    HttpServer server = client.vertx().createHttpServer()
        .requestHandler(req -> route(req, group, http, next));
    server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    JobScheduler.log("lb", "listening on 127.0.0.1:" + server.actualPort() + ", members "
        + group.members().keySet());
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      group.close();
      client.close();
      forever.countDown();
    }));
    forever.await();
  }

  private static void route(HttpServerRequest req, Group group, HttpClient http,
      AtomicLong next) {
    List<String> live = new ArrayList<>();
    group.members().values().forEach(p -> live.add(new String(p, StandardCharsets.UTF_8)));
    if (live.isEmpty()) {
      req.response().setStatusCode(503).end("no live backend\n");
      return;
    }
    long n = next.getAndIncrement();
    String uri = req.uri();
    forward(http, live.get((int) (n % live.size())), uri)
        .recover(e -> live.size() > 1
            ? forward(http, live.get((int) ((n + 1) % live.size())), uri)
            : Future.failedFuture(e))
        .onSuccess(body -> req.response().end(body))
        .onFailure(e -> req.response().setStatusCode(502).end("backend failed: "
            + e.getMessage() + "\n"));
  }

  private static Future<Buffer> forward(HttpClient http, String hostPort, String uri) {
    int colon = hostPort.lastIndexOf(':');
    String host = hostPort.substring(0, colon);
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    return http.request(HttpMethod.GET, port, host, uri)
        .compose(r -> r.send().compose(resp -> resp.body()));
  }
}

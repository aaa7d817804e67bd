package io.roost.server.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/**
 * The admin HTTP port: {@code /metrics} in Prometheus text format and {@code /health} (200 while
 * the server serves clients, 503 otherwise). Created on the core's context so scrapes read the
 * core on its own thread.
 */
public final class AdminHttpServer {
  private final Vertx vertx;
  private final ServerMetrics metrics;
  private final BooleanSupplier healthy;
  private HttpServer server;

  /** An admin server over these metrics and this health check. */
  public AdminHttpServer(Vertx vertx, ServerMetrics metrics, BooleanSupplier healthy) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.healthy = healthy;
  }

  /** Binds the port; the future holds the bound port. */
  public Future<Integer> listen(String host, int port) {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
    server.requestHandler(this::handle);
    return server.listen().map(HttpServer::actualPort);
  }

  private void handle(HttpServerRequest req) {
    switch (req.path()) {
      case "/metrics" -> req.response()
          .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
          .end(metrics.scrape());
      case "/health" -> {
        boolean ok = healthy.getAsBoolean();
        req.response().setStatusCode(ok ? 200 : 503)
            .putHeader("Content-Type", "application/json")
            .end(ok ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
      }
      default -> req.response().setStatusCode(404).end("not found: " + req.path() + "\n");
    }
  }

  /** Closes the port. */
  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}

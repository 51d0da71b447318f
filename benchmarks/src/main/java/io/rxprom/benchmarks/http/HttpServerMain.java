package io.rxprom.benchmarks.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.rxprom.core.MetricRegistry;
import io.rxprom.vertx.MetricsHandler;
import io.rxprom.vertx.ScrapeHandler;
import java.io.IOException;
import java.util.EnumSet;

/**
 * The server for {@code benchmarks/http/run-wrk.sh}: one Vert.x HTTP server on 127.0.0.1 whose
 * route {@code GET /hi} answers {@code hi}, instrumented one of three ways.
 *
 * <ul>
 *   <li>{@code bare}: no metrics.
 *   <li>{@code micrometer}: vertx-micrometer-metrics with the Prometheus backend and the route,
 *       method and code labels on (the setup ANCHORS.md measured).
 *   <li>{@code rxprom}: rxprom's {@link MetricsHandler} mounted first on the router, with its
 *       defaults (a histogram with the default buckets by route, method and status), and its
 *       {@link ScrapeHandler} on {@code /metrics}.
 * </ul>
 *
 * <p>Every mode also serves {@code GET /metrics} (the metrics it recorded, text 0.0.4; empty for
 * {@code bare}) so the script can check the instrumentation really ran. Usage: {@code
 * HttpServerMain MODE PORT}; prints {@code listening MODE PORT} once bound and runs until the
 * process is stopped.
 */
public final class HttpServerMain {

  private HttpServerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: HttpServerMain bare|micrometer|rxprom PORT");
      System.exit(2);
    }
    String mode = args[0];
    int port = Integer.parseInt(args[1]);
    Vertx vertx;
    Router router;
    switch (mode) {
      case "bare" -> {
        vertx = Vertx.vertx();
        router = Router.router(vertx);
        router.get("/metrics").handler(ctx -> ctx.response().end(""));
      }
      case "micrometer" -> {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerMetricsOptions options = new MicrometerMetricsOptions()
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
            .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE))
            .setEnabled(true);
        vertx = Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(options))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
        router = Router.router(vertx);
        router.get("/metrics").handler(ctx -> {
          try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            registry.scrape(out, "text/plain; version=0.0.4; charset=utf-8");
            ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(io.vertx.core.buffer.Buffer.buffer(out.toByteArray()));
          } catch (IOException e) {
            ctx.fail(e);
          }
        });
      }
      case "rxprom" -> {
        MetricRegistry registry = new MetricRegistry();
        vertx = Vertx.vertx();
        router = Router.router(vertx);
        router.route().handler(MetricsHandler.create(registry));
        router.get("/metrics").handler(ScrapeHandler.create(registry));
      }
      default -> throw new IllegalArgumentException(
          "mode '" + mode + "' is not one of bare, micrometer, rxprom");
    }
    router.get("/hi").handler(ctx -> ctx.response().end("hi"));
    HttpServer server = vertx.createHttpServer().requestHandler(router)
        .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    System.out.println("listening " + mode + " " + server.actualPort());
  }
}

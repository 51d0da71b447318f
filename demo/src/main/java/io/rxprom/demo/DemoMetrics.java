package io.rxprom.demo;

import io.rxprom.core.MetricRegistry;
import io.rxprom.core.collectors.StandardCollectors;
import io.rxprom.vertx.VertxCollectors;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/** Interim: instrumentation arrives with reactor-ops and vertx-route. */
final class DemoMetrics {

  private final MetricRegistry registry;
  private HttpServer server;

  private DemoMetrics(MetricRegistry registry) {
    this.registry = registry;
  }

  static DemoMetrics register(Vertx vertx, MetricRegistry registry) {
    StandardCollectors.register(registry);
    VertxCollectors.register(vertx, registry);
    return new DemoMetrics(registry);
  }

  MetricRegistry registry() {
    return registry;
  }

  AppVerticle.Instrumentation instrumentation() {
    return new AppVerticle.Instrumentation(RoutingContext::next, path -> Function.identity());
  }

  void startServer(Vertx vertx, DemoOptions options) {
    Router router = Router.router(vertx);
    router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(LiveView.html()));
    server =
        Demo.await(
            vertx.createHttpServer().requestHandler(router).listen(options.metricsPort(), options.host()),
            "--metrics-port",
            options.host(),
            options.metricsPort());
  }

  int serverPort() {
    return server.actualPort();
  }
}

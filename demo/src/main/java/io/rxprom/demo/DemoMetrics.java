package io.rxprom.demo;

import io.rxprom.core.Counter;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.Summary;
import io.rxprom.core.collectors.StandardCollectors;
import io.rxprom.reactor.ReactorMetrics;
import io.rxprom.vertx.MetricsHandler;
import io.rxprom.vertx.MetricsVerticle;
import io.rxprom.vertx.VertxCollectors;
import io.vertx.core.Vertx;

/**
 * Everything the demo measures, in its own registry: the seed's two metrics fed by the handlers'
 * timing operator, the route handler's HTTP metrics, the process, JVM and event-loop collectors;
 * and the metrics server that exposes them with the live view as its landing page.
 *
 * <p>Built and started by {@link Demo#start} on one thread; afterwards only read.
 */
final class DemoMetrics {

  /** The seed's latency summary. */
  static final String LATENCY = "my_router_request_latency_seconds";

  /** The seed's exceptions counter. */
  static final String EXCEPTIONS = "my_router_request_exceptions_total";

  private final MetricRegistry registry;
  private final ReactorMetrics handlers;
  private final MetricsHandler routeHandler;
  private MetricsVerticle server;

  private DemoMetrics(MetricRegistry registry, ReactorMetrics handlers, MetricsHandler routeHandler) {
    this.registry = registry;
    this.handlers = handlers;
    this.routeHandler = routeHandler;
  }

  /**
   * Registers the demo's metrics with {@code registry}, the event-loop checks on {@code vertx}.
   * The seed's two series per path exist, at zero, before the first request.
   */
  static DemoMetrics register(Vertx vertx, MetricRegistry registry) {
    ReactorMetrics handlers =
        ReactorMetrics.builder(registry)
            .latency(
                Summary.builder(LATENCY)
                    .help("Latency of request router handlers")
                    .labelNames("path"))
            .errors(
                Counter.builder(EXCEPTIONS)
                    .help("Exceptions thrown in request router handlers")
                    .labelNames("path"))
            .build()
            .init(SeedHandlers.FOO, SeedHandlers.BAR);
    MetricsHandler routeHandler = MetricsHandler.create(registry);
    StandardCollectors.register(registry);
    VertxCollectors.register(vertx, registry);
    return new DemoMetrics(registry, handlers, routeHandler);
  }

  MetricRegistry registry() {
    return registry;
  }

  /** The route handler and the per-path timing for the app's router. */
  AppVerticle.Instrumentation instrumentation() {
    return new AppVerticle.Instrumentation(routeHandler, handlers::timed);
  }

  /**
   * Deploys the metrics server ({@code /metrics}, {@code /-/healthy}, the live view at {@code /})
   * on {@code --host} and {@code --metrics-port}, and waits until it listens.
   *
   * @throws Demo.StartupException if it cannot listen
   */
  void startServer(Vertx vertx, DemoOptions options) {
    MetricsVerticle verticle =
        MetricsVerticle.builder(registry)
            .host(options.host())
            .port(options.metricsPort())
            .landingPage(LiveView.html())
            .build();
    Demo.await(vertx.deployVerticle(verticle), "--metrics-port", options.host(), options.metricsPort());
    server = verticle;
  }

  /** The metrics server's port; the chosen one when started with port 0. */
  int serverPort() {
    return server.actualPort();
  }
}

package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.Counter;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.Summary;
import io.rxprom.core.collectors.StandardCollectors;
import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.SummaryDataPoint;
import io.rxprom.reactor.ReactorMetrics;
import io.rxprom.testing.Carbon;
import io.rxprom.testing.Pushgateway;
import io.rxprom.vertx.GraphiteBridge;
import io.rxprom.vertx.GraphiteOptions;
import io.rxprom.vertx.MetricsHandler;
import io.rxprom.vertx.MetricsVerticle;
import io.rxprom.vertx.PushgatewayClient;
import io.rxprom.vertx.PushgatewayOptions;
import io.rxprom.vertx.ScrapeHandler;
import io.rxprom.vertx.VertxCollectors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The code of the root README's samples, compiled and run. {@link ReadmeTest} checks that each
 * {@code ```java} block of the README appears here (modulo whitespace): change both together.
 */
class ReadmeSamplesTest {

  private boolean fooFails;

  private void handleFoo() {
    if (fooFails) {
      throw new IllegalStateException("foo failed");
    }
  }

  @Test
  void metricsLabelsAndInitialisation() throws Exception {
    // ---- README: Metrics, labels, initialisation
    MetricRegistry registry = new MetricRegistry();
    Summary latency = Summary.builder("my_router_request_latency_seconds")
        .help("Latency of request router handlers").labelNames("path").register(registry);
    Counter exceptions = Counter.builder("my_router_request_exceptions_total")
        .help("Exceptions thrown in request router handlers").labelNames("path").register(registry);

    // Series exist, at zero, before the first request: as the seed's labels(path) calls.
    for (String path : List.of("/foo", "/bar")) {
      latency.labels(path);
      exceptions.labels(path);
    }

    // Plain Java code: time a block, count what it throws (and rethrow it).
    Summary.Child fooLatency = latency.labels("/foo");   // look a child up once, keep it
    Counter.Child fooExceptions = exceptions.labels("/foo");
    fooLatency.time(() -> fooExceptions.countExceptions(() -> handleFoo()));
    // ---- end

    fooFails = true;
    assertThatThrownBy(
            () -> fooLatency.time(() -> fooExceptions.countExceptions(() -> handleFoo())))
        .hasMessage("foo failed");
    Map<String, Long> counts = summaryCounts(registry, "my_router_request_latency_seconds");
    assertThat(counts).isEqualTo(Map.of("/foo", 2L, "/bar", 0L));
    assertThat(exceptions.labels("/foo").get()).isEqualTo(1.0);
    assertThat(exceptions.labels("/bar").get()).isZero();
  }

  private static Mono<String> fooHandler() {
    return Mono.just("foo");
  }

  private static Flux<String> barHandler() {
    return Flux.just("b", "a", "r").concatWith(Flux.error(new IllegalStateException("bar failed")));
  }

  @Test
  void reactorMetricsTimed() {
    MetricRegistry registry = new MetricRegistry();
    // ---- README: Reactor
    ReactorMetrics metrics = ReactorMetrics.builder(registry)
        .latency(Summary.builder("my_router_request_latency_seconds")
            .help("Latency of request router handlers").labelNames("path"))
        .errors(Counter.builder("my_router_request_exceptions_total")
            .help("Exceptions thrown in request router handlers").labelNames("path"))
        .build()
        .init("/foo", "/bar");   // series before the first request

    Mono<String> foo = fooHandler().transform(metrics.timed("/foo"));   // still a Mono
    Flux<String> bar = barHandler().transform(metrics.timed("/bar"));   // still a Flux
    // ---- end

    assertThat(summaryCounts(registry, "my_router_request_latency_seconds"))
        .isEqualTo(Map.of("/foo", 0L, "/bar", 0L));
    StepVerifier.create(foo).expectNext("foo").verifyComplete();
    StepVerifier.create(bar).expectNext("b", "a", "r").verifyErrorMessage("bar failed");
    assertThat(summaryCounts(registry, "my_router_request_latency_seconds"))
        .isEqualTo(Map.of("/foo", 1L, "/bar", 1L));
    Map<String, Double> errors =
        registry.scrape("my_router_request_exceptions_total"::startsWith).families().get(0).dataPoints().stream()
            .collect(Collectors.toMap(p -> p.labels().get("path"), p -> ((CounterDataPoint) p).value()));
    assertThat(errors).isEqualTo(Map.of("/foo", 0.0, "/bar", 1.0));
  }

  @Test
  void standardCollectors() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      MetricRegistry registry = new MetricRegistry();
      // ---- README: Standard collectors
      StandardCollectors.register(registry);       // process_* and jvm_*, as the official clients name them
      VertxCollectors.register(vertx, registry);   // vertx_eventloop_delay_seconds, _pending_tasks per loop
      // ---- end
      assertThat(registry.scrape().families().stream().map(MetricFamilySnapshot::name))
          .contains("process_resident_memory_bytes", "jvm_threads_current", "vertx_eventloop_delay_seconds");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void routeHandlerMetricsVerticleAndScrapeHandler() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      MetricRegistry registry = new MetricRegistry();
      int metricsPort = 0;
      // ---- README: the route handler
      Router router = Router.router(vertx);
      router.route().handler(MetricsHandler.create(registry));   // first: times every request
      router.get("/foo").handler(ctx -> ctx.end("foo"));         // labelled route="/foo"
      router.get("/users/:id").handler(ctx -> ctx.end("user"));  // route="/users/:id", never "/users/42"
      // ---- README: the metrics verticle
      MetricsVerticle metricsServer = MetricsVerticle.builder(registry).host("127.0.0.1").port(metricsPort).build();
      vertx.deployVerticle(metricsServer);   // metricsPort = 8000 in the seed
      // ---- README: your own router
      router.route("/metrics").handler(ScrapeHandler.create(registry));
      // ---- end

      HttpServer app = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
      String base = "http://127.0.0.1:" + app.actualPort();
      assertThat(ExpositionText.getAny(base + "/users/42")).isEqualTo("200 user");
      assertThat(ExpositionText.getAny(base + "/foo")).isEqualTo("200 foo");
      String own = awaitSample(base + "/metrics", "http_server_request_duration_seconds_count", "route", "/users/:id");
      assertThat(own).doesNotContain("/users/42");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (metricsServer.actualPort() < 0 && System.nanoTime() - deadline < 0) {
        Thread.sleep(20);
      }
      String served = ExpositionText.get("http://127.0.0.1:" + metricsServer.actualPort() + "/metrics");
      assertThat(ExpositionText.value(served, "http_server_request_duration_seconds_count", "route", "/foo"))
          .isEqualTo(1.0);
      assertThat(ExpositionText.getAny("http://127.0.0.1:" + metricsServer.actualPort() + "/-/healthy"))
          .isEqualTo("200 OK\n");
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void pushgatewayAndGraphite() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Pushgateway gateway = Pushgateway.start();
        Carbon carbon = Carbon.start()) {
      MetricRegistry registry = new MetricRegistry();
      Counter.builder("jobs_done_total").help("Jobs done").register(registry).inc(3);
      String pushgatewayUrl = gateway.baseUrl();
      int carbonPort = carbon.linePort();
      // ---- README: Pushing
      PushgatewayClient pushgateway = PushgatewayClient.create(vertx, PushgatewayOptions.builder(pushgatewayUrl).build());
      pushgateway.push(registry, "batch-job", Map.of("instance", "worker-1"));   // PUT; a Future<Void>

      GraphiteBridge graphite = GraphiteBridge.create(vertx, registry,
          GraphiteOptions.builder("127.0.0.1", carbonPort).prefix("myapp").build()).start();   // every 60 s
      // ---- end

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String pushed = gateway.metricsText();
      while (!pushed.contains("jobs_done_total{instance=\"worker-1\",job=\"batch-job\"} 3")
          && System.nanoTime() - deadline < 0) {
        Thread.sleep(100);
        pushed = gateway.metricsText();
      }
      assertThat(pushed).contains("jobs_done_total{instance=\"worker-1\",job=\"batch-job\"} 3");
      carbon.awaitFetch(
          "myapp.jobs_done_total",
          System.currentTimeMillis() / 1000 - 120,
          points -> points.stream().anyMatch(p -> p.value() != null && p.value() == 3.0),
          Duration.ofSeconds(45));
      await(graphite.stop());
      await(pushgateway.close());
    } finally {
      await(vertx.close());
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Reads {@code url} until it has the sample {@code name{label="value"}}; returns the body. */
  static String awaitSample(String url, String name, String label, String value) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String body = ExpositionText.get(url);
    while (Double.isNaN(ExpositionText.value(body, name, label, value)) && System.nanoTime() - deadline < 0) {
      Thread.sleep(50);
      body = ExpositionText.get(url);
    }
    assertThat(ExpositionText.value(body, name, label, value)).as(name + " " + label + "=" + value).isPositive();
    return body;
  }

  /** The {@code _count} of each series of a summary, by its {@code path} label, from a scrape. */
  static Map<String, Long> summaryCounts(MetricRegistry registry, String family) {
    MetricFamilySnapshot f =
        registry.scrape(family::equals).families().stream().findFirst().orElseThrow();
    return f.dataPoints().stream()
        .collect(
            Collectors.toMap(
                (DataPointSnapshot p) -> p.labels().get("path"), p -> ((SummaryDataPoint) p).count()));
  }
}

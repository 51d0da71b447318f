package io.rxprom.vertx;

import static io.rxprom.vertx.Samples.await;
import static io.rxprom.vertx.Samples.awaitCondition;
import static io.rxprom.vertx.Samples.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.Counter;
import io.rxprom.core.Gauge;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.Summary;
import io.rxprom.core.exposition.ExpositionFormat;
import io.rxprom.testing.Json;
import io.rxprom.testing.PrometheusServer;
import io.rxprom.testing.PrometheusServer.VectorSample;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's 2.42) scrapes a {@link MetricsVerticle} over HTTP, another
 * over HTTPS with basic auth, and a {@link ScrapeHandler} on an application's router; PromQL then
 * returns exactly the values the test produced. Prometheus 2.42 asks for OpenMetrics first, so
 * this runs rxprom's OpenMetrics output through Prometheus' own parser.
 */
@ExtendWith(VertxExtension.class)
class PrometheusScrapeTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String ODD_VALUE = "odd \"value\" \\ with\nnewline and ünicode";

  @Test
  void prometheusScrapesAndPromqlReturnsTheValuesTheTestProduced(Vertx vertx, @TempDir Path dir)
      throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Counter events = Counter.builder("rxprom_e2e_events_total").help("Events.").labelNames("kind")
        .register(registry);
    events.labels("plain").inc(7);
    events.labels(ODD_VALUE).inc(2);
    Gauge.builder("rxprom_e2e_temperature_celsius").help("A gauge.").register(registry).set(-3.25);
    Histogram sizes = Histogram.builder("rxprom_e2e_wait_seconds").help("Waits.").buckets(0.1, 1, 10)
        .register(registry);
    for (double v : new double[] {0.05, 0.5, 5, 50}) {
      sizes.observe(v);
    }
    Summary s = Summary.builder("rxprom_e2e_work_seconds").help("Work.").quantiles(0.5).register(registry);
    for (double v : new double[] {1, 2, 3}) {
      s.observe(v);
    }

    // an application: routes measured by MetricsHandler, scrape endpoint on its own router
    Queue<String> accepts = new ConcurrentLinkedQueue<>();
    Router app = Router.router(vertx);
    app.route().handler(MetricsHandler.create(registry));
    app.route("/metrics").handler(ctx -> {
      accepts.add(String.valueOf(ctx.request().getHeader("Accept")));
      ctx.next();
    });
    app.route("/metrics").handler(ScrapeHandler.create(registry));
    app.get("/users/:id").handler(ctx -> ctx.end("user"));
    app.get("/boom/:id").handler(ctx -> {
      throw new IllegalStateException("boom (expected by the test)");
    });
    HttpServer appServer = await(vertx.createHttpServer().requestHandler(app).listen(0, "127.0.0.1"));
    WebClient client = WebClient.create(vertx);
    for (String path : List.of("/users/1", "/users/2", "/users/3", "/boom/1", "/no/such/page")) {
      await(client.get(appServer.actualPort(), "127.0.0.1", path).send());
    }
    client.close();
    awaitCondition("5 requests recorded",
        () -> count(registry, "http_server_request_duration_seconds", "route", "/users/:id", "method", "GET", "status", "200") == 3
            && count(registry, "http_server_request_duration_seconds", "route", "unmatched", "method", "GET", "status", "404") == 1
            && count(registry, "http_server_request_duration_seconds", "route", "/boom/:id", "method", "GET", "status", "500") == 1,
        WAIT);

    MetricsVerticle plain = MetricsVerticle.builder(registry).host("127.0.0.1").port(0).build();
    await(vertx.deployVerticle(plain));
    SelfSignedPem pem = SelfSignedPem.create(dir);
    MetricsVerticle secure = MetricsVerticle.builder(registry).host("127.0.0.1").port(0)
        .tlsPemFiles(pem.key().toString(), pem.cert().toString()).basicAuth("prometheus", "pa55word")
        .build();
    await(vertx.deployVerticle(secure));

    String tlsJob = "job_name: 'tls'\n"
        + "scheme: https\n"
        + "tls_config: {ca_file: '" + pem.cert() + "'}\n"
        + "basic_auth: {username: 'prometheus', password: 'pa55word'}\n"
        + "static_configs: [{targets: ['127.0.0.1:" + secure.actualPort() + "']}]\n";
    String wrongPasswordJob = "job_name: 'tls-wrong-password'\n"
        + "scheme: https\n"
        + "tls_config: {ca_file: '" + pem.cert() + "'}\n"
        + "basic_auth: {username: 'prometheus', password: 'guess'}\n"
        + "static_configs: [{targets: ['127.0.0.1:" + secure.actualPort() + "']}]\n";

    try (PrometheusServer prom = PrometheusServer.start(
        "127.0.0.1:" + plain.actualPort(),
        "http://127.0.0.1:" + appServer.actualPort() + "/metrics",
        tlsJob, wrongPasswordJob)) {
      prom.awaitTargetsUp(3, WAIT);

      // the plain verticle (job rxprom)
      assertThat(single(prom, "rxprom_e2e_events_total{job='rxprom',kind='plain'}", 7)).isEqualTo(7);
      List<VectorSample> odd = prom.awaitQuery("rxprom_e2e_events_total{job='rxprom',kind!='plain'}",
          v -> v.size() == 1, WAIT);
      assertThat(odd.get(0).labels().get("kind")).isEqualTo(ODD_VALUE);
      assertThat(odd.get(0).value()).isEqualTo(2);
      assertThat(single(prom, "rxprom_e2e_temperature_celsius{job='rxprom'}", -3.25)).isEqualTo(-3.25);
      assertThat(single(prom, "rxprom_e2e_wait_seconds_count{job='rxprom'}", 4)).isEqualTo(4);
      assertThat(single(prom, "rxprom_e2e_wait_seconds_sum{job='rxprom'}", 55.55)).isEqualTo(55.55);
      assertThat(single(prom, "rxprom_e2e_work_seconds_count{job='rxprom'}", 3)).isEqualTo(3);
      assertThat(single(prom, "rxprom_e2e_work_seconds_sum{job='rxprom'}", 6)).isEqualTo(6);
      Map<String, Double> buckets = prom.awaitQuery("rxprom_e2e_wait_seconds_bucket{job='rxprom'}",
          v -> v.size() == 4, WAIT).stream()
          .collect(Collectors.toMap(v -> v.labels().get("le"), VectorSample::value));
      // OpenMetrics writes le="1.0" where the text format writes le="1", and Prometheus 2.42 keeps
      // the label as written: these values show that the OpenMetrics parser read the scrape.
      assertThat(buckets).isEqualTo(Map.of("0.1", 1.0, "1.0", 2.0, "10.0", 3.0, "+Inf", 4.0));

      // the routes the application served, by template
      assertThat(single(prom, "http_server_request_duration_seconds_count"
          + "{job='rxprom',route='/users/:id',method='GET',status='200'}", 3)).isEqualTo(3);
      assertThat(single(prom, "http_server_request_failures_total"
          + "{job='rxprom',route='/boom/:id',method='GET',reason='exception'}", 1)).isEqualTo(1);
      assertThat(single(prom, "http_server_request_duration_seconds_count"
          + "{job='rxprom',route='unmatched',status='404'}", 1)).isEqualTo(1);
      // "/metrics" shows once Prometheus' scrapes of the application are themselves scraped
      Set<String> routes = prom.awaitQuery("http_server_request_duration_seconds_count{job='rxprom'}",
          v -> v.stream().anyMatch(x -> "/metrics".equals(x.labels().get("route"))), WAIT).stream()
          .map(v -> v.labels().get("route")).collect(Collectors.toSet());
      assertThat(routes).containsExactlyInAnyOrder("/users/:id", "/boom/:id", "unmatched", "/metrics");

      // the application's own scrape endpoint (job rxprom-1), asked for OpenMetrics
      assertThat(single(prom, "rxprom_e2e_events_total{job='rxprom-1',kind='plain'}", 7)).isEqualTo(7);
      assertThat(accepts).isNotEmpty();
      assertThat(accepts.peek()).startsWith("application/openmetrics-text");
      assertThat(ExpositionFormat.negotiate(accepts.peek())).isEqualTo(ExpositionFormat.OPENMETRICS_1_0_0);

      // HTTPS with basic auth: up with the right password, down with a 401 without it
      assertThat(single(prom, "up{job='tls'}", 1)).isEqualTo(1);
      assertThat(single(prom, "rxprom_e2e_events_total{job='tls',kind='plain'}", 7)).isEqualTo(7);
      assertThat(single(prom, "up{job='tls-wrong-password'}", 0)).isZero();
      String wrong = targetLastError(prom.targets(), "tls-wrong-password");
      assertThat(wrong).contains("401");
    } finally {
      await(appServer.close());
    }
  }

  /** Polls until the query returns one sample of {@code expected}, then returns its value. */
  private static double single(PrometheusServer prom, String promql, double expected) {
    return prom.awaitQuery(promql, v -> v.size() == 1 && v.get(0).value() == expected, WAIT)
        .get(0).value();
  }

  private static String targetLastError(String targetsJson, String job) {
    Object active = Json.at(Json.parse(targetsJson), "data", "activeTargets");
    for (Object t : (List<?>) active) {
      if (job.equals(Json.at(t, "labels", "job"))) {
        return String.valueOf(Json.at(t, "lastError"));
      }
    }
    throw new AssertionError("no target of job " + job + " in " + targetsJson);
  }
}

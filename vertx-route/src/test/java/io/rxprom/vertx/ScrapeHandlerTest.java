package io.rxprom.vertx;

import static io.rxprom.vertx.Samples.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.Collector;
import io.rxprom.core.Counter;
import io.rxprom.core.Gauge;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.exposition.ExpositionFormat;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.testing.Promtool;
import io.rxprom.testing.PythonParsers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A real server with a {@link ScrapeHandler} on {@code /metrics}, scraped by a real client. */
@ExtendWith(VertxExtension.class)
class ScrapeHandlerTest {

  /** The Accept headers of Prometheus 2.34-2.48, 2.49-2.55 and 3.x (CONFORMANCE.md). */
  static final String PROMETHEUS_2_34 =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  static final String PROMETHEUS_2_49 =
      "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,"
          + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
  static final String PROMETHEUS_3 =
      "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
          + "application/openmetrics-text;version=0.0.1;q=0.5,"
          + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
  static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private Vertx vertx;
  private MetricRegistry registry;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    registry = new MetricRegistry();
    Counter events = Counter.builder("rxprom_test_events_total").help("Events.").labelNames("kind")
        .register(registry);
    events.labels("a").inc(3);
    events.labels("b \"quoted\" \\ back\nslash").inc();
    Gauge.builder("rxprom_test_temperature_celsius").help("A gauge.").register(registry).set(21.5);
    Histogram.builder("rxprom_test_size_bytes").help("Sizes.").buckets(10, 100, 1000)
        .register(registry).observe(42);
    server = serve(registry, ScrapeHandler.create(registry), r -> {});
    client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  private HttpServer serve(MetricRegistry reg, ScrapeHandler scrape, Consumer<Router> more) {
    Router router = Router.router(vertx);
    router.route().handler(MetricsHandler.create(reg));
    router.route("/metrics").handler(scrape);
    router.get("/users/:id").handler(ctx -> ctx.end("user"));
    more.accept(router);
    return await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    client.close();
    await(server.close());
  }

  private HttpResponse<Buffer> scrape(String accept) {
    HttpRequest<Buffer> r = client.get("/metrics");
    if (accept != null) {
      r.putHeader("Accept", accept);
    }
    return await(r.send());
  }

  private static String body(HttpResponse<Buffer> r) {
    return r.body() == null ? "" : r.bodyAsString();
  }

  @ParameterizedTest
  @ValueSource(strings = {PROMETHEUS_2_34, PROMETHEUS_2_49, PROMETHEUS_3})
  void prometheusAcceptHeadersGetOpenMetrics(String accept) {
    HttpResponse<Buffer> r = scrape(accept);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).isEqualTo(OPENMETRICS);
    assertThat(body(r)).contains("# TYPE rxprom_test_events counter\n").endsWith("# EOF\n");
    assertThat(r.getHeader("Content-Length")).isEqualTo(Integer.toString(r.body().length()));
    PythonParsers.parseOpenMetrics(r.body().getBytes());
  }

  @Test
  void noAcceptOrPlainTextGetsTheTextFormat() {
    for (String accept : new String[] {null, "text/plain", "*/*", "application/json"}) {
      HttpResponse<Buffer> r = scrape(accept);
      assertThat(r.getHeader("Content-Type")).as("Accept: %s", accept).isEqualTo(TEXT_004);
      assertThat(body(r)).contains("# TYPE rxprom_test_events_total counter\n")
          .contains("rxprom_test_events_total{kind=\"b \\\"quoted\\\" \\\\ back\\nslash\"} 1\n")
          .doesNotContain("# EOF");
    }
  }

  @Test
  void textBodyPassesPromtoolAndTheParser() {
    await(client.get("/users/1").send());
    await(client.get("/nope").send());
    HttpResponse<Buffer> r = scrape(null);
    assertThat(body(r)).contains("http_server_request_duration_seconds_bucket{route=\"/users/:id\"");
    byte[] bytes = r.body().getBytes();
    Promtool.Result check = Promtool.checkMetrics(bytes);
    assertThat(check.clean()).as("promtool check metrics:\n%s\n%s", check.output(), body(r)).isTrue();
    assertThat(PythonParsers.parse004(bytes)).extracting(PythonParsers.Family::name)
        .contains("http_server_request_duration_seconds", "http_server_request_failures",
            "http_server_requests_in_flight", "rxprom_test_events");
  }

  @Test
  void gzipWhenAskedAndTheSameBytesInside() throws IOException {
    // the scraped registry does not change between the requests: the same text
    HttpServer s = serve(new MetricRegistry(), ScrapeHandler.create(registry), r -> {});
    WebClient client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(s.actualPort()));
    HttpResponse<Buffer> plain = await(client.get("/metrics").send());
    HttpResponse<Buffer> zipped = await(client.get("/metrics")
        .putHeader("Accept-Encoding", "gzip, deflate").send());
    assertThat(zipped.getHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(zipped.getHeader("Content-Type")).isEqualTo(TEXT_004);
    assertThat(zipped.getHeader("Content-Length")).isEqualTo(Integer.toString(zipped.body().length()));
    assertThat(zipped.getHeader("Vary")).contains("Accept-Encoding");
    assertThat(gunzip(zipped.body().getBytes())).isEqualTo(body(plain));
    assertThat(plain.getHeader("Content-Encoding")).isNull();

    HttpResponse<Buffer> refused = await(client.get("/metrics")
        .putHeader("Accept-Encoding", "gzip;q=0, identity").send());
    assertThat(refused.getHeader("Content-Encoding")).isNull();
    client.close();
    await(s.close());
  }

  static String gunzip(byte[] bytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void nameParametersFilterTheFamilies() {
    String body = body(await(client.get("/metrics?name[]=rxprom_test_events_total&name%5B%5D=rxprom_test_size_bytes&other=1")
        .send()));
    assertThat(body).contains("rxprom_test_events_total{kind=\"a\"} 3\n")
        .contains("rxprom_test_size_bytes_bucket{le=\"10\"} 0\n")
        .doesNotContain("rxprom_test_temperature_celsius")
        .doesNotContain("http_server_request");
    String gauge = body(await(client.get("/metrics?name[]=rxprom_test_temperature_celsius").send()));
    assertThat(gauge).isEqualTo("# HELP rxprom_test_temperature_celsius A gauge.\n"
        + "# TYPE rxprom_test_temperature_celsius gauge\nrxprom_test_temperature_celsius 21.5\n");
    String none = body(await(client.get("/metrics?name[]=no_such_metric").send()));
    assertThat(none).isEmpty();
  }

  @Test
  void headGetsTheHeadersOfTheGetWithoutABody() {
    // the scraped registry does not change between the two requests: exact Content-Length
    HttpServer s = serve(new MetricRegistry(), ScrapeHandler.create(registry), r -> {});
    try {
      for (String encoding : new String[] {"identity", "gzip"}) {
        HttpResponse<Buffer> get = await(client.get(s.actualPort(), "127.0.0.1", "/metrics")
            .putHeader("Accept", PROMETHEUS_2_34).putHeader("Accept-Encoding", encoding).send());
        HttpResponse<Buffer> head = await(client.head(s.actualPort(), "127.0.0.1", "/metrics")
            .putHeader("Accept", PROMETHEUS_2_34).putHeader("Accept-Encoding", encoding).send());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.getHeader("Content-Type")).isEqualTo(OPENMETRICS);
        assertThat(head.getHeader("Content-Encoding")).isEqualTo(get.getHeader("Content-Encoding"));
        assertThat(head.getHeader("Content-Length")).isEqualTo(Integer.toString(get.body().length()));
        assertThat(head.body()).isNull();
      }
    } finally {
      await(s.close());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
  void otherMethodsGet405WithAllow(String method) {
    HttpResponse<Buffer> r = await(client.request(HttpMethod.valueOf(method), "/metrics").send());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.getHeader("Allow")).isEqualTo("GET, HEAD");
    assertThat(body(r)).doesNotContain("rxprom_test");
  }

  @ParameterizedTest
  @ValueSource(strings = {"name[]=%zz", "name[]=%4", "name%5x=a", "name[]=%C3%28", "name[]=%FF"})
  void malformedQueriesGet400(String query) {
    HttpResponse<Buffer> r = await(client.get("/metrics?" + query).send());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(body(r)).startsWith("Bad Request: malformed query string").doesNotContain("rxprom_test");
  }

  @Test
  void aFailingCollectorGives500WithoutAStackTrace() {
    MetricRegistry broken = new MetricRegistry();
    broken.register(new Collector() {
      @Override
      public Map<String, MetricType> families() {
        return Map.of("broken_gauge", MetricType.GAUGE);
      }

      @Override
      public void collect(Consumer<MetricFamilySnapshot> sink) {
        throw new IllegalStateException("collector failed (expected by the test)");
      }
    });
    HttpServer s = serve(new MetricRegistry(), ScrapeHandler.create(broken), r -> {});
    try {
      HttpResponse<Buffer> r = await(client.get(s.actualPort(), "127.0.0.1", "/metrics").send());
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.getHeader("Content-Type")).isEqualTo("text/plain; charset=utf-8");
      assertThat(body(r)).startsWith("Internal Server Error")
          .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("expected by the test");
    } finally {
      await(s.close());
    }
  }

  @Test
  void aBodyLargerThanASliceArrivesWhole() throws IOException {
    MetricRegistry big = new MetricRegistry();
    Counter c = Counter.builder("rxprom_test_many_total").help("Many series.").labelNames("id")
        .maxSeries(20_000).register(big);
    for (int i = 0; i < 12_000; i++) {
      c.labels("series-" + i).inc(i);
    }
    HttpServer s = serve(new MetricRegistry(), ScrapeHandler.create(big), r -> {});
    try {
      HttpResponse<Buffer> r = await(client.get(s.actualPort(), "127.0.0.1", "/metrics").send());
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      ExpositionFormat.PROMETHEUS_TEXT_0_0_4.writer().write(expected, big.scrape());
      assertThat(r.body().length()).isGreaterThan(2 * ScrapeHandlerImpl.SLICE_BYTES);
      assertThat(body(r)).isEqualTo(expected.toString(StandardCharsets.UTF_8));
    } finally {
      await(s.close());
    }
  }

  @Test
  void basicAuthAdmitsTheRightCredentialsOnly() {
    HttpServer s = serve(new MetricRegistry(), ScrapeHandler.builder(registry).basicAuth("prom", "s3cret:pass").build(), r -> {});
    try {
      HttpResponse<Buffer> none = await(client.get(s.actualPort(), "127.0.0.1", "/metrics").send());
      assertUnauthorized(none, "Basic realm=\"metrics\", charset=\"UTF-8\"");
      HttpResponse<Buffer> wrong = await(client.get(s.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", basic("prom", "wrong")).send());
      assertUnauthorized(wrong, "Basic realm=\"metrics\", charset=\"UTF-8\"");
      HttpResponse<Buffer> garbage = await(client.get(s.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", "Basic !!!not-base64").send());
      assertUnauthorized(garbage, "Basic realm=\"metrics\", charset=\"UTF-8\"");
      HttpResponse<Buffer> head = await(client.head(s.actualPort(), "127.0.0.1", "/metrics").send());
      assertThat(head.statusCode()).isEqualTo(401);
      HttpResponse<Buffer> ok = await(client.get(s.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", basic("prom", "s3cret:pass")).send());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(body(ok)).contains("rxprom_test_events_total");
    } finally {
      await(s.close());
    }
  }

  @Test
  void bearerTokenAdmitsTheRightTokenOnly() {
    HttpServer s = serve(new MetricRegistry(), ScrapeHandler.builder(registry).bearerToken("tok-123.abc").build(), r -> {});
    try {
      assertUnauthorized(await(client.get(s.actualPort(), "127.0.0.1", "/metrics").send()),
          "Bearer realm=\"metrics\"");
      assertUnauthorized(await(client.get(s.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", "Bearer tok-124.abc").send()), "Bearer realm=\"metrics\"");
      assertUnauthorized(await(client.get(s.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", basic("tok-123.abc", "x")).send()), "Bearer realm=\"metrics\"");
      HttpResponse<Buffer> ok = await(client.get(s.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", "bearer tok-123.abc").send());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(body(ok)).contains("rxprom_test_events_total");
    } finally {
      await(s.close());
    }
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static void assertUnauthorized(HttpResponse<Buffer> r, String challenge) {
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().getAll("WWW-Authenticate")).containsExactly(challenge);
    assertThat(body(r)).isEqualTo("Unauthorized\n");
  }

  @Test
  void parsesQueriesAndAcceptEncodingByTheRules() {
    assertThat(ScrapeRequest.names(null)).isEmpty();
    assertThat(ScrapeRequest.names("name[]=a&name[]=&x=y&name%5B%5D=b%5Fc&name[]")).containsExactly("a", "b_c");
    assertThat(ScrapeRequest.names("name[]=a+b&&name[]=%C3%A9")).containsExactly("a b", "é");
    assertThat(ScrapeRequest.acceptsGzip("gzip")).isTrue();
    assertThat(ScrapeRequest.acceptsGzip("deflate, GZIP;q=0.5")).isTrue();
    assertThat(ScrapeRequest.acceptsGzip("x-gzip")).isTrue();
    assertThat(ScrapeRequest.acceptsGzip("*")).isTrue();
    assertThat(ScrapeRequest.acceptsGzip("*;q=0.1, gzip;q=0")).isFalse();
    assertThat(ScrapeRequest.acceptsGzip("identity")).isFalse();
    assertThat(ScrapeRequest.acceptsGzip("gzip;q=abc")).isFalse();
    assertThat(ScrapeRequest.acceptsGzip(null)).isFalse();
  }

  @Test
  void badAuthConfigurationIsRefused() {
    List<Runnable> bad = List.of(
        () -> ScrapeHandler.builder(registry).basicAuth("a:b", "p"),
        () -> ScrapeHandler.builder(registry).basicAuth("", "p"),
        () -> ScrapeHandler.builder(registry).basicAuth("a", ""),
        () -> ScrapeHandler.builder(registry).bearerToken("has space"),
        () -> ScrapeHandler.builder(registry).bearerToken(""),
        () -> ScrapeHandler.builder(registry).realm("a\"b"),
        () -> ScrapeHandler.builder(null));
    for (Runnable r : bad) {
      org.assertj.core.api.Assertions.assertThatThrownBy(r::run)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ScrapeHandler: ");
    }
  }
}

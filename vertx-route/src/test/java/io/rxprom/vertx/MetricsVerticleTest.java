package io.rxprom.vertx;

import static io.rxprom.vertx.Samples.await;
import static io.rxprom.vertx.ScrapeHandlerTest.assertUnauthorized;
import static io.rxprom.vertx.ScrapeHandlerTest.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.Counter;
import io.rxprom.core.MetricRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Deploys real {@link MetricsVerticle}s on loopback and talks to them with a real client. */
@ExtendWith(VertxExtension.class)
class MetricsVerticleTest {

  private Vertx vertx;
  private MetricRegistry registry;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    registry = new MetricRegistry();
    Counter.builder("rxprom_test_events_total").help("Events.").register(registry).inc(5);
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private MetricsVerticle deploy(MetricsVerticle.Builder b) {
    MetricsVerticle v = b.host("127.0.0.1").port(0).build();
    await(vertx.deployVerticle(v));
    assertThat(v.actualPort()).isPositive();
    return v;
  }

  private HttpResponse<Buffer> get(MetricsVerticle v, String path) {
    return await(client.get(v.actualPort(), "127.0.0.1", path).send());
  }

  @Test
  void servesMetricsHealthAndALandingPage() {
    MetricsVerticle v = deploy(MetricsVerticle.builder(registry));
    HttpResponse<Buffer> metrics = get(v, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.getHeader("Content-Type")).isEqualTo(ScrapeHandlerTest.TEXT_004);
    assertThat(metrics.bodyAsString()).contains("rxprom_test_events_total 5\n");
    HttpResponse<Buffer> om = await(client.get(v.actualPort(), "127.0.0.1", "/metrics")
        .putHeader("Accept", ScrapeHandlerTest.PROMETHEUS_3).send());
    assertThat(om.getHeader("Content-Type")).isEqualTo(ScrapeHandlerTest.OPENMETRICS);

    HttpResponse<Buffer> health = get(v, "/-/healthy");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsString()).isEqualTo("OK\n");
    assertThat(await(client.head(v.actualPort(), "127.0.0.1", "/-/healthy").send()).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> landing = get(v, "/");
    assertThat(landing.statusCode()).isEqualTo(200);
    assertThat(landing.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(landing.bodyAsString()).contains("<a href=\"/metrics\">");

    HttpResponse<Buffer> post = await(client.post(v.actualPort(), "127.0.0.1", "/").send());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.getHeader("Allow")).isEqualTo("GET, HEAD");
    assertThat(await(client.delete(v.actualPort(), "127.0.0.1", "/metrics").send()).statusCode()).isEqualTo(405);
    assertThat(get(v, "/nothing-here").statusCode()).isEqualTo(404);

    await(vertx.undeploy(v.deploymentID()));
    assertThat(v.actualPort()).isEqualTo(-1);
  }

  @Test
  void landingPageMetricsPathAndExtraRoutesArePluggable() {
    MetricsVerticle html = deploy(MetricsVerticle.builder(registry)
        .metricsPath("/custom/metrics")
        .landingPage("<!DOCTYPE html><title>demo</title><p>live view here</p>")
        .configureRouter(r -> r.get("/api/live").handler(ctx -> ctx.end("live"))));
    assertThat(get(html, "/").bodyAsString()).contains("live view here");
    assertThat(get(html, "/custom/metrics").bodyAsString()).contains("rxprom_test_events_total 5\n");
    assertThat(get(html, "/metrics").statusCode()).isEqualTo(404);
    assertThat(get(html, "/api/live").bodyAsString()).isEqualTo("live");

    MetricsVerticle handler = deploy(MetricsVerticle.builder(registry)
        .landingHandler(ctx -> ctx.end("handled " + ctx.request().method())));
    assertThat(get(handler, "/").bodyAsString()).isEqualTo("handled GET");
    assertThat(await(client.post(handler.actualPort(), "127.0.0.1", "/").send()).bodyAsString())
        .isEqualTo("handled POST");
  }

  @Test
  void aFailingLandingHandlerShowsNoStackTrace() {
    MetricsVerticle v = deploy(MetricsVerticle.builder(registry).landingHandler(ctx -> {
      throw new IllegalStateException("landing failed (expected by the test)");
    }));
    HttpResponse<Buffer> r = get(v, "/");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.bodyAsString()).doesNotContain("Exception").doesNotContain("\tat ")
        .doesNotContain("expected by the test");
  }

  @Test
  void tlsWithBasicAuth(@TempDir Path dir) {
    SelfSignedPem pem = SelfSignedPem.create(dir);
    MetricsVerticle v = deploy(MetricsVerticle.builder(registry)
        .tlsPemFiles(pem.key().toString(), pem.cert().toString())
        .basicAuth("prometheus", "pa55word"));
    WebClient tls = WebClient.create(vertx, new WebClientOptions().setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(pem.cert().toString())));
    try {
      HttpResponse<Buffer> ok = await(tls.get(v.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", basic("prometheus", "pa55word")).send());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.bodyAsString()).contains("rxprom_test_events_total 5\n");
      assertUnauthorized(await(tls.get(v.actualPort(), "127.0.0.1", "/metrics").send()),
          "Basic realm=\"metrics\", charset=\"UTF-8\"");
      assertUnauthorized(await(tls.get(v.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", basic("prometheus", "guess")).send()),
          "Basic realm=\"metrics\", charset=\"UTF-8\"");
      assertThat(await(tls.get(v.actualPort(), "127.0.0.1", "/-/healthy").send()).statusCode()).isEqualTo(200);
      // the port speaks TLS only: plain HTTP gets no answer
      Future<HttpResponse<Buffer>> plain = client.get(v.actualPort(), "127.0.0.1", "/metrics")
          .timeout(5000).send();
      assertThatThrownBy(() -> await(plain)).isInstanceOf(AssertionError.class);
    } finally {
      tls.close();
    }
  }

  @Test
  void tlsFromPemValuesWithBearerToken(@TempDir Path dir) throws Exception {
    SelfSignedPem pem = SelfSignedPem.create(dir);
    MetricsVerticle v = deploy(MetricsVerticle.builder(registry)
        .tlsPem(Buffer.buffer(Files.readAllBytes(pem.key())), Buffer.buffer(Files.readAllBytes(pem.cert())))
        .bearerToken("s3cr3t-token"));
    WebClient tls = WebClient.create(vertx, new WebClientOptions().setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(pem.cert().toString())));
    try {
      assertUnauthorized(await(tls.get(v.actualPort(), "127.0.0.1", "/metrics").send()), "Bearer realm=\"metrics\"");
      assertUnauthorized(await(tls.get(v.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", "Bearer wrong").send()), "Bearer realm=\"metrics\"");
      assertThat(await(tls.request(HttpMethod.HEAD, v.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", "Bearer wrong").send()).statusCode()).isEqualTo(401);
      HttpResponse<Buffer> ok = await(tls.get(v.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", "Bearer s3cr3t-token").send());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.bodyAsString()).contains("rxprom_test_events_total 5\n");
    } finally {
      tls.close();
    }
  }

  @Test
  void badOptionsAreRefusedWithAClearMessage() {
    MetricsVerticle.Builder b = MetricsVerticle.builder(registry);
    assertThatThrownBy(() -> b.port(70000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    assertThatThrownBy(() -> b.metricsPath("metrics")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metrics path");
    assertThatThrownBy(() -> b.metricsPath("/a\"b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.metricsPath("/")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.host(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.basicAuth("a:b", "c")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.tlsPemFiles(null, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MetricsVerticle.builder(null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(MetricsVerticle.create(registry).actualPort()).isEqualTo(-1);
  }
}

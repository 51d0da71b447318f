package io.rxprom.vertx;

import static io.rxprom.vertx.PushgatewayClientTest.await;
import static io.rxprom.vertx.PushgatewayClientTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.Gauge;
import io.rxprom.core.MetricRegistry;
import io.rxprom.testing.Peers;
import io.rxprom.testing.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials: basic auth against a real Pushgateway that requires it (its {@code
 * --web.config.file}), and a bearer token against a Vert.x server standing in for the reverse
 * proxy that usually checks tokens (the Pushgateway has no bearer support of its own).
 */
class PushgatewayAuthTest {

  /** bcrypt (cost 4) of "s3cret", made with Debian's python3-bcrypt. */
  private static final String HASH = "$2b$04$7Mi7ly1BLSWERD0Q/e9BYefQ8vupSKmvkofztMjAijAGG6V2/pgUe";

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  @Test
  void basicAuthIsAcceptedByAGatewayThatRequiresIt() throws Exception {
    Path exe = Peers.require("prometheus-pushgateway");
    Path dir = Files.createTempDirectory("rxprom-pushgateway-auth-");
    Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  rx: " + HASH + "\n");
    int port = Ports.freePort();
    Process p = new ProcessBuilder(exe.toString(), "--web.listen-address=127.0.0.1:" + port,
        "--web.config.file=" + dir.resolve("web.yml"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
    try {
      String base = "http://127.0.0.1:" + port;
      awaitListening(base, p, dir);
      MetricRegistry r = new MetricRegistry();
      Gauge.builder("auth_gauge").register(r).set(7);

      for (PushgatewayOptions o : new PushgatewayOptions[] {
          PushgatewayOptions.builder(base).build(),
          PushgatewayOptions.builder(base).basicAuth("rx", "wrong").build()}) {
        PushgatewayClient c = PushgatewayClient.create(vertx, o);
        PushgatewayException e = (PushgatewayException) failure(c.push(r, "auth", Map.of()));
        assertThat(e.kind()).isEqualTo(PushgatewayException.Kind.HTTP_ERROR);
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.getMessage()).contains("HTTP 401");
        await(c.close());
      }

      PushgatewayClient ok = PushgatewayClient.create(vertx,
          PushgatewayOptions.builder(base).basicAuth("rx", "s3cret").build());
      await(ok.push(r, "auth", Map.of()));
      await(ok.close());
      HttpResponse<String> metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(base + "/metrics"))
              .header("Authorization", "Basic " + Base64.getEncoder()
                  .encodeToString("rx:s3cret".getBytes(StandardCharsets.UTF_8)))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("auth_gauge{instance=\"\",job=\"auth\"} 7");
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static void awaitListening(String base, Process p, Path dir) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("pushgateway exited: " + Files.readString(dir.resolve("log")));
      }
      try {
        int status = http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200 || status == 401) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("pushgateway did not come up: " + Files.readString(dir.resolve("log")));
  }

  @Test
  void aBearerTokenGoesInTheAuthorizationHeaderAndTheBodyIsText004() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      seen.set(req.method() + " " + req.path() + " | " + req.getHeader("Content-Type") + " | "
          + body.toString(StandardCharsets.UTF_8).strip());
      boolean authorized = "Bearer t0k.en-_~+/=".equals(req.getHeader("Authorization"));
      req.response().setStatusCode(authorized ? 200 : 401).end(authorized ? "" : "no token");
    }));
    await(server.listen(0, "127.0.0.1"));
    String base = "http://127.0.0.1:" + server.actualPort();
    MetricRegistry r = new MetricRegistry();
    Gauge.builder("bearer_gauge").register(r).set(1);

    PushgatewayClient ok = PushgatewayClient.create(vertx,
        PushgatewayOptions.builder(base).bearerToken("t0k.en-_~+/=").timeout(Duration.ofSeconds(5)).build());
    await(ok.pushAdd(r, name -> name.equals("bearer_gauge"), "b", Map.of("instance", "i")));
    assertThat(seen.get()).isEqualTo("POST /metrics/job/b/instance/i | text/plain; version=0.0.4; charset=utf-8"
        + " | # TYPE bearer_gauge gauge\nbearer_gauge 1");

    PushgatewayClient none = PushgatewayClient.create(vertx, PushgatewayOptions.builder(base).build());
    PushgatewayException e = (PushgatewayException) failure(none.delete("b", Map.of()));
    assertThat(e.statusCode()).isEqualTo(401);
    assertThat(e.responseBody()).isEqualTo("no token");
    assertThat(seen.get()).startsWith("DELETE /metrics/job/b | null | ");
    await(ok.close());
    await(none.close());
    await(server.close());
  }
}

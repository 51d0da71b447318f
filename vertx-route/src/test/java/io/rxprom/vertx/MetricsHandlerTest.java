package io.rxprom.vertx;

import static io.rxprom.vertx.Samples.await;
import static io.rxprom.vertx.Samples.awaitCondition;
import static io.rxprom.vertx.Samples.count;
import static io.rxprom.vertx.Samples.labelValues;
import static io.rxprom.vertx.Samples.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.MetricRegistry;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.MetricType;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real HTTP server with a {@link MetricsHandler}, driven by a real client. */
@ExtendWith(VertxExtension.class)
class MetricsHandlerTest {

  private static final String DURATION = "http_server_request_duration_seconds";
  private static final String FAILURES = "http_server_request_failures";
  private static final String DISCONNECTS = "http_server_request_disconnects";
  private static final String IN_FLIGHT = "http_server_requests_in_flight";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Vertx vertx;
  private MetricRegistry registry;
  private HttpServer server;
  private WebClient client;
  private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.registry = new MetricRegistry();
    Router router = Router.router(vertx);
    router.route().handler(MetricsHandler.create(registry));
    router.get("/users/:id").handler(ctx -> ctx.end("user " + ctx.pathParam("id")));
    router.get("/users/:id/orders/:order").handler(ctx -> ctx.end("order"));
    router.get("/exact").handler(ctx -> ctx.end("exact"));
    router.get("/static/*").handler(ctx -> ctx.end("static"));
    router.getWithRegex("/re/\\d+").handler(ctx -> ctx.end("regex"));
    router.get("/named/:x").setName("named-route").handler(ctx -> ctx.end("named"));
    router.get("/boom/:id").handler(ctx -> {
      throw new IllegalStateException("boom (expected by the test)");
    });
    router.get("/fail/:id").handler(ctx -> ctx.fail(503));
    router.get("/async-fail/:id").handler(ctx -> vertx.setTimer(5, t -> ctx.fail(502)));
    router.get("/async-throw/:id").handler(ctx -> vertx.setTimer(5,
        t -> ctx.fail(new IllegalStateException("async boom (expected by the test)"))));
    router.get("/server-error/:id").handler(ctx -> ctx.response().setStatusCode(500).end("nope"));
    router.get("/handled/:id").handler(ctx -> ctx.fail(500))
        .failureHandler(ctx -> ctx.response().setStatusCode(599).end("handled"));
    router.get("/hold/:id").handler(ctx -> {
      Context c = Vertx.currentContext();
      held.add(() -> c.runOnContext(v -> ctx.end("released")));
    });
    router.get("/stream").handler(ctx -> {
      ctx.response().setChunked(true).write("first chunk\n");
      // never ends: the client goes away mid-response
    });
    router.get("/reroute").handler(ctx -> ctx.reroute("/exact"));
    router.get("/later/:id").handler(ctx -> vertx.setTimer(20, t -> ctx.end("later")));
    Router api = Router.router(vertx);
    api.get("/items/:id").handler(ctx -> ctx.end("item"));
    router.route("/api/*").subRouter(api);
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  @AfterEach
  void stop() {
    held.forEach(Runnable::run);
    client.close();
    await(server.close());
  }

  private HttpResponse<Buffer> send(HttpMethod method, String uri) {
    return await(client.request(method, uri).send());
  }

  private HttpResponse<Buffer> get(String uri) {
    return send(HttpMethod.GET, uri);
  }

  /** Waits for the end handler, which Vert.x runs after the client may have the response. */
  private void awaitCount(long expected, String... labels) {
    awaitCondition(DURATION + labels.length, () -> count(registry, DURATION, labels) == expected, WAIT);
  }

  @Test
  void labelsByRouteTemplateNeverByRawPath() {
    assertThat(get("/users/42").statusCode()).isEqualTo(200);
    assertThat(get("/users/43").statusCode()).isEqualTo(200);
    get("/users/7/orders/99");

    awaitCount(2, "route", "/users/:id", "method", "GET", "status", "200");
    awaitCount(1, "route", "/users/:id/orders/:order", "method", "GET", "status", "200");
    List<String> routes = labelValues(registry, DURATION, "route");
    assertThat(routes).noneMatch(r -> r.matches(".*/\\d+.*"));
  }

  @Test
  void exactPrefixRegexNamedAndSubRouterLabels() {
    get("/exact");
    get("/static/css/site.css");
    get("/re/123");
    get("/named/1");
    get("/api/items/7");

    awaitCount(1, "route", "/exact", "method", "GET", "status", "200");
    awaitCount(1, "route", "/static/*", "method", "GET", "status", "200");
    awaitCount(1, "route", "/re/\\d+", "method", "GET", "status", "200");
    awaitCount(1, "route", "named-route", "method", "GET", "status", "200");
    awaitCount(1, "route", "/api/*", "method", "GET", "status", "200");
  }

  @Test
  void unmatchedRequestsShareOneFixedLabel() {
    assertThat(get("/no/such/path/1").statusCode()).isEqualTo(404);
    assertThat(get("/no/such/path/2").statusCode()).isEqualTo(404);
    assertThat(send(HttpMethod.DELETE, "/users/1").statusCode()).isEqualTo(405);

    awaitCount(2, "route", "unmatched", "method", "GET", "status", "404");
    awaitCount(1, "route", "unmatched", "method", "DELETE", "status", "405");
    assertThat(labelValues(registry, DURATION, "route")).containsOnly("unmatched");
    // routing misses are not failures of the application
    assertThat(value(registry, FAILURES, "route", "unmatched", "method", "GET", "reason", "fail"))
        .isZero();
  }

  @Test
  void unknownMethodsCollapseIntoOther() {
    assertThat(send(HttpMethod.valueOf("BREW"), "/users/1").statusCode()).isEqualTo(405);
    awaitCount(1, "route", "unmatched", "method", "_OTHER", "status", "405");
  }

  @Test
  void handlerThatThrowsIsAFailureOfItsRoute() {
    assertThat(get("/boom/1").statusCode()).isEqualTo(500);
    assertThat(get("/boom/2").statusCode()).isEqualTo(500);

    awaitCount(2, "route", "/boom/:id", "method", "GET", "status", "500");
    assertThat(value(registry, FAILURES, "route", "/boom/:id", "method", "GET", "reason", "exception"))
        .isEqualTo(2);
    assertThat(value(registry, FAILURES, "route", "/boom/:id", "method", "GET", "reason", "server_error"))
        .isZero();
  }

  @Test
  void ctxFailIsAFailureOfItsRoute() {
    assertThat(get("/fail/1").statusCode()).isEqualTo(503);
    assertThat(get("/async-fail/1").statusCode()).isEqualTo(502);
    assertThat(get("/async-throw/1").statusCode()).isEqualTo(500);

    awaitCount(1, "route", "/fail/:id", "method", "GET", "status", "503");
    awaitCount(1, "route", "/async-fail/:id", "method", "GET", "status", "502");
    awaitCount(1, "route", "/async-throw/:id", "method", "GET", "status", "500");
    assertThat(value(registry, FAILURES, "route", "/fail/:id", "method", "GET", "reason", "fail"))
        .isEqualTo(1);
    assertThat(value(registry, FAILURES, "route", "/async-fail/:id", "method", "GET", "reason", "fail"))
        .isEqualTo(1);
    assertThat(value(registry, FAILURES, "route", "/async-throw/:id", "method", "GET", "reason", "exception"))
        .isEqualTo(1);
  }

  @Test
  void failureHandledByTheRouteItselfKeepsItsLabel() {
    assertThat(get("/handled/1").statusCode()).isEqualTo(599);
    awaitCount(1, "route", "/handled/:id", "method", "GET", "status", "599");
    assertThat(value(registry, FAILURES, "route", "/handled/:id", "method", "GET", "reason", "fail"))
        .isEqualTo(1);
  }

  @Test
  void aRouterWideFailureHandlerKeepsTheFailedRoutesLabel() {
    MetricRegistry reg = new MetricRegistry();
    Router router = Router.router(vertx);
    router.route().handler(MetricsHandler.create(reg));
    router.get("/orders/:id").handler(ctx -> {
      throw new IllegalStateException("boom (expected by the test)");
    });
    router.get("/refunds/:id").handler(ctx -> ctx.fail(409));
    router.route().failureHandler(ctx -> ctx.response()
        .setStatusCode(ctx.statusCode() > 0 ? ctx.statusCode() : 500).end("{\"error\":true}"));
    HttpServer s = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    try {
      WebClient c = WebClient.create(vertx);
      assertThat(await(c.get(s.actualPort(), "127.0.0.1", "/orders/1").send()).bodyAsString()).isEqualTo("{\"error\":true}");
      assertThat(await(c.get(s.actualPort(), "127.0.0.1", "/refunds/1").send()).statusCode()).isEqualTo(409);
      assertThat(await(c.get(s.actualPort(), "127.0.0.1", "/missing").send()).statusCode()).isEqualTo(404);
      c.close();
      awaitCondition("3 requests", () -> count(reg, DURATION, "route", "/orders/:id", "method", "GET", "status", "500") == 1
          && count(reg, DURATION, "route", "/refunds/:id", "method", "GET", "status", "409") == 1
          && count(reg, DURATION, "route", "unmatched", "method", "GET", "status", "404") == 1, WAIT);
      assertThat(value(reg, FAILURES, "route", "/orders/:id", "method", "GET", "reason", "exception")).isEqualTo(1);
      assertThat(value(reg, FAILURES, "route", "/refunds/:id", "method", "GET", "reason", "fail")).isEqualTo(1);
    } finally {
      await(s.close());
    }
  }

  @Test
  void fiveHundredResponseIsAServerError() {
    assertThat(get("/server-error/1").statusCode()).isEqualTo(500);
    awaitCount(1, "route", "/server-error/:id", "method", "GET", "status", "500");
    assertThat(value(registry, FAILURES, "route", "/server-error/:id", "method", "GET", "reason", "server_error"))
        .isEqualTo(1);
    assertThat(value(registry, FAILURES, "route", "/server-error/:id", "method", "GET", "reason", "exception"))
        .isZero();
  }

  @Test
  void successIsNoFailureAndSeriesStartAtZero() {
    get("/users/1");
    awaitCount(1, "route", "/users/:id", "method", "GET", "status", "200");
    for (String reason : List.of("exception", "fail", "server_error")) {
      assertThat(Samples.exact(registry, FAILURES, "route", "/users/:id", "method", "GET", "reason", reason))
          .as("failure series %s exists at zero", reason).isNotNull();
      assertThat(value(registry, FAILURES, "route", "/users/:id", "method", "GET", "reason", reason)).isZero();
    }
    assertThat(Samples.exact(registry, DISCONNECTS, "route", "/users/:id", "method", "GET")).isNotNull();
  }

  @Test
  void inFlightGoesUpWhileHandlersHoldRequestsAndBackToZero() {
    List<io.vertx.core.Future<HttpResponse<Buffer>>> pending = List.of(
        client.get("/hold/1").send(), client.get("/hold/2").send(), client.get("/hold/3").send());
    awaitCondition("3 in flight", () -> value(registry, IN_FLIGHT, "route", "/hold/:id", "method", "GET") == 3, WAIT);
    assertThat(count(registry, DURATION, "route", "/hold/:id", "method", "GET", "status", "200")).isZero();

    Runnable r;
    while ((r = held.poll()) != null) {
      r.run();
    }
    pending.forEach(f -> assertThat(await(f).bodyAsString()).isEqualTo("released"));
    awaitCondition("0 in flight", () -> value(registry, IN_FLIGHT, "route", "/hold/:id", "method", "GET") == 0, WAIT);
    awaitCount(3, "route", "/hold/:id", "method", "GET", "status", "200");
  }

  @Test
  void clientThatDisconnectsBeforeTheResponseIsCountedAsADisconnect() {
    NetClient net = vertx.createNetClient();
    NetSocket socket = await(net.connect(server.actualPort(), "127.0.0.1"));
    socket.write("GET /hold/9 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    awaitCondition("held", () -> value(registry, IN_FLIGHT, "route", "/hold/:id", "method", "GET") == 1, WAIT);

    await(socket.close());

    awaitCondition("disconnect counted",
        () -> value(registry, DISCONNECTS, "route", "/hold/:id", "method", "GET") == 1, WAIT);
    assertThat(value(registry, IN_FLIGHT, "route", "/hold/:id", "method", "GET")).isZero();
    assertThat(count(registry, DURATION, "route", "/hold/:id", "method", "GET", "status", "200")).isZero();
    held.clear(); // the requests' contexts are gone with the connection
    await(net.close());
  }

  @Test
  void clientThatDisconnectsMidResponseIsCountedAsADisconnect() {
    NetClient net = vertx.createNetClient();
    NetSocket socket = await(net.connect(server.actualPort(), "127.0.0.1"));
    AtomicReference<String> received = new AtomicReference<>("");
    socket.handler(buf -> received.accumulateAndGet(buf.toString(), String::concat));
    socket.write("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    awaitCondition("first chunk", () -> received.get().contains("first chunk"), WAIT);
    assertThat(received.get()).startsWith("HTTP/1.1 200");

    await(socket.close());

    awaitCondition("disconnect counted",
        () -> value(registry, DISCONNECTS, "route", "/stream", "method", "GET") == 1, WAIT);
    assertThat(value(registry, IN_FLIGHT, "route", "/stream", "method", "GET")).isZero();
    assertThat(count(registry, DURATION, "route", "/stream", "method", "GET", "status", "200")).isZero();
    await(net.close());
  }

  /** An HTTP/2 client: prior knowledge (h2c straight away) or an HTTP/1.1 upgrade to h2c. */
  private HttpClient http2Client(boolean priorKnowledge) {
    return vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(!priorKnowledge)
        .setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  private static String http2Get(HttpClient h2, String uri) {
    // The body is asked for in the response's callback: data arriving before that is dropped.
    return await(h2.request(HttpMethod.GET, uri)
        .compose(HttpClientRequest::send)
        .compose(response -> response.body().map(body -> {
          assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
          assertThat(response.statusCode()).isEqualTo(200);
          return body.toString();
        })));
  }

  private void responsesEndedLaterAreMeasuredOverHttp2(boolean priorKnowledge) {
    HttpClient h2 = http2Client(priorKnowledge);
    try {
      assertThat(http2Get(h2, "/users/1")).isEqualTo("user 1");
      assertThat(http2Get(h2, "/later/1")).isEqualTo("later");
      assertThat(http2Get(h2, "/later/2")).isEqualTo("later");
    } finally {
      await(h2.close());
    }
    awaitCount(1, "route", "/users/:id", "method", "GET", "status", "200");
    awaitCount(2, "route", "/later/:id", "method", "GET", "status", "200");
    awaitCondition("0 in flight",
        () -> value(registry, IN_FLIGHT, "route", "/later/:id", "method", "GET") == 0, WAIT);
    assertThat(value(registry, DISCONNECTS, "route", "/later/:id", "method", "GET")).isZero();
    assertThat(value(registry, DISCONNECTS, "route", "/users/:id", "method", "GET")).isZero();
    HistogramDataPoint p = (HistogramDataPoint) Samples.exact(registry, DURATION,
        "route", "/later/:id", "method", "GET", "status", "200");
    assertThat(p.sum()).isGreaterThanOrEqualTo(2 * 0.015);
  }

  @Test
  void responseEndedAfterTheHandlerReturnedIsMeasuredOverHttp2PriorKnowledge() {
    responsesEndedLaterAreMeasuredOverHttp2(true);
  }

  @Test
  void responseEndedAfterTheHandlerReturnedIsMeasuredOverHttp2Upgrade() {
    responsesEndedLaterAreMeasuredOverHttp2(false);
  }

  @Test
  void http2StreamResetBeforeTheResponseIsCountedAsADisconnect() {
    HttpClient h2 = http2Client(true);
    try {
      HttpClientRequest request = await(h2.request(new RequestOptions().setURI("/hold/5")));
      await(request.end());
      awaitCondition("held", () -> value(registry, IN_FLIGHT, "route", "/hold/:id", "method", "GET") == 1, WAIT);

      await(request.reset());

      awaitCondition("disconnect counted",
          () -> value(registry, DISCONNECTS, "route", "/hold/:id", "method", "GET") == 1, WAIT);
      assertThat(value(registry, IN_FLIGHT, "route", "/hold/:id", "method", "GET")).isZero();
      // The application ends the response of the reset stream later: still no duration.
      held.poll().run();
      assertThat(http2Get(h2, "/users/2")).isEqualTo("user 2");
      awaitCount(1, "route", "/users/:id", "method", "GET", "status", "200");
      assertThat(count(registry, DURATION, "route", "/hold/:id", "method", "GET", "status", "200")).isZero();
      assertThat(value(registry, DISCONNECTS, "route", "/hold/:id", "method", "GET")).isEqualTo(1);
    } finally {
      await(h2.close());
    }
  }

  @Test
  void http2StreamResetMidResponseIsCountedAsADisconnect() {
    HttpClient h2 = http2Client(true);
    try {
      HttpClientRequest request = await(h2.request(new RequestOptions().setURI("/stream")));
      AtomicReference<String> received = new AtomicReference<>("");
      request.response().onSuccess(response ->
          response.handler(buf -> received.accumulateAndGet(buf.toString(), String::concat)));
      await(request.end());
      awaitCondition("first chunk", () -> received.get().contains("first chunk"), WAIT);

      await(request.reset());

      awaitCondition("disconnect counted",
          () -> value(registry, DISCONNECTS, "route", "/stream", "method", "GET") == 1, WAIT);
      assertThat(value(registry, IN_FLIGHT, "route", "/stream", "method", "GET")).isZero();
      assertThat(count(registry, DURATION, "route", "/stream", "method", "GET", "status", "200")).isZero();
    } finally {
      await(h2.close());
    }
  }

  @Test
  void http2ConnectionClosedBeforeTheResponseIsCountedAsADisconnect() {
    HttpClient h2 = http2Client(true);
    HttpClientRequest request = await(h2.request(new RequestOptions().setURI("/hold/6")));
    await(request.end());
    awaitCondition("held", () -> value(registry, IN_FLIGHT, "route", "/hold/:id", "method", "GET") == 1, WAIT);

    await(request.connection().close());

    awaitCondition("disconnect counted",
        () -> value(registry, DISCONNECTS, "route", "/hold/:id", "method", "GET") == 1, WAIT);
    assertThat(value(registry, IN_FLIGHT, "route", "/hold/:id", "method", "GET")).isZero();
    assertThat(count(registry, DURATION, "route", "/hold/:id", "method", "GET", "status", "200")).isZero();
    held.clear(); // the request's context is gone with the connection
    await(h2.close());
  }

  @Test
  void rerouteIsMeasuredOnce() {
    assertThat(get("/reroute").bodyAsString()).isEqualTo("exact");
    awaitCount(1, "route", "/exact", "method", "GET", "status", "200");
    assertThat(count(registry, DURATION, "route", "/reroute", "method", "GET", "status", "200")).isZero();
    assertThat(Samples.family(registry, DURATION).dataPoints()).hasSize(1);
  }

  @Test
  void durationCoversTheTimeTheHandlerTook() {
    for (int i = 0; i < 3; i++) {
      var f = client.get("/hold/" + i).send();
      awaitCondition("held", () -> !held.isEmpty(), WAIT);
      vertx.setTimer(50, t -> held.poll().run());
      await(f);
    }
    awaitCount(3, "route", "/hold/:id", "method", "GET", "status", "200");
    HistogramDataPoint p = (HistogramDataPoint) Samples.exact(registry, DURATION,
        "route", "/hold/:id", "method", "GET", "status", "200");
    assertThat(p.sum()).isGreaterThanOrEqualTo(3 * 0.045).isLessThan(3 * 5.0);
  }

  @Test
  void bodyHandlerRoutesKeepTheirTemplateAndFailuresInsideBodyHandlerRoutes() {
    MetricRegistry reg = new MetricRegistry();
    Router router = Router.router(vertx);
    router.route().handler(MetricsHandler.create(reg));
    router.route().handler(BodyHandler.create().setBodyLimit(16));
    router.post("/items/:id").handler(ctx -> ctx.end("got " + ctx.body().asString()));
    router.post("/items/:id/boom").handler(ctx -> {
      throw new IllegalStateException("boom (expected by the test)");
    });
    HttpServer s = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    try {
      WebClient c = WebClient.create(vertx);
      assertThat(await(c.post(s.actualPort(), "127.0.0.1", "/items/5").sendBuffer(Buffer.buffer("abc")))
          .bodyAsString()).isEqualTo("got abc");
      assertThat(await(c.post(s.actualPort(), "127.0.0.1", "/items/5/boom").sendBuffer(Buffer.buffer("x")))
          .statusCode()).isEqualTo(500);
      // BodyHandler refuses the body with 413 before the endpoint runs: still the endpoint's label
      assertThat(await(c.post(s.actualPort(), "127.0.0.1", "/items/6")
          .sendBuffer(Buffer.buffer("far more than sixteen bytes of body"))).statusCode()).isEqualTo(413);
      c.close();
      awaitCondition("3 requests", () -> count(reg, DURATION, "route", "/items/:id", "method", "POST", "status", "200") == 1
          && count(reg, DURATION, "route", "/items/:id/boom", "method", "POST", "status", "500") == 1
          && count(reg, DURATION, "route", "/items/:id", "method", "POST", "status", "413") == 1, WAIT);
      assertThat(value(reg, FAILURES, "route", "/items/:id/boom", "method", "POST", "reason", "exception"))
          .isEqualTo(1);
      assertThat(labelValues(reg, DURATION, "route")).doesNotContain("unmatched");
    } finally {
      await(s.close());
    }
  }

  @Test
  void inFlightMovesFromBodyHandlerToTheRouteOnceTheBodyHasArrived() {
    MetricRegistry reg = new MetricRegistry();
    Router router = Router.router(vertx);
    router.route().handler(MetricsHandler.create(reg));
    router.route().handler(BodyHandler.create());
    router.post("/slow-items/:id").handler(ctx -> {
      Context c = Vertx.currentContext();
      held.add(() -> c.runOnContext(v -> ctx.end("stored " + ctx.body().asString())));
    });
    HttpServer s = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    try {
      WebClient c = WebClient.create(vertx);
      var f1 = c.post(s.actualPort(), "127.0.0.1", "/slow-items/1").sendBuffer(Buffer.buffer("a"));
      var f2 = c.post(s.actualPort(), "127.0.0.1", "/slow-items/2").sendBuffer(Buffer.buffer("b"));
      awaitCondition("2 in flight on the route",
          () -> value(reg, IN_FLIGHT, "route", "/slow-items/:id", "method", "POST") == 2, WAIT);
      assertThat(value(reg, IN_FLIGHT, "route", "unmatched", "method", "POST")).isZero();
      Runnable r;
      while ((r = held.poll()) != null) {
        r.run();
      }
      assertThat(await(f1).bodyAsString()).isEqualTo("stored a");
      assertThat(await(f2).bodyAsString()).isEqualTo("stored b");
      awaitCondition("0 in flight",
          () -> value(reg, IN_FLIGHT, "route", "/slow-items/:id", "method", "POST") == 0
              && count(reg, DURATION, "route", "/slow-items/:id", "method", "POST", "status", "200") == 2, WAIT);
      assertThat(value(reg, IN_FLIGHT, "route", "unmatched", "method", "POST")).isZero();
      c.close();
    } finally {
      await(s.close());
    }
  }

  @Test
  void handlerMountedInASubRouterTooJoinsTheTemplatesAndCountsOnce() {
    MetricRegistry reg = new MetricRegistry();
    MetricsHandler metrics = MetricsHandler.create(reg);
    Router router = Router.router(vertx);
    router.route().handler(metrics);
    Router v2 = Router.router(vertx);
    v2.route().handler(metrics);
    v2.get("/items/:id").handler(ctx -> ctx.end("item"));
    v2.get("/boom/:id").handler(ctx -> {
      throw new IllegalStateException("boom (expected by the test)");
    });
    v2.get("/hold/:id").handler(ctx -> {
      Context c = Vertx.currentContext();
      held.add(() -> c.runOnContext(v -> ctx.end("released")));
    });
    router.route("/v2/*").subRouter(v2);
    HttpServer s = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    try {
      WebClient c = WebClient.create(vertx);
      await(c.get(s.actualPort(), "127.0.0.1", "/v2/items/7").send());
      assertThat(await(c.get(s.actualPort(), "127.0.0.1", "/v2/boom/7").send()).statusCode()).isEqualTo(500);
      var holding = c.get(s.actualPort(), "127.0.0.1", "/v2/hold/1").send();
      awaitCondition("held in the sub-router",
          () -> value(reg, IN_FLIGHT, "route", "/v2/hold/:id", "method", "GET") == 1, WAIT);
      held.poll().run();
      await(holding);
      awaitCondition("3 requests", () -> count(reg, DURATION, "route", "/v2/items/:id", "method", "GET", "status", "200") == 1
          && count(reg, DURATION, "route", "/v2/boom/:id", "method", "GET", "status", "500") == 1
          && count(reg, DURATION, "route", "/v2/hold/:id", "method", "GET", "status", "200") == 1, WAIT);
      assertThat(value(reg, FAILURES, "route", "/v2/boom/:id", "method", "GET", "reason", "exception"))
          .isEqualTo(1);
      assertThat(value(reg, IN_FLIGHT, "route", "/v2/hold/:id", "method", "GET")).isZero();
      long total = Samples.family(reg, DURATION).dataPoints().stream()
          .mapToLong(p -> ((HistogramDataPoint) p).count()).sum();
      assertThat(total).as("each request measured once").isEqualTo(3);
      c.close();
    } finally {
      await(s.close());
    }
  }

  @Test
  void namesLabelsAndSummaryAreConfigurable() {
    MetricRegistry reg = new MetricRegistry();
    Router router = Router.router(vertx);
    router.route().handler(MetricsHandler.builder(reg)
        .durationName("my_router_request_latency_seconds")
        .failuresName("my_router_request_exceptions_total")
        .disconnectsName("my_router_client_gone_total")
        .inFlightName("my_router_requests_in_progress")
        .routeLabel("path").statusLabel(null).methodLabel(null)
        .unmatchedRoute("NOT_FOUND")
        .summary(0.5, 0.99)
        .build());
    router.get("/foo").handler(ctx -> ctx.end("foo"));
    HttpServer s = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    try {
      WebClient c = WebClient.create(vertx);
      await(c.get(s.actualPort(), "127.0.0.1", "/foo").send());
      await(c.get(s.actualPort(), "127.0.0.1", "/bar").send());
      c.close();
      awaitCondition("2 requests", () -> count(reg, "my_router_request_latency_seconds", "path", "/foo") == 1
          && count(reg, "my_router_request_latency_seconds", "path", "NOT_FOUND") == 1, WAIT);
      assertThat(Samples.family(reg, "my_router_request_latency_seconds").type()).isEqualTo(MetricType.SUMMARY);
      assertThat(Samples.exact(reg, "my_router_request_exceptions", "path", "/foo", "reason", "exception"))
          .isNotNull();
      assertThat(Samples.exact(reg, "my_router_client_gone", "path", "/foo")).isNotNull();
      assertThat(Samples.exact(reg, "my_router_requests_in_progress", "path", "/foo")).isNotNull();
    } finally {
      await(s.close());
    }
  }

  @Test
  void badConfigurationIsRefusedWithAClearMessage() {
    MetricRegistry reg = new MetricRegistry();
    assertThatThrownBy(() -> MetricsHandler.builder(reg).durationName("bad name").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad name");
    assertThatThrownBy(() -> MetricsHandler.builder(reg).histogram(0.5, 0.1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increasing");
    assertThatThrownBy(() -> MetricsHandler.builder(reg).routeLabel("x").statusLabel("x").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ");
    assertThatThrownBy(() -> MetricsHandler.builder(reg).unmatchedRoute(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unmatchedRoute");
    assertThatThrownBy(() -> MetricsHandler.builder(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registry");
    // a build that fails half-way leaves nothing registered behind
    MetricRegistry clash = new MetricRegistry();
    io.rxprom.core.Counter.builder("http_server_request_failures_total").register(clash);
    assertThatThrownBy(() -> MetricsHandler.create(clash))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http_server_request_failures");
    MetricsHandler.builder(clash).failuresName("other_failures_total").build();
    assertThat(Samples.family(clash, DURATION).dataPoints()).isEmpty();
  }
}

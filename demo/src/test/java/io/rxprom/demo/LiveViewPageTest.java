package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.testing.Artifacts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live view's own logic, in a real browser, against a metrics endpoint whose numbers the test
 * controls: the text-format parser on tricky input, and the rate, error ratio, mean latency and
 * quantiles it derives, which must come out exactly.
 */
class LiveViewPageTest {

  private static Vertx vertx;
  private static HttpServer server;
  private static final AtomicInteger fetches = new AtomicInteger();
  private static final AtomicBoolean broken = new AtomicBoolean();
  private static HeadlessBrowser browser;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(LiveView.html()));
    router
        .get("/metrics")
        .handler(
            ctx -> {
              if (broken.get()) {
                ctx.response().setStatusCode(503).end("down");
              } else {
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metricsAfter(fetches.incrementAndGet()));
              }
            });
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    browser = HeadlessBrowser.launch(1200, 640);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * After {@code k} fetches: {@code /foo} has 10k requests, k errors, 0.5k seconds in total and
   * fixed quantiles; {@code /bar} 8k requests, 2k errors, 2k seconds, no quantiles. Route
   * {@code /foo} of the route handler: 10k requests in two series (status 200 and 500) of a
   * histogram, 7k of them up to 0.1 s and all up to 0.5 s, 2k seconds, 2k failures. The
   * process: 0.05k CPU seconds, 100 MiB resident, 50 MiB heap, 31 threads, and two event loops
   * whose delay checks are 19k up to 1 ms and 20k up to 10 ms.
   */
  static String metricsAfter(int k) {
    return """
        # HELP my_router_request_latency_seconds Latency of request router handlers
        # TYPE my_router_request_latency_seconds summary
        my_router_request_latency_seconds{path="/bar"} NaN
        my_router_request_latency_seconds_sum{path="/bar"} %s
        my_router_request_latency_seconds_count{path="/bar"} %d
        my_router_request_latency_seconds{path="/foo",quantile="0.5"} 0.04
        my_router_request_latency_seconds{path="/foo",quantile="0.9"} 0.09
        my_router_request_latency_seconds{path="/foo",quantile="0.99"} 0.2
        my_router_request_latency_seconds_sum{path="/foo"} %s
        my_router_request_latency_seconds_count{path="/foo"} %d
        # HELP my_router_request_exceptions_total Exceptions thrown in request router handlers
        # TYPE my_router_request_exceptions_total counter
        my_router_request_exceptions_total{path="/bar"} %d
        my_router_request_exceptions_total{path="/foo"} %d
        # TYPE http_server_request_duration_seconds histogram
        http_server_request_duration_seconds_bucket{route="/foo",method="GET",status="200",le="0.1"} %d
        http_server_request_duration_seconds_bucket{route="/foo",method="GET",status="200",le="0.5"} %d
        http_server_request_duration_seconds_bucket{route="/foo",method="GET",status="200",le="+Inf"} %d
        http_server_request_duration_seconds_sum{route="/foo",method="GET",status="200"} %s
        http_server_request_duration_seconds_count{route="/foo",method="GET",status="200"} %d
        http_server_request_duration_seconds_bucket{route="/foo",method="GET",status="500",le="0.1"} %d
        http_server_request_duration_seconds_bucket{route="/foo",method="GET",status="500",le="0.5"} %d
        http_server_request_duration_seconds_bucket{route="/foo",method="GET",status="500",le="+Inf"} %d
        http_server_request_duration_seconds_sum{route="/foo",method="GET",status="500"} %s
        http_server_request_duration_seconds_count{route="/foo",method="GET",status="500"} %d
        # TYPE http_server_request_failures_total counter
        http_server_request_failures_total{route="/foo",method="GET",reason="server_error"} %d
        # TYPE process_cpu_seconds_total counter
        process_cpu_seconds_total %s
        # TYPE process_resident_memory_bytes gauge
        process_resident_memory_bytes 1.048576e+08
        # TYPE jvm_memory_used_bytes gauge
        jvm_memory_used_bytes{area="heap"} 5.24288e+07
        jvm_memory_used_bytes{area="nonheap"} 1e+09
        # TYPE jvm_threads_current gauge
        jvm_threads_current 31
        # TYPE vertx_eventloop_delay_seconds histogram
        vertx_eventloop_delay_seconds_bucket{loop="a",le="0.001"} %d
        vertx_eventloop_delay_seconds_bucket{loop="a",le="0.01"} %d
        vertx_eventloop_delay_seconds_bucket{loop="a",le="+Inf"} %d
        vertx_eventloop_delay_seconds_bucket{loop="b",le="0.001"} %d
        vertx_eventloop_delay_seconds_bucket{loop="b",le="0.01"} %d
        vertx_eventloop_delay_seconds_bucket{loop="b",le="+Inf"} %d
        """
        .formatted(
            2.0 * k, 8 * k, 0.5 * k, 10 * k, 2 * k, k,
            6 * k, 8 * k, 8 * k, 1.6 * k, 8 * k,
            k, 2 * k, 2 * k, 0.4 * k, 2 * k,
            2 * k,
            0.05 * k,
            9 * k, 10 * k, 10 * k, 10 * k, 10 * k, 10 * k);
  }

  @Test
  void parserReadsEscapesSpecialValuesExemplarsAndTimestamps() {
    browser.navigate(base() + "/?interval=60000");
    String text =
        String.join(
            "\n",
            "# HELP a Help with \\\\ and \\n",
            "# TYPE a summary",
            "a{path=\"/x\\\"y\\\\z\\nw\",quantile=\"0.99\"} 1e-05 1700000000000",
            "b_total{le=\"+Inf\",} 3 # {trace_id=\"abc\"} 1 1.5",
            "c NaN",
            "d -Inf",
            "e{l=\"a,b}c\"} +Inf",
            "f 1.5e+06",
            "# EOF",
            "");
    Object parsed = browser.evaluate("JSON.stringify(rxpromLive.parseMetrics(" + Json.encode(text) + "))");
    JsonArray samples = new JsonArray((String) parsed);
    assertThat(samples.size()).isEqualTo(6);
    JsonObject a = samples.getJsonObject(0);
    assertThat(a.getString("name")).isEqualTo("a");
    assertThat(a.getJsonObject("labels").getString("path")).isEqualTo("/x\"y\\z\nw");
    assertThat(a.getJsonObject("labels").getString("quantile")).isEqualTo("0.99");
    assertThat(a.getDouble("value")).isEqualTo(1e-05);
    JsonObject b = samples.getJsonObject(1);
    assertThat(b.getString("name")).isEqualTo("b_total");
    assertThat(b.getJsonObject("labels").getMap()).containsOnlyKeys("le");
    assertThat(b.getDouble("value")).isEqualTo(3.0);
    // JSON has no NaN or infinities: JSON.stringify writes null, so check those in the page.
    assertThat(browser.evaluate("isNaN(rxpromLive.parseMetrics('c NaN\\n')[0].value)")).isEqualTo(true);
    assertThat(browser.evaluate("rxpromLive.parseMetrics('d -Inf\\n')[0].value === -Infinity")).isEqualTo(true);
    assertThat(samples.getJsonObject(4).getJsonObject("labels").getString("l")).isEqualTo("a,b}c");
    assertThat(samples.getJsonObject(5).getDouble("value")).isEqualTo(1.5e6);
  }

  @Test
  void bucketQuantileInterpolatesLikePrometheus() {
    browser.navigate(base() + "/?interval=60000");
    // 10 observations: 4 in (0, 0.1], 4 in (0.1, 0.5], 2 above 0.5.
    String buckets = "[[0.1, 4], [0.5, 8], [Infinity, 10]]";
    assertThat(num("rxpromLive.bucketQuantile(0.2, " + buckets + ")")).isCloseTo(0.05, within());
    assertThat(num("rxpromLive.bucketQuantile(0.6, " + buckets + ")")).isCloseTo(0.3, within());
    // In the +Inf bucket Prometheus answers the highest finite bound.
    assertThat(num("rxpromLive.bucketQuantile(0.99, " + buckets + ")")).isCloseTo(0.5, within());
  }

  @Test
  void showsRateErrorRatioMeanAndQuantilesPerPath() throws Exception {
    broken.set(false);
    browser.navigate(base() + "/?interval=250");
    browser.awaitTrue(
        "document.body.getAttribute('data-scrapes') >= 8"
            + " && document.querySelectorAll('#handlers tr[data-key]').length === 2",
        Duration.ofSeconds(20));
    String foo = "#handlers tr[data-key=\"/foo\"] ";
    String bar = "#handlers tr[data-key=\"/bar\"] ";
    String route = "#routes tr[data-key=\"/foo\"] ";
    String q50 = ".q[data-quantile=\"0.5\"]";
    String q90 = ".q[data-quantile=\"0.9\"]";
    String q99 = ".q[data-quantile=\"0.99\"]";
    // One read of the page: it re-renders every 250 ms, and numbers of two renders do not compare.
    Cells page =
        Cells.read(
            browser,
            foo + ".rate", foo + ".errors", foo + ".mean", foo + q50, foo + q99,
            bar + ".rate", bar + ".errors", bar + ".mean", bar + q50,
            route + ".rate", route + ".errors", route + ".mean", route + q50, route + q90, route + q99,
            "#routes h2", foo + ".rate-spark polyline",
            "[data-stat=cpu]", "[data-stat=rss]", "[data-stat=heap]", "[data-stat=threads]",
            "[data-stat=loop-delay]");

    assertThat(page.value(foo + ".rate")).isGreaterThan(0);
    // Same interval for both paths, so the rates' ratio is exactly the increments' ratio, 10:8.
    assertThat(page.value(foo + ".rate") / page.value(bar + ".rate")).isCloseTo(1.25, within());
    assertThat(page.value(foo + ".errors")).isCloseTo(0.10, within());
    assertThat(page.value(bar + ".errors")).isCloseTo(0.25, within());
    assertThat(page.value(foo + ".mean")).isCloseTo(0.05, within());
    assertThat(page.value(bar + ".mean")).isCloseTo(0.25, within());
    assertThat(page.value(foo + q99)).isEqualTo(0.2);
    assertThat(page.text(foo + ".errors")).isEqualTo("10.0%");
    assertThat(page.text(bar + ".errors")).isEqualTo("25.0%");
    assertThat(page.text(foo + ".mean")).isEqualTo("50.0ms");
    assertThat(page.text(bar + ".mean")).isEqualTo("250ms");
    assertThat(page.text(foo + q50)).isEqualTo("40.0ms");
    assertThat(page.text(bar + q50)).isEqualTo("–");
    // The route table sums the route's series over method and status, as sum by (route) does,
    // and takes quantiles from the summed buckets' increase, as histogram_quantile does.
    assertThat(page.value(route + ".rate") / page.value(foo + ".rate")).isCloseTo(1.0, within());
    assertThat(page.value(route + ".errors")).isCloseTo(0.20, within());
    assertThat(page.value(route + ".mean")).isCloseTo(0.2, within());
    assertThat(page.value(route + q50)).isCloseTo(0.1 * 5 / 7, within());
    assertThat(page.value(route + q90)).isCloseTo(0.1 + 0.4 * 2 / 3, within());
    assertThat(page.text(route + q99)).isEqualTo("487ms");
    assertThat(page.text("#routes h2")).contains("http_server_request_duration_seconds");
    assertThat(page.has(foo + ".rate-spark polyline")).isTrue();
    // The process cards: a counter's rate, gauges (heap only, not non-heap), a histogram's p99
    // over both loops.
    assertThat(page.value("[data-stat=cpu]") / page.value(foo + ".rate")).isCloseTo(0.005, within());
    assertThat(page.text("[data-stat=rss]")).isEqualTo("Resident memory100MiB");
    assertThat(page.text("[data-stat=heap]")).isEqualTo("Heap used50.0MiB");
    assertThat(page.text("[data-stat=threads]")).isEqualTo("Threads31");
    assertThat(page.value("[data-stat=loop-delay]")).isCloseTo(0.001 + 0.009 * 0.8, within());
    assertThat(page.text("[data-stat=loop-delay]")).isEqualTo("Event-loop delay p998.20ms");
    assertThat(browser.evaluate("document.getElementById('status').getAttribute('data-state')"))
        .isEqualTo("live");
    browser.screenshot(Artifacts.dir().resolve("live-view-synthetic.png"));

    broken.set(true);
    try {
      browser.awaitTrue(
          "document.getElementById('status').getAttribute('data-state') === 'down'",
          Duration.ofSeconds(10));
      assertThat(text("#error-box")).isEqualTo("Cannot read metrics: metrics answered HTTP 503");
    } finally {
      broken.set(false);
    }
    browser.awaitTrue(
        "document.getElementById('status').getAttribute('data-state') === 'live'", Duration.ofSeconds(10));
    assertThat(browser.evaluate("document.getElementById('error-box').getAttribute('data-shown')"))
        .isEqualTo("false");
  }

  private static String base() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private static String text(String selector) {
    return (String) browser.evaluate("document.querySelector('" + selector + "').textContent");
  }

  private static double num(String expression) {
    return ((Number) browser.evaluate(expression)).doubleValue();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}

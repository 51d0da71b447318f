package io.rxprom.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.CallbackMetric;
import io.rxprom.core.Counter;
import io.rxprom.core.Gauge;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.Summary;
import io.rxprom.testing.PythonParsers;
import io.rxprom.testing.PythonParsers.Family;
import io.rxprom.testing.PythonParsers.Sample;
import io.rxprom.testing.Pushgateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against a real Pushgateway 1.5: what it shows is exactly what was pushed. */
class PushgatewayClientTest {

  private static final Set<String> GATEWAY_OWN = Set.of("push_time_seconds", "push_failure_time_seconds");

  private static Pushgateway gateway;
  private static Vertx vertx;
  private static PushgatewayClient client;

  @BeforeAll
  static void start() {
    gateway = Pushgateway.start();
    vertx = Vertx.vertx();
    client = PushgatewayClient.create(vertx, PushgatewayOptions.builder(gateway.baseUrl()).build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      await(client.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static Throwable failure(Future<?> f) throws Exception {
    try {
      await(f);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the push to fail, it succeeded");
  }

  /** One sample as the test compares it: name and labels, and the value. */
  record Key(String name, Map<String, String> labels) {}

  /** What the gateway shows on {@code /metrics}, parsed by the Python client's parser. */
  private static List<Family> gatewayMetrics() {
    return PythonParsers.parse004(gateway.metricsText().getBytes(StandardCharsets.UTF_8));
  }

  /** The gateway's samples of one group (the grouping labels removed), without its own metrics. */
  private static Map<Key, Double> group(List<Family> shown, Map<String, String> groupLabels) {
    Map<Key, Double> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    for (Family f : shown) {
      for (Sample s : f.samples()) {
        if (GATEWAY_OWN.contains(s.name()) || !inGroup(s.labels(), groupLabels)) {
          continue;
        }
        Map<String, String> rest = new TreeMap<>(s.labels());
        rest.keySet().removeAll(groupLabels.keySet());
        rest.remove("instance");
        out.put(new Key(s.name(), rest), s.value());
      }
    }
    return out;
  }

  /** The group labels as the gateway stores them: an empty value is the same as no label. */
  private static boolean inGroup(Map<String, String> labels, Map<String, String> group) {
    for (Map.Entry<String, String> e : group.entrySet()) {
      if (!labels.getOrDefault(e.getKey(), "").equals(e.getValue())) {
        return false;
      }
    }
    return labels.getOrDefault("instance", "").equals(group.getOrDefault("instance", ""));
  }

  /** What the registry renders, parsed by the same parser. */
  private static Map<Key, Double> expected(MetricRegistry r) throws Exception {
    Map<Key, Double> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    byte[] body = PushgatewayClientImpl.render(r.scrape(), false).getBytes();
    for (Family f : PythonParsers.parse004(body)) {
      for (Sample s : f.samples()) {
        out.put(new Key(s.name(), new TreeMap<>(s.labels())), s.value());
      }
    }
    return out;
  }

  private static Map<String, String> types(List<Family> shown, Map<String, String> groupLabels) {
    Map<String, String> t = new HashMap<>();
    for (Family f : shown) {
      if (f.samples().stream().anyMatch(s -> inGroup(s.labels(), groupLabels))) {
        t.put(f.name(), f.type());
      }
    }
    return t;
  }

  private static Map<String, String> labels(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void pushShowsExactlyWhatWasPushedUnderAGroupingKeyThatNeedsBase64() throws Exception {
    MetricRegistry r = new MetricRegistry();
    Counter requests = Counter.builder("pg_requests").help("Requests.").labelNames("path").register(r);
    requests.labels("/foo").inc(3);
    requests.labels("/bar \"q\"").inc(0.5);
    Gauge.builder("pg_temperature_celsius").help("T.").register(r).set(-2.5);
    Histogram h = Histogram.builder("pg_latency_seconds").help("L.").buckets(0.1, 1).register(r);
    h.observe(0.05);
    h.observe(3);
    Summary s = Summary.builder("pg_size_bytes").help("S.").quantiles(0.5).register(r);
    s.observe(10);
    s.observe(30);

    Map<String, String> key = labels("route", "/a/b", "empty", "", "spaced", "x y", "host", "h:1", "u", "\u00e4 %");
    await(client.push(r, "rxprom/test", key));

    Map<String, String> group = new LinkedHashMap<>(key);
    group.put("job", "rxprom/test");
    List<Family> shown = gatewayMetrics();
    assertThat(group(shown, group)).isEqualTo(expected(r)).hasSizeGreaterThan(8);
    assertThat(types(shown, group)).containsEntry("pg_requests", "counter")
        .containsEntry("pg_temperature_celsius", "gauge")
        .containsEntry("pg_latency_seconds", "histogram")
        .containsEntry("pg_size_bytes", "summary");
    assertThat(pushTime(shown, group)).isPositive();
  }

  private static double pushTime(List<Family> shown, Map<String, String> group) {
    return shown.stream()
        .flatMap(f -> f.samples().stream())
        .filter(s -> s.name().equals("push_time_seconds") && inGroup(s.labels(), group))
        .mapToDouble(Sample::value).findFirst().orElse(-1);
  }

  @Test
  void pushAddReplacesSameNamedMetricsAndPushReplacesTheWholeGroup() throws Exception {
    Map<String, String> key = labels("instance", "i-1");
    Map<String, String> group = labels("job", "batch", "instance", "i-1");
    MetricRegistry first = new MetricRegistry();
    Gauge.builder("pg_a").register(first).set(1);
    Gauge.builder("pg_b").register(first).set(2);
    await(client.push(first, "batch", key));

    MetricRegistry second = new MetricRegistry();
    Gauge.builder("pg_b").register(second).set(20);
    Gauge.builder("pg_c").register(second).set(30);
    await(client.pushAdd(second, name -> name.startsWith("pg_"), "batch", key));
    Map<Key, Double> g = group(gatewayMetrics(), group);
    assertThat(g).containsEntry(new Key("pg_a", Map.of()), 1.0)
        .containsEntry(new Key("pg_b", Map.of()), 20.0)
        .containsEntry(new Key("pg_c", Map.of()), 30.0)
        .hasSize(3);

    await(client.push(second, name -> name.equals("pg_c"), "batch", key));
    assertThat(group(gatewayMetrics(), group)).containsExactly(Map.entry(new Key("pg_c", Map.of()), 30.0));
  }

  @Test
  void deleteRemovesOnlyTheGroupNamedByABase64GroupingKey() throws Exception {
    MetricRegistry r = new MetricRegistry();
    Gauge.builder("pg_deleted").register(r).set(1);
    Map<String, String> gone = labels("path", "/x/y", "e", "");
    Map<String, String> kept = labels("path", "x");
    await(client.push(r, "del", gone));
    await(client.push(r, "del", kept));
    Map<String, String> goneGroup = labels("job", "del", "path", "/x/y", "e", "");
    Map<String, String> keptGroup = labels("job", "del", "path", "x");
    assertThat(group(gatewayMetrics(), goneGroup)).containsEntry(new Key("pg_deleted", Map.of()), 1.0);

    await(client.delete("del", gone));
    List<Family> shown = gatewayMetrics();
    assertThat(group(shown, goneGroup)).isEmpty();
    assertThat(pushTime(shown, goneGroup)).isEqualTo(-1);
    assertThat(group(shown, keptGroup)).containsExactly(Map.entry(new Key("pg_deleted", Map.of()), 1.0));
  }

  @Test
  void aPushTheGatewayRejectsFailsWithItsMessage() throws Exception {
    MetricRegistry gauge = new MetricRegistry();
    Gauge.builder("pg_clash").register(gauge).set(1);
    MetricRegistry histogram = new MetricRegistry();
    Histogram.builder("pg_clash").buckets(1).register(histogram).observe(0.5);
    await(client.push(gauge, "clash", labels("g", "a")));

    Throwable t = failure(client.push(histogram, "clash", labels("g", "b/c")));
    assertThat(t).isInstanceOf(PushgatewayException.class);
    PushgatewayException e = (PushgatewayException) t;
    assertThat(e.kind()).isEqualTo(PushgatewayException.Kind.REJECTED);
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.responseBody()).contains("pg_clash");
    assertThat(e.getMessage()).contains("HTTP 400", "PUT /metrics/job/clash/g@base64/", e.responseBody());
  }

  @Test
  void gzipBodiesAreAccepted() throws Exception {
    PushgatewayClient gz = PushgatewayClient.create(vertx,
        PushgatewayOptions.builder(gateway.baseUrl()).gzip(true).build());
    try {
      MetricRegistry r = new MetricRegistry();
      Counter c = Counter.builder("pg_zipped").labelNames("i").register(r);
      for (int i = 0; i < 200; i++) {
        c.labels("value-" + i).inc(i);
      }
      assertThat(PushgatewayClientImpl.render(r.scrape(), true).length())
          .isLessThan(PushgatewayClientImpl.render(r.scrape(), false).length() / 3);
      await(gz.push(r, "gz", Map.of()));
      assertThat(group(gatewayMetrics(), labels("job", "gz"))).isEqualTo(expected(r));
    } finally {
      await(gz.close());
    }
  }

  @Test
  void aRefusedConnectionAndATimeoutAreDistinctFailures() throws Exception {
    MetricRegistry r = new MetricRegistry();
    Gauge.builder("pg_x").register(r).set(1);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    PushgatewayClient refused = PushgatewayClient.create(vertx,
        PushgatewayOptions.builder("127.0.0.1:" + closedPort).timeout(Duration.ofSeconds(5)).build());
    Throwable t1 = failure(refused.push(r, "j", Map.of()));
    assertThat(t1).isInstanceOf(PushgatewayException.class).hasMessageContaining("refused the connection")
        .hasMessageContaining("127.0.0.1:" + closedPort);
    assertThat(((PushgatewayException) t1).kind()).isEqualTo(PushgatewayException.Kind.CONNECTION_REFUSED);
    await(refused.close());

    // A server that accepts connections (the kernel does, through the backlog) but never answers.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      PushgatewayClient slow = PushgatewayClient.create(vertx,
          PushgatewayOptions.builder("http://127.0.0.1:" + silent.getLocalPort())
              .timeout(Duration.ofMillis(300)).build());
      long t0 = System.nanoTime();
      Throwable t2 = failure(slow.push(r, "j", Map.of()));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(t2).isInstanceOf(PushgatewayException.class).hasMessageContaining("within 300 ms");
      assertThat(((PushgatewayException) t2).kind()).isEqualTo(PushgatewayException.Kind.TIMEOUT);
      assertThat(ms).isBetween(250L, 10_000L);
      await(slow.close());
    }
  }

  @Test
  void thePusherPushesOnItsScheduleAndLogsAnOutageOnce() throws Exception {
    MetricRegistry r = new MetricRegistry();
    Gauge g = Gauge.builder("pusher_gauge").register(r);
    g.set(1);
    PushgatewayPusher pusher = PushgatewayPusher.builder(vertx, client, r, "rxprom-demo")
        .groupingKey(Map.of("instance", "host:8080")).interval(Duration.ofMillis(200)).build().start();
    awaitShown("pusher_gauge{instance=\"host:8080\",job=\"rxprom-demo\"} 1");
    g.set(2);
    awaitShown("pusher_gauge{instance=\"host:8080\",job=\"rxprom-demo\"} 2");
    await(pusher.stop());
    assertThat(pusher.pushes()).isGreaterThanOrEqualTo(2);
    assertThat(pusher.failures()).isZero();

    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord rec) {
        logged.add(rec);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger jul = Logger.getLogger(PushgatewayPusher.class.getName());
    jul.addHandler(capture);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    PushgatewayClient down = PushgatewayClient.create(vertx, PushgatewayOptions.builder("127.0.0.1:" + closedPort).build());
    PushgatewayPusher failing = PushgatewayPusher.builder(vertx, down, r, "j")
        .interval(Duration.ofMillis(50)).build().start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (failing.failures() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      await(failing.stop());
    } finally {
      jul.removeHandler(capture);
      await(down.close());
    }
    assertThat(failing.failures()).isGreaterThanOrEqualTo(5);
    assertThat(logged).singleElement()
        .satisfies(rec -> assertThat(new SimpleFormatter().formatMessage(rec))
            .contains("refused the connection"));
  }

  private static void awaitShown(String line) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!gateway.metricsText().contains(line)) {
      assertThat(System.nanoTime()).as("gateway shows " + line).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void theRegistryIsScrapedOnAWorkerNotOnTheCallersEventLoop() throws Exception {
    MetricRegistry r = new MetricRegistry();
    AtomicReference<String> scrapedOn = new AtomicReference<>();
    CallbackMetric.gauge("pg_thread_probe").callback(() -> {
      scrapedOn.set(Thread.currentThread().getName());
      return 1;
    }).register(r);
    CompletableFuture<String> caller = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      caller.complete(Thread.currentThread().getName());
      client.push(r, "threads", Map.of());
    });
    assertThat(caller.get(10, TimeUnit.SECONDS)).startsWith("vert.x-eventloop-thread");
    awaitShown("pg_thread_probe{instance=\"\",job=\"threads\"} 1");
    assertThat(scrapedOn.get()).startsWith("vert.x-worker-thread");
  }

  @Test
  void badArgumentsThrowAtOnceNamingTheRule() {
    MetricRegistry r = new MetricRegistry();
    assertThatThrownBy(() -> client.push(r, "", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("job must not be empty");
    assertThatThrownBy(() -> client.push(r, "j", Map.of("job", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'job'");
    assertThatThrownBy(() -> client.delete("j", Map.of("1bad", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'1bad'");
    assertThatThrownBy(() -> PushgatewayOptions.builder("ftp://h:1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http or https");
    assertThatThrownBy(() -> PushgatewayOptions.builder("http://h:1").timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
  }

  @Test
  void groupingKeyPathsEncodeAsTheGatewayExpects() {
    assertThat(PushgatewayClientImpl.path("j", Map.of())).isEqualTo("/metrics/job/j");
    assertThat(PushgatewayClientImpl.path("j", labels("a", "b.c-d_e~f", "instance", "h:1")))
        .isEqualTo("/metrics/job/j/a/b.c-d_e~f/instance/h:1");
    assertThat(PushgatewayClientImpl.path("a/b", labels("e", "", "s", "/")))
        .isEqualTo("/metrics/job@base64/YS9i/e@base64/=/s@base64/Lw==");
    // URL-safe alphabet: "??>" is Pz8+ in the standard one.
    assertThat(PushgatewayClientImpl.path("j", labels("q", "??>", "d", "..", "u", "\u00e4 %")))
        .isEqualTo("/metrics/job/j/q@base64/Pz8-/d@base64/Li4=/u@base64/w6QgJQ==");
    assertThat(PushgatewayOptions.builder("pg.example.org").build().url())
        .hasToString("http://pg.example.org:9091");
    assertThat(PushgatewayOptions.builder("https://pg.example.org/prefix/").build().url())
        .hasToString("https://pg.example.org:443/prefix");
  }
}

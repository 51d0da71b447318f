package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.Counter;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.Summary;
import io.rxprom.core.collectors.StandardCollectors;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.SummaryDataPoint;
import io.rxprom.vertx.VertxCollectors;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

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

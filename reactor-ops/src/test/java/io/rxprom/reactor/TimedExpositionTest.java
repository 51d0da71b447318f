package io.rxprom.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.Counter;
import io.rxprom.core.Gauge;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.Summary;
import io.rxprom.core.exposition.ExpositionFormat;
import io.rxprom.core.exposition.ExpositionWriter;
import io.rxprom.testing.Promtool;
import io.rxprom.testing.PythonParsers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Scrapes the registry after real pipelines and compares the whole exposition text; the body is
 * also checked by promtool and by the Python client's parsers.
 */
class TimedExpositionTest {

  private final MetricRegistry registry = new MetricRegistry();
  private final AtomicLong nanos = new AtomicLong();

  private String scrape(ExpositionWriter writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, registry.scrape(name -> !name.equals(MetricRegistry.OVERFLOW_METRIC)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void defaultsShapeAfterAPipeline() throws IOException {
    ReactorMetrics metrics = ReactorMetrics.builder(registry)
        .latency(Histogram.builder("app_request_duration_seconds")
            .help("Request latency.").labelNames("path", "outcome").buckets(0.1, 1))
        .errors(Counter.builder("app_request_errors_total").help("Request errors.").labelNames("path"))
        .inFlight(Gauge.builder("app_requests_in_flight").help("Requests in flight.").labelNames("path"))
        .clock(nanos::get)
        .build()
        .init("/foo");

    timedMono(metrics, "/foo", 250, Mono.just("ok"));
    timedMono(metrics, "/foo", 2000, Mono.error(new IOException("io")));
    timedMono(metrics, "/foo", 50, Mono.empty());

    String text = scrape(ExpositionWriter.of(ExpositionFormat.PROMETHEUS_TEXT_0_0_4));
    assertThat(text).isEqualTo(""
        + "# HELP app_request_duration_seconds Request latency.\n"
        + "# TYPE app_request_duration_seconds histogram\n"
        + "app_request_duration_seconds_bucket{path=\"/foo\",outcome=\"success\",le=\"0.1\"} 0\n"
        + "app_request_duration_seconds_bucket{path=\"/foo\",outcome=\"success\",le=\"1\"} 1\n"
        + "app_request_duration_seconds_bucket{path=\"/foo\",outcome=\"success\",le=\"+Inf\"} 1\n"
        + "app_request_duration_seconds_sum{path=\"/foo\",outcome=\"success\"} 0.25\n"
        + "app_request_duration_seconds_count{path=\"/foo\",outcome=\"success\"} 1\n"
        + "app_request_duration_seconds_bucket{path=\"/foo\",outcome=\"empty\",le=\"0.1\"} 1\n"
        + "app_request_duration_seconds_bucket{path=\"/foo\",outcome=\"empty\",le=\"1\"} 1\n"
        + "app_request_duration_seconds_bucket{path=\"/foo\",outcome=\"empty\",le=\"+Inf\"} 1\n"
        + "app_request_duration_seconds_sum{path=\"/foo\",outcome=\"empty\"} 0.05\n"
        + "app_request_duration_seconds_count{path=\"/foo\",outcome=\"empty\"} 1\n"
        + "app_request_duration_seconds_bucket{path=\"/foo\",outcome=\"error\",le=\"0.1\"} 0\n"
        + "app_request_duration_seconds_bucket{path=\"/foo\",outcome=\"error\",le=\"1\"} 0\n"
        + "app_request_duration_seconds_bucket{path=\"/foo\",outcome=\"error\",le=\"+Inf\"} 1\n"
        + "app_request_duration_seconds_sum{path=\"/foo\",outcome=\"error\"} 2\n"
        + "app_request_duration_seconds_count{path=\"/foo\",outcome=\"error\"} 1\n"
        + "app_request_duration_seconds_bucket{path=\"/foo\",outcome=\"cancelled\",le=\"0.1\"} 0\n"
        + "app_request_duration_seconds_bucket{path=\"/foo\",outcome=\"cancelled\",le=\"1\"} 0\n"
        + "app_request_duration_seconds_bucket{path=\"/foo\",outcome=\"cancelled\",le=\"+Inf\"} 0\n"
        + "app_request_duration_seconds_sum{path=\"/foo\",outcome=\"cancelled\"} 0\n"
        + "app_request_duration_seconds_count{path=\"/foo\",outcome=\"cancelled\"} 0\n"
        + "# HELP app_request_errors_total Request errors.\n"
        + "# TYPE app_request_errors_total counter\n"
        + "app_request_errors_total{path=\"/foo\"} 1\n"
        + "# HELP app_requests_in_flight Requests in flight.\n"
        + "# TYPE app_requests_in_flight gauge\n"
        + "app_requests_in_flight{path=\"/foo\"} 0\n");

    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    Promtool.Result lint = Promtool.checkMetrics(body);
    assertThat(lint.clean()).as(lint.output()).isTrue();
    assertThat(PythonParsers.parse004(body)).hasSize(3);
    byte[] om = scrape(ExpositionWriter.openMetrics(false)).getBytes(StandardCharsets.UTF_8);
    assertThat(PythonParsers.parseOpenMetrics(om)).hasSize(3);
  }

  @Test
  void theSeedsMetricsAfterAPipeline() {
    ReactorMetrics metrics = ReactorMetrics.builder(registry)
        .latency(Summary.builder("my_router_request_latency_seconds")
            .help("Latency of request router handlers").labelNames("path"))
        .errors(Counter.builder("my_router_request_exceptions_total")
            .help("Exceptions thrown in request router handlers").labelNames("path"))
        .clock(nanos::get)
        .build()
        .init("/foo", "/bar");

    timedMono(metrics, "/foo", 500, Mono.just(1));
    timedMono(metrics, "/foo", 1500, Mono.error(new IllegalStateException()));

    String text = scrape(ExpositionWriter.of(ExpositionFormat.PROMETHEUS_TEXT_0_0_4));
    assertThat(text).isEqualTo(""
        + "# HELP my_router_request_exceptions_total Exceptions thrown in request router handlers\n"
        + "# TYPE my_router_request_exceptions_total counter\n"
        + "my_router_request_exceptions_total{path=\"/foo\"} 1\n"
        + "my_router_request_exceptions_total{path=\"/bar\"} 0\n"
        + "# HELP my_router_request_latency_seconds Latency of request router handlers\n"
        + "# TYPE my_router_request_latency_seconds summary\n"
        + "my_router_request_latency_seconds_sum{path=\"/foo\"} 2\n"
        + "my_router_request_latency_seconds_count{path=\"/foo\"} 2\n"
        + "my_router_request_latency_seconds_sum{path=\"/bar\"} 0\n"
        + "my_router_request_latency_seconds_count{path=\"/bar\"} 0\n");
    Promtool.Result lint = Promtool.checkMetrics(text.getBytes(StandardCharsets.UTF_8));
    assertThat(lint.clean()).as(lint.output()).isTrue();
  }

  /** Subscribes, advances the manual clock by {@code millis}, then lets {@code end} finish it. */
  private void timedMono(ReactorMetrics metrics, String path, long millis, Mono<?> end) {
    Sinks.Empty<Void> gate = Sinks.empty();
    Mono<Object> m = gate.asMono().then(end.map(v -> (Object) v)).transform(metrics.timed(path));
    m.onErrorResume(e -> Mono.empty()).subscribe();
    nanos.addAndGet(millis * 1_000_000);
    gate.tryEmitEmpty();
  }
}

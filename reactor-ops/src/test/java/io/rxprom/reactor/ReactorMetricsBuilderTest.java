package io.rxprom.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.Counter;
import io.rxprom.core.Gauge;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.Summary;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The builder form: the seed's exact metrics, optional metrics and labels, and its checks. */
class ReactorMetricsBuilderTest {

  private final MetricRegistry registry = new MetricRegistry();
  private final AtomicLong nanos = new AtomicLong();

  private static MetricFamilySnapshot family(MetricRegistry r, String name) {
    return r.scrape(name::equals).families().stream().filter(f -> f.name().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no family " + name));
  }

  private static List<String> labelSets(MetricFamilySnapshot f) {
    return f.dataPoints().stream().map(p -> p.labels().toString()).collect(Collectors.toList());
  }

  private void advance(long millis) {
    nanos.addAndGet(millis * 1_000_000);
  }

  @Test
  void reproducesTheSeedsMetricsExactly() {
    ReactorMetrics metrics = ReactorMetrics.builder(registry)
        .latency(Summary.builder("my_router_request_latency_seconds")
            .help("Latency of request router handlers").labelNames("path"))
        .errors(Counter.builder("my_router_request_exceptions_total")
            .help("Exceptions thrown in request router handlers").labelNames("path"))
        .clock(nanos::get)
        .build()
        .init("/foo", "/bar");

    MetricFamilySnapshot latency = family(registry, "my_router_request_latency_seconds");
    MetricFamilySnapshot errors = family(registry, "my_router_request_exceptions");
    assertThat(latency.type()).isEqualTo(MetricType.SUMMARY);
    assertThat(errors.type()).isEqualTo(MetricType.COUNTER);
    assertThat(latency.help()).isEqualTo("Latency of request router handlers");
    assertThat(labelSets(latency)).containsExactly("{path=\"/foo\"}", "{path=\"/bar\"}");
    assertThat(labelSets(errors)).containsExactly("{path=\"/foo\"}", "{path=\"/bar\"}");
    assertThat(Fixture.count(registry, "my_router_request_latency_seconds", "path", "/foo")).isZero();

    // without an outcome label every outcome lands in the one series, as the seed's time() does
    Sinks.One<String> slow = Sinks.one();
    StepVerifier.create(slow.asMono().transform(metrics.timed("/foo")))
        .then(() -> { advance(1000); slow.tryEmitValue("ok"); }).expectNext("ok").verifyComplete();
    StepVerifier.create(Mono.never().transform(metrics.timed("/foo")))
        .then(() -> advance(2000)).thenCancel().verify();
    Sinks.Empty<Void> failing = Sinks.empty();
    StepVerifier.create(failing.asMono().transform(metrics.timed("/foo")))
        .then(() -> { advance(4000); failing.tryEmitError(new IOException()); })
        .expectError(IOException.class).verify();

    assertThat(Fixture.count(registry, "my_router_request_latency_seconds", "path", "/foo")).isEqualTo(3);
    assertThat(Fixture.sum(registry, "my_router_request_latency_seconds", "path", "/foo")).isEqualTo(7.0);
    assertThat(Fixture.value(registry, "my_router_request_exceptions", "path", "/foo")).isEqualTo(1);
    assertThat(labelSets(family(registry, "my_router_request_latency_seconds")))
        .containsExactly("{path=\"/foo\"}", "{path=\"/bar\"}");
  }

  @Test
  void initCreatesEveryOutcomeSeriesAtZero() {
    ReactorMetrics metrics = ReactorMetrics.defaults(registry).init("/foo");
    assertThat(labelSets(family(registry, ReactorMetrics.DEFAULT_LATENCY_NAME))).containsExactly(
        "{path=\"/foo\",outcome=\"success\"}", "{path=\"/foo\",outcome=\"empty\"}",
        "{path=\"/foo\",outcome=\"error\"}", "{path=\"/foo\",outcome=\"cancelled\"}");
    assertThat(labelSets(family(registry, "rxprom_reactor_exceptions")))
        .containsExactly("{path=\"/foo\"}");
    assertThat(metrics.timed("/foo")).isSameAs(metrics.timed("/foo"));
  }

  @Test
  void histogramLatencyPlacesObservationsInBuckets() {
    ReactorMetrics metrics = ReactorMetrics.builder(registry)
        .latency(Histogram.builder("h_seconds").help("h").labelNames("path").buckets(0.1, 1))
        .clock(nanos::get)
        .build();
    Sinks.One<Integer> s = Sinks.one();
    StepVerifier.create(s.asMono().transform(metrics.timed("/h")))
        .then(() -> { advance(500); s.tryEmitValue(1); }).expectNext(1).verifyComplete();

    HistogramDataPoint p = (HistogramDataPoint) Fixture.point(registry, "h_seconds", "path", "/h");
    assertThat(p.cumulativeCount(0)).isZero();
    assertThat(p.cumulativeCount(1)).isEqualTo(1);
    assertThat(p.sum()).isEqualTo(0.5);
  }

  @Test
  void exceptionLabelSeparatesErrorClasses() {
    ReactorMetrics metrics = ReactorMetrics.builder(registry)
        .errors(Counter.builder("errs_total").help("e").labelNames("path", "exception"))
        .build()
        .init("/e");
    assertThat(family(registry, "errs").dataPoints()).as("no class known before an error").isEmpty();

    for (Throwable t : List.of(new IOException(), new IOException(), new IllegalStateException(),
        new IOException(), new UncheckedIOException(new IOException()))) {
      StepVerifier.create(Mono.error(t).transform(metrics.timed("/e"))).expectError().verify();
    }
    assertThat(Fixture.value(registry, "errs", "path", "/e", "exception", "java.io.IOException")).isEqualTo(3);
    assertThat(Fixture.value(registry, "errs", "path", "/e", "exception", "java.lang.IllegalStateException"))
        .isEqualTo(1);
    assertThat(Fixture.value(registry, "errs", "path", "/e", "exception", "java.io.UncheckedIOException"))
        .isEqualTo(1);
  }

  @Test
  void extraLabelsTakeTheirValuesFromTimed() {
    ReactorMetrics metrics = ReactorMetrics.builder(registry)
        .extraLabelNames("method")
        .latency(Summary.builder("lat_seconds").help("l").labelNames("method", "path", "outcome"))
        .errors(Counter.builder("err_total").help("e").labelNames("path", "method"))
        .inFlight(Gauge.builder("busy").help("b")) // no label at all: one gauge for every path
        .build();

    StepVerifier.create(Mono.just(1).transform(metrics.timed("/foo", "GET"))).expectNext(1).verifyComplete();
    StepVerifier.create(Mono.error(new IOException()).transform(metrics.timed("/foo", "POST")))
        .expectError().verify();

    assertThat(Fixture.count(registry, "lat_seconds", "method", "GET", "path", "/foo", "outcome", "success"))
        .isEqualTo(1);
    assertThat(Fixture.count(registry, "lat_seconds", "method", "POST", "path", "/foo", "outcome", "error"))
        .isEqualTo(1);
    assertThat(Fixture.value(registry, "err", "path", "/foo", "method", "POST")).isEqualTo(1);
    assertThat(Fixture.value(registry, "err", "path", "/foo", "method", "GET")).isZero();
    assertThat(Fixture.value(registry, "busy")).isZero();
    assertThat(metrics.timed("/foo", "GET")).isSameAs(metrics.timed("/foo", "GET"));

    assertThatThrownBy(() -> metrics.timed("/foo"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[method]")
        .hasMessageContaining("timed(path, values...)");
    assertThatThrownBy(() -> metrics.init("/foo")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> metrics.timed("/foo", "GET", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 1");
    assertThatThrownBy(() -> metrics.timed("/foo", (String) null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'method' is null");
  }

  @Test
  void inFlightAndElementsAreOptional() {
    ReactorMetrics metrics = ReactorMetrics.builder(registry)
        .inFlight(Gauge.builder("in_flight").help("i").labelNames("path"))
        .elements(Counter.builder("elements_total").help("n").labelNames("path"))
        .build();
    Sinks.Many<Integer> s = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(s.asFlux().transform(metrics.timed("/s")))
        .then(() -> assertThat(Fixture.value(registry, "in_flight", "path", "/s")).isEqualTo(1))
        .then(() -> { s.tryEmitNext(1); s.tryEmitNext(2); })
        .expectNext(1, 2)
        .then(s::tryEmitComplete)
        .verifyComplete();
    StepVerifier.create(Mono.just(3).transform(metrics.timed("/s"))).expectNext(3).verifyComplete();

    assertThat(Fixture.value(registry, "in_flight", "path", "/s")).isZero();
    assertThat(Fixture.value(registry, "elements", "path", "/s")).as("a Mono's value counts one").isEqualTo(3);
    assertThat(registry.scrape().families()).extracting(MetricFamilySnapshot::name)
        .containsExactly("elements", "in_flight", "rxprom_cardinality_overflow");
  }

  @Test
  void rejectsBadConfigurationWithClearMessages() {
    assertThatThrownBy(() -> ReactorMetrics.builder(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registry is null");
    assertThatThrownBy(() -> ReactorMetrics.builder(registry).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> ReactorMetrics.builder(registry)
        .latency(Histogram.builder("l_seconds").help("l").labelNames("path", "route")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'l_seconds'").hasMessageContaining("label 'route'")
        .hasMessageContaining("extraLabelNames");
    assertThatThrownBy(() -> ReactorMetrics.builder(registry)
        .errors(Counter.builder("e_total").help("e").labelNames("path", "outcome")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 'outcome'");
    assertThatThrownBy(() -> ReactorMetrics.builder(registry)
        .latency(Summary.builder("l_seconds").help("l").labelNames("exception")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 'exception'");
    assertThatThrownBy(() -> ReactorMetrics.builder(registry).extraLabelNames("path"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'path'");
    assertThatThrownBy(() -> ReactorMetrics.builder(registry).extraLabelNames("a", "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> ReactorMetrics.builder(registry).extraLabelNames("bad-name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad-name'");
    assertThatThrownBy(() -> ReactorMetrics.builder(registry).extraLabelNames("__x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'__x'");
    assertThatThrownBy(() -> ReactorMetrics.builder(registry).extraLabelNames("unused")
        .errors(Counter.builder("e_total").help("e").labelNames("path")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'unused' is used by no metric");
    assertThatThrownBy(() -> ReactorMetrics.builder(registry).clock(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clock is null");
    assertThatThrownBy(() -> ReactorMetrics.builder(registry).latency((Summary.Builder) null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReactorMetrics.defaults(registry).timed(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path is null");
    assertThat(registry.scrape().families()).as("failed builds registered nothing")
        .extracting(MetricFamilySnapshot::name)
        .containsExactly("rxprom_cardinality_overflow", ReactorMetrics.DEFAULT_LATENCY_NAME,
            "rxprom_reactor_exceptions")
        .hasSize(3);
  }

  @Test
  void aFailedRegistrationIsUndone() {
    Counter.builder("taken_total").help("t").register(registry);
    assertThatThrownBy(() -> ReactorMetrics.builder(registry)
        .latency(Histogram.builder("mine_seconds").help("m").labelNames("path"))
        .errors(Counter.builder("taken_total").help("e").labelNames("path"))
        .build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taken");
    // mine_seconds was unregistered again, so it can be registered now
    ReactorMetrics ok = ReactorMetrics.builder(registry)
        .latency(Histogram.builder("mine_seconds").help("m").labelNames("path")).build();
    StepVerifier.create(Flux.range(1, 2).transform(ok.timed("/m"))).expectNextCount(2).verifyComplete();
    assertThat(Fixture.count(registry, "mine_seconds", "path", "/m")).isEqualTo(1);
    ReactorMetrics.defaults(registry).init("/x");
    assertThatThrownBy(() -> ReactorMetrics.defaults(registry))
        .as("the defaults twice on one registry clash").isInstanceOf(IllegalArgumentException.class);
  }
}

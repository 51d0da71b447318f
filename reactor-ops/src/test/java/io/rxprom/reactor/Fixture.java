package io.rxprom.reactor;

import io.rxprom.core.Counter;
import io.rxprom.core.Gauge;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.SummaryDataPoint;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A fresh registry with every optional metric on, and readers that go through the registry's
 * snapshots (the scrape path), never through the live children.
 */
final class Fixture {
  static final String LATENCY = "op_duration_seconds";
  static final String ERRORS = "op_errors";
  static final String IN_FLIGHT = "op_in_flight";
  static final String ELEMENTS = "op_elements";

  final MetricRegistry registry;
  final ReactorMetrics metrics;
  /** A manual clock in nanoseconds, used unless a clock is given. */
  final AtomicLong nanos = new AtomicLong();

  Fixture() {
    this(null);
  }

  Fixture(LongSupplier clock) {
    this.registry = new MetricRegistry();
    this.metrics = ReactorMetrics.builder(registry)
        .latency(Histogram.builder(LATENCY).help("Latency").labelNames("path", "outcome"))
        .errors(Counter.builder(ERRORS + "_total").help("Errors").labelNames("path"))
        .inFlight(Gauge.builder(IN_FLIGHT).help("In flight").labelNames("path"))
        .elements(Counter.builder(ELEMENTS + "_total").help("Elements").labelNames("path"))
        .clock(clock != null ? clock : nanos::get)
        .build();
  }

  void advanceMillis(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  static DataPointSnapshot point(MetricRegistry registry, String family, String... labels) {
    MetricFamilySnapshot f = registry.scrape(family::equals).families().stream()
        .filter(s -> s.name().equals(family)).findFirst()
        .orElseThrow(() -> new AssertionError("no family " + family));
    Labels wanted = Labels.of(labels);
    return f.dataPoints().stream().filter(p -> p.labels().equals(wanted)).findFirst()
        .orElse(null);
  }

  static long count(MetricRegistry registry, String family, String... labels) {
    DataPointSnapshot p = point(registry, family, labels);
    if (p == null) {
      return 0;
    }
    return p instanceof HistogramDataPoint h ? h.count() : ((SummaryDataPoint) p).count();
  }

  static double sum(MetricRegistry registry, String family, String... labels) {
    DataPointSnapshot p = point(registry, family, labels);
    if (p == null) {
      return 0;
    }
    return p instanceof HistogramDataPoint h ? h.sum() : ((SummaryDataPoint) p).sum();
  }

  static double value(MetricRegistry registry, String family, String... labels) {
    DataPointSnapshot p = point(registry, family, labels);
    if (p == null) {
      return 0;
    }
    return p instanceof CounterDataPoint c ? c.value() : ((GaugeDataPoint) p).value();
  }

  long count(String path, String outcome) {
    return count(registry, LATENCY, "path", path, "outcome", outcome);
  }

  double sum(String path, String outcome) {
    return sum(registry, LATENCY, "path", path, "outcome", outcome);
  }

  /** Measurements of every outcome. */
  long total(String path) {
    long n = 0;
    for (String o : TimedPath.OUTCOMES) {
      n += count(path, o);
    }
    return n;
  }

  double errors(String path) {
    return value(registry, ERRORS, "path", path);
  }

  double inFlight(String path) {
    return value(registry, IN_FLIGHT, "path", path);
  }

  double elements(String path) {
    return value(registry, ELEMENTS, "path", path);
  }
}

package io.rxprom.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rxprom.core.Counter;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The same set of series in every library, for the scrape benchmarks: 100 counter families and
 * 50 histogram families (twelve buckets, {@link Data#BOUNDS_SECONDS}), each with one label
 * ({@code path}); half the series are counters, half histograms. 1,000 series is 100 counters x
 * 5 label values and 50 histograms x 10 (about 7,500 lines in text 0.0.4, as in ANCHORS.md).
 * Values are random: counters get increments in [1, 100,000), each histogram series 20
 * observations, from fixed seeds, identical across libraries.
 */
final class ScrapeFixture {
  static final int COUNTER_FAMILIES = 100;
  static final int HISTOGRAM_FAMILIES = 50;
  static final int OBSERVATIONS_PER_SERIES = 20;
  static final double[] SECONDS = Data.seconds(Data.latenciesMillis(11));
  static final long[] NANOS = Data.nanos(Data.latenciesMillis(11));

  private ScrapeFixture() {}

  static int countersPerFamily(int series) {
    return series / 2 / COUNTER_FAMILIES;
  }

  static int histogramsPerFamily(int series) {
    return series / 2 / HISTOGRAM_FAMILIES;
  }

  static String counterName(int f) {
    return "app_requests_" + f;
  }

  static String histogramName(int f) {
    return "app_latency_" + f;
  }

  /** Visits every series in the same order with the same random values. */
  interface Visitor {
    void counter(int family, String path, long increment);

    void histogram(int family, String path, int firstObservation);
  }

  static void visit(int series, Visitor v) {
    if (series % (2 * COUNTER_FAMILIES) != 0 || series % (2 * HISTOGRAM_FAMILIES) != 0) {
      throw new IllegalArgumentException("series must be a multiple of 200, got " + series);
    }
    SplittableRandom r = new SplittableRandom(5);
    String[] paths = Data.paths(Math.max(countersPerFamily(series), histogramsPerFamily(series)));
    for (int f = 0; f < COUNTER_FAMILIES; f++) {
      for (int p = 0; p < countersPerFamily(series); p++) {
        v.counter(f, paths[p], 1 + r.nextLong(100_000));
      }
    }
    for (int f = 0; f < HISTOGRAM_FAMILIES; f++) {
      for (int p = 0; p < histogramsPerFamily(series); p++) {
        v.histogram(f, paths[p], r.nextInt(Data.SIZE));
      }
    }
  }

  static MetricRegistry rxprom(int series) {
    MetricRegistry registry = new MetricRegistry();
    Counter[] counters = new Counter[COUNTER_FAMILIES];
    for (int f = 0; f < COUNTER_FAMILIES; f++) {
      counters[f] = Counter.builder(counterName(f) + "_total")
          .help("Requests handled by handler " + f + ".").labelNames("path").register(registry);
    }
    Histogram[] histograms = new Histogram[HISTOGRAM_FAMILIES];
    for (int f = 0; f < HISTOGRAM_FAMILIES; f++) {
      histograms[f] = Histogram.builder(histogramName(f) + "_seconds")
          .help("Latency of handler " + f + ".").labelNames("path")
          .buckets(Data.BOUNDS_SECONDS).register(registry);
    }
    visit(series, new Visitor() {
      @Override
      public void counter(int family, String path, long increment) {
        counters[family].labels(path).inc(increment);
      }

      @Override
      public void histogram(int family, String path, int first) {
        Histogram.Child c = histograms[family].labels(path);
        for (int i = 0; i < OBSERVATIONS_PER_SERIES; i++) {
          c.observe(SECONDS[(first + i) & Data.MASK]);
        }
      }
    });
    return registry;
  }

  static PrometheusRegistry clientJava(int series) {
    PrometheusRegistry registry = new PrometheusRegistry();
    io.prometheus.metrics.core.metrics.Counter[] counters =
        new io.prometheus.metrics.core.metrics.Counter[COUNTER_FAMILIES];
    for (int f = 0; f < COUNTER_FAMILIES; f++) {
      counters[f] = io.prometheus.metrics.core.metrics.Counter.builder()
          .name(counterName(f) + "_total").help("Requests handled by handler " + f + ".")
          .labelNames("path").register(registry);
    }
    io.prometheus.metrics.core.metrics.Histogram[] histograms =
        new io.prometheus.metrics.core.metrics.Histogram[HISTOGRAM_FAMILIES];
    for (int f = 0; f < HISTOGRAM_FAMILIES; f++) {
      histograms[f] = io.prometheus.metrics.core.metrics.Histogram.builder()
          .name(histogramName(f) + "_seconds").help("Latency of handler " + f + ".")
          .labelNames("path").classicUpperBounds(Data.BOUNDS_SECONDS).classicOnly()
          .register(registry);
    }
    visit(series, new Visitor() {
      @Override
      public void counter(int family, String path, long increment) {
        counters[family].labelValues(path).inc(increment);
      }

      @Override
      public void histogram(int family, String path, int first) {
        io.prometheus.metrics.core.datapoints.DistributionDataPoint c =
            histograms[family].labelValues(path);
        for (int i = 0; i < OBSERVATIONS_PER_SERIES; i++) {
          c.observe(SECONDS[(first + i) & Data.MASK]);
        }
      }
    });
    return registry;
  }

  /**
   * Micrometer: counters and Timers with the same bounds as service-level objectives (a Timer
   * records whole nanoseconds, so its buckets are exact; it also exposes a {@code _max} gauge
   * per series, which is part of what Micrometer writes).
   */
  static PrometheusMeterRegistry micrometer(int series) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Duration[] slo = new Duration[Data.BOUNDS_SECONDS.length];
    for (int i = 0; i < slo.length; i++) {
      slo[i] = Duration.ofNanos(Math.round(Data.BOUNDS_SECONDS[i] * 1e9));
    }
    visit(series, new Visitor() {
      @Override
      public void counter(int family, String path, long increment) {
        io.micrometer.core.instrument.Counter.builder("app.requests." + family)
            .description("Requests handled by handler " + family + ".").tag("path", path)
            .register(registry).increment(increment);
      }

      @Override
      public void histogram(int family, String path, int first) {
        io.micrometer.core.instrument.Timer t =
            io.micrometer.core.instrument.Timer.builder("app.latency." + family)
                .description("Latency of handler " + family + ".").tag("path", path)
                .serviceLevelObjectives(slo).register(registry);
        for (int i = 0; i < OBSERVATIONS_PER_SERIES; i++) {
          t.record(NANOS[(first + i) & Data.MASK], TimeUnit.NANOSECONDS);
        }
      }
    });
    return registry;
  }
}

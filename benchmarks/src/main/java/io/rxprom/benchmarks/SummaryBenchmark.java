package io.rxprom.benchmarks;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.Summary;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Summary observe, shared by all benchmark threads: with the quantiles .5, .9 and .99 over each
 * library's default sliding window, and as a plain count and sum (the seed's {@code Summary}).
 *
 * <p>Quantile errors: rxprom 0.78% relative (fixed); client_java is given the usual targeted
 * errors (.5 ± .05, .9 ± .01, .99 ± .001, rank error); Micrometer and Dropwizard use their
 * defaults. Dropwizard's histogram (an exponentially decaying reservoir) is its only way to get
 * quantiles. Each {@code @Setup} checks on a scratch instance that the count is exact and that
 * the median is plausible (within a factor of two: a unit or wiring mistake, not an accuracy
 * test), and throws otherwise.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SummaryBenchmark {

  static final double[] MILLIS = Data.latenciesMillis(7);
  static final long[] NANOS = Data.nanos(MILLIS);
  static final double[] QUANTILES = {0.5, 0.9, 0.99};
  static final double EXACT_MEDIAN;

  static {
    double[] sorted = MILLIS.clone();
    java.util.Arrays.sort(sorted);
    EXACT_MEDIAN = sorted[sorted.length / 2 - 1];
  }

  static void check(String what, long count, double median) {
    if (count != MILLIS.length || !(median >= EXACT_MEDIAN / 2 && median <= EXACT_MEDIAN * 2)) {
      throw new IllegalStateException(
          what + ": count " + count + " (expected " + MILLIS.length + "), median " + median
              + " (exact " + EXACT_MEDIAN + ")");
    }
  }

  /** rxprom core. */
  @State(Scope.Benchmark)
  public static class Rxprom {
    Summary quantiles;
    Summary plain;

    static Summary create(String name, boolean withQuantiles) {
      Summary.Builder b = Summary.builder(name).help("Latency.");
      if (withQuantiles) {
        b.quantiles(QUANTILES);
      }
      return b.build();
    }

    @Setup
    public void setup() {
      Summary scratch = create("scratch", true);
      for (double v : MILLIS) {
        scratch.observe(v);
      }
      io.rxprom.core.snapshot.SummaryDataPoint p =
          (io.rxprom.core.snapshot.SummaryDataPoint) scratch.snapshot().dataPoints().get(0);
      check("rxprom", p.count(), p.quantileValue(0));
      MetricRegistry registry = new MetricRegistry();
      quantiles = create("latency_milliseconds", true);
      plain = create("plain_milliseconds", false);
      registry.register(quantiles);
      registry.register(plain);
    }
  }

  /** Prometheus client_java 1.x. */
  @State(Scope.Benchmark)
  public static class ClientJava {
    io.prometheus.metrics.core.metrics.Summary quantiles;
    io.prometheus.metrics.core.metrics.Summary plain;

    static io.prometheus.metrics.core.metrics.Summary create(String name, boolean withQuantiles) {
      io.prometheus.metrics.core.metrics.Summary.Builder b =
          io.prometheus.metrics.core.metrics.Summary.builder().name(name).help("Latency.");
      if (withQuantiles) {
        b.quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001);
      }
      return b.build();
    }

    @Setup
    public void setup() {
      io.prometheus.metrics.core.metrics.Summary scratch = create("scratch", true);
      for (double v : MILLIS) {
        scratch.observe(v);
      }
      io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot p =
          scratch.collect().getDataPoints().get(0);
      check("client_java", p.getCount(), p.getQuantiles().get(0).getValue());
      PrometheusRegistry registry = new PrometheusRegistry();
      quantiles = create("latency_milliseconds", true);
      plain = create("plain_milliseconds", false);
      registry.register(quantiles);
      registry.register(plain);
    }
  }

  /** Micrometer with its Prometheus registry. */
  @State(Scope.Benchmark)
  public static class Micrometer {
    DistributionSummary quantiles;
    DistributionSummary plain;

    static DistributionSummary create(PrometheusMeterRegistry r, String name, boolean withQ) {
      DistributionSummary.Builder b = DistributionSummary.builder(name).baseUnit("milliseconds");
      if (withQ) {
        b.publishPercentiles(QUANTILES);
      }
      return b.register(r);
    }

    @Setup
    public void setup() {
      DistributionSummary scratch =
          create(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), "scratch", true);
      for (double v : MILLIS) {
        scratch.record(v);
      }
      check("micrometer", scratch.count(), scratch.takeSnapshot().percentileValues()[0].value());
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      quantiles = create(registry, "latency", true);
      plain = create(registry, "plain", false);
    }
  }

  /** Dropwizard 4.2: a histogram over its default exponentially decaying reservoir. */
  @State(Scope.Benchmark)
  public static class Dropwizard {
    com.codahale.metrics.Histogram histogram;

    @Setup
    public void setup() {
      com.codahale.metrics.Histogram scratch =
          new com.codahale.metrics.MetricRegistry().histogram("scratch");
      for (long n : NANOS) {
        scratch.update(n);
      }
      check("dropwizard", scratch.getCount(), scratch.getSnapshot().getMedian() / 1e6);
      histogram = new com.codahale.metrics.MetricRegistry().histogram("latency");
    }
  }

  @Benchmark
  public void rxprom_quantiles(Rxprom s, Cursor c) {
    s.quantiles.observe(MILLIS[c.next()]);
  }

  @Benchmark
  public void clientJava_quantiles(ClientJava s, Cursor c) {
    s.quantiles.observe(MILLIS[c.next()]);
  }

  @Benchmark
  public void micrometer_quantiles(Micrometer s, Cursor c) {
    s.quantiles.record(MILLIS[c.next()]);
  }

  @Benchmark
  public void dropwizard_quantiles(Dropwizard s, Cursor c) {
    s.histogram.update(NANOS[c.next()]);
  }

  @Benchmark
  public void rxprom_plain(Rxprom s, Cursor c) {
    s.plain.observe(MILLIS[c.next()]);
  }

  @Benchmark
  public void clientJava_plain(ClientJava s, Cursor c) {
    s.plain.observe(MILLIS[c.next()]);
  }

  @Benchmark
  public void micrometer_plain(Micrometer s, Cursor c) {
    s.plain.record(MILLIS[c.next()]);
  }
}

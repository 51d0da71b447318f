package io.rxprom.benchmarks;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.snapshot.HistogramDataPoint;
import java.time.Duration;
import java.util.Arrays;
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
 * Histogram observe with the same twelve classic buckets ({@link Data#BOUNDS_MS}) in every
 * library, shared by all benchmark threads. Observations come from a pre-generated log-uniform
 * array that fills every bucket, so the bucket search is not branch-predictable.
 *
 * <p>Each state's {@code @Setup} first records the whole array into a scratch instance and
 * checks its bucket counts against the exact Prometheus placement (first bound {@code >=} the
 * value); it throws if they differ, so no library is measured doing something else.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HistogramBenchmark {

  static final double[] MILLIS = Data.latenciesMillis(42);
  static final long[] NANOS = Data.nanos(MILLIS);
  static final long[] EXPECTED_CUMULATIVE =
      Data.cumulative(Data.expectedCounts(Data.BOUNDS_MS, MILLIS));

  /** Throws unless {@code actual} (cumulative, +Inf last) equals the exact placement. */
  static void check(String what, long[] actualCumulative) {
    if (!Arrays.equals(EXPECTED_CUMULATIVE, actualCumulative)) {
      throw new IllegalStateException(
          what + ": bucket placement differs from the exact Prometheus placement:\n expected "
              + Arrays.toString(EXPECTED_CUMULATIVE) + "\n actual   "
              + Arrays.toString(actualCumulative));
    }
  }

  /** rxprom core. */
  @State(Scope.Benchmark)
  public static class Rxprom {
    Histogram histogram;

    static Histogram create() {
      return Histogram.builder("latency_milliseconds").help("Latency.")
          .buckets(Data.BOUNDS_MS).build();
    }

    @Setup
    public void setup() {
      Histogram scratch = create();
      for (double v : MILLIS) {
        scratch.observe(v);
      }
      HistogramDataPoint p = (HistogramDataPoint) scratch.snapshot().dataPoints().get(0);
      long[] actual = new long[p.bucketCount()];
      for (int i = 0; i < actual.length; i++) {
        actual[i] = p.cumulativeCount(i);
      }
      check("rxprom", actual);
      histogram = create();
      new MetricRegistry().register(histogram);
    }
  }

  /** Prometheus client_java 1.x: classic buckets only, and its default (classic + native). */
  @State(Scope.Benchmark)
  public static class ClientJava {
    io.prometheus.metrics.core.metrics.Histogram classicOnly;
    io.prometheus.metrics.core.metrics.Histogram classicAndNative;

    static io.prometheus.metrics.core.metrics.Histogram create(String name, boolean classicOnly) {
      io.prometheus.metrics.core.metrics.Histogram.Builder b =
          io.prometheus.metrics.core.metrics.Histogram.builder().name(name).help("Latency.")
              .classicUpperBounds(Data.BOUNDS_MS);
      if (classicOnly) {
        b.classicOnly();
      }
      return b.build();
    }

    static void verify(String what, io.prometheus.metrics.core.metrics.Histogram h) {
      for (double v : MILLIS) {
        h.observe(v);
      }
      ClassicHistogramBuckets b = h.collect().getDataPoints().get(0).getClassicBuckets();
      long[] actual = new long[b.size()];
      long running = 0;
      for (int i = 0; i < actual.length; i++) {
        running += b.getCount(i);
        actual[i] = running;
      }
      check(what, actual);
    }

    @Setup
    public void setup() {
      verify("client_java classicOnly", create("scratch", true));
      verify("client_java default", create("scratch", false));
      PrometheusRegistry registry = new PrometheusRegistry();
      classicOnly = create("latency_milliseconds", true);
      classicAndNative = create("latency2_milliseconds", false);
      registry.register(classicOnly);
      registry.register(classicAndNative);
    }
  }

  /**
   * Micrometer with its Prometheus registry: a DistributionSummary and a Timer with the same
   * bounds as service-level objectives (Micrometer's fixed buckets).
   */
  @State(Scope.Benchmark)
  public static class Micrometer {
    DistributionSummary summary;
    io.micrometer.core.instrument.Timer timer;

    static DistributionSummary summary(PrometheusMeterRegistry r) {
      return DistributionSummary.builder("latency").baseUnit("milliseconds")
          .serviceLevelObjectives(Data.BOUNDS_MS).register(r);
    }

    static io.micrometer.core.instrument.Timer timer(PrometheusMeterRegistry r) {
      Duration[] slo = new Duration[Data.BOUNDS_MS.length];
      for (int i = 0; i < slo.length; i++) {
        slo[i] = Duration.ofMillis((long) Data.BOUNDS_MS[i]);
      }
      return io.micrometer.core.instrument.Timer.builder("duration")
          .serviceLevelObjectives(slo).register(r);
    }

    static long[] cumulative(CountAtBucket[] buckets, long total) {
      long[] actual = new long[buckets.length + 1];
      for (int i = 0; i < buckets.length; i++) {
        actual[i] = (long) buckets[i].count();
      }
      actual[buckets.length] = total;
      return actual;
    }

    @Setup
    public void setup() {
      PrometheusMeterRegistry scratch = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      DistributionSummary s = summary(scratch);
      io.micrometer.core.instrument.Timer t = timer(scratch);
      for (int i = 0; i < MILLIS.length; i++) {
        s.record(MILLIS[i]);
        t.record(NANOS[i], TimeUnit.NANOSECONDS);
      }
      check("micrometer DistributionSummary",
          cumulative(s.takeSnapshot().histogramCounts(), s.count()));
      check("micrometer Timer", cumulative(t.takeSnapshot().histogramCounts(), t.count()));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      summary = summary(registry);
      timer = timer(registry);
    }
  }

  /** Dropwizard 4.2: a histogram has no buckets, only a sampling reservoir. */
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
      if (scratch.getCount() != NANOS.length) {
        throw new IllegalStateException("dropwizard: count " + scratch.getCount());
      }
      histogram = new com.codahale.metrics.MetricRegistry().histogram("latency");
    }
  }

  @Benchmark
  public void rxprom(Rxprom s, Cursor c) {
    s.histogram.observe(MILLIS[c.next()]);
  }

  @Benchmark
  public void clientJava_classicOnly(ClientJava s, Cursor c) {
    s.classicOnly.observe(MILLIS[c.next()]);
  }

  @Benchmark
  public void clientJava_default(ClientJava s, Cursor c) {
    s.classicAndNative.observe(MILLIS[c.next()]);
  }

  @Benchmark
  public void micrometer_distributionSummary(Micrometer s, Cursor c) {
    s.summary.record(MILLIS[c.next()]);
  }

  @Benchmark
  public void micrometer_timer(Micrometer s, Cursor c) {
    s.timer.record(NANOS[c.next()], TimeUnit.NANOSECONDS);
  }

  @Benchmark
  public void dropwizard(Dropwizard s, Cursor c) {
    s.histogram.update(NANOS[c.next()]);
  }
}

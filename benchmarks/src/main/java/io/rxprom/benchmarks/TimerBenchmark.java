package io.rxprom.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.Summary;
import io.rxprom.core.Timer;
import java.time.Duration;
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
 * Timer-style recording: start a timer, stop it, record the elapsed seconds, into a histogram
 * with twelve buckets ({@link Data#BOUNDS_SECONDS}) and into a plain count/sum summary (the
 * seed's {@code with latency.labels(...).time()}). The floor is the two clock reads alone; on
 * this VM ({@code kvm-clock}) they are a large part of every figure.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TimerBenchmark {

  /** rxprom core. */
  @State(Scope.Benchmark)
  public static class Rxprom {
    Histogram.Child histogram;
    Summary.Child summary;

    @Setup
    public void setup() {
      MetricRegistry registry = new MetricRegistry();
      histogram = Histogram.builder("duration_seconds").help("Duration.").labelNames("path")
          .buckets(Data.BOUNDS_SECONDS).register(registry).labels("/foo");
      summary = Summary.builder("latency_seconds").help("Latency.").labelNames("path")
          .register(registry).labels("/foo");
    }
  }

  /** Prometheus client_java 1.x. */
  @State(Scope.Benchmark)
  public static class ClientJava {
    io.prometheus.metrics.core.datapoints.DistributionDataPoint histogram;
    io.prometheus.metrics.core.datapoints.DistributionDataPoint summary;

    @Setup
    public void setup() {
      PrometheusRegistry registry = new PrometheusRegistry();
      histogram = io.prometheus.metrics.core.metrics.Histogram.builder().name("duration_seconds")
          .help("Duration.").labelNames("path").classicUpperBounds(Data.BOUNDS_SECONDS)
          .classicOnly().register(registry).labelValues("/foo");
      summary = io.prometheus.metrics.core.metrics.Summary.builder().name("latency_seconds")
          .help("Latency.").labelNames("path").register(registry).labelValues("/foo");
    }
  }

  /** Micrometer with its Prometheus registry. */
  @State(Scope.Benchmark)
  public static class Micrometer {
    PrometheusMeterRegistry registry;
    io.micrometer.core.instrument.Timer histogram;
    io.micrometer.core.instrument.Timer plain;

    @Setup
    public void setup() {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Duration[] slo = new Duration[Data.BOUNDS_SECONDS.length];
      for (int i = 0; i < slo.length; i++) {
        slo[i] = Duration.ofNanos(Math.round(Data.BOUNDS_SECONDS[i] * 1e9));
      }
      histogram = io.micrometer.core.instrument.Timer.builder("duration").tag("path", "/foo")
          .serviceLevelObjectives(slo).register(registry);
      plain = io.micrometer.core.instrument.Timer.builder("latency").tag("path", "/foo")
          .register(registry);
    }
  }

  /** Dropwizard 4.2: a Timer (a reservoir histogram and a meter). */
  @State(Scope.Benchmark)
  public static class Dropwizard {
    com.codahale.metrics.Timer timer;

    @Setup
    public void setup() {
      timer = new com.codahale.metrics.MetricRegistry().timer("latency");
    }
  }

  @Benchmark
  public long bare_twoClockReads() {
    long start = System.nanoTime();
    return System.nanoTime() - start;
  }

  @Benchmark
  public double rxprom_histogram(Rxprom s) {
    Timer t = s.histogram.startTimer();
    return t.observeDuration();
  }

  @Benchmark
  public double rxprom_summary(Rxprom s) {
    Timer t = s.summary.startTimer();
    return t.observeDuration();
  }

  @Benchmark
  public double clientJava_histogram(ClientJava s) {
    io.prometheus.metrics.core.datapoints.Timer t = s.histogram.startTimer();
    return t.observeDuration();
  }

  @Benchmark
  public double clientJava_summary(ClientJava s) {
    io.prometheus.metrics.core.datapoints.Timer t = s.summary.startTimer();
    return t.observeDuration();
  }

  @Benchmark
  public long micrometer_histogram(Micrometer s) {
    io.micrometer.core.instrument.Timer.Sample sample =
        io.micrometer.core.instrument.Timer.start(s.registry);
    return sample.stop(s.histogram);
  }

  @Benchmark
  public long micrometer_plain(Micrometer s) {
    io.micrometer.core.instrument.Timer.Sample sample =
        io.micrometer.core.instrument.Timer.start(s.registry);
    return sample.stop(s.plain);
  }

  @Benchmark
  public long dropwizard_timer(Dropwizard s) {
    return s.timer.time().stop();
  }
}

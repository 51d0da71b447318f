package io.rxprom.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rxprom.core.Counter;
import io.rxprom.core.MetricRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * Counter increment: without labels, on a cached child, and with a labels lookup on every call.
 * Every library's counter is shared by all benchmark threads (run with {@code -t 1} and {@code
 * -t 2}); a bare {@link LongAdder} is the floor.
 *
 * <p>Lookups rotate over {@value #PATHS} existing label values. Dropwizard has no labels: its
 * lookup is {@code registry.counter(name)} with the label value baked into the name.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CounterBenchmark {

  static final int PATHS = 8; // a power of two: index with a mask

  /** The floor: one {@link LongAdder}. */
  @State(Scope.Benchmark)
  public static class Bare {
    final LongAdder adder = new LongAdder();
  }

  /** rxprom core. */
  @State(Scope.Benchmark)
  public static class Rxprom {
    Counter plain;
    Counter labelled;
    Counter.Child child;
    String[] paths;

    @Setup
    public void setup() {
      MetricRegistry registry = new MetricRegistry();
      plain = Counter.builder("requests_total").help("Requests.").register(registry);
      labelled = Counter.builder("labelled_requests_total").help("Requests.")
          .labelNames("path").register(registry);
      paths = Data.paths(PATHS);
      for (String p : paths) {
        labelled.labels(p);
      }
      child = labelled.labels(paths[0]);
    }
  }

  /** Prometheus client_java 1.x ({@code prometheus-metrics-core}). */
  @State(Scope.Benchmark)
  public static class ClientJava {
    io.prometheus.metrics.core.metrics.Counter plain;
    io.prometheus.metrics.core.metrics.Counter labelled;
    CounterDataPoint child;
    String[] paths;

    @Setup
    public void setup() {
      PrometheusRegistry registry = new PrometheusRegistry();
      plain = io.prometheus.metrics.core.metrics.Counter.builder().name("requests_total")
          .help("Requests.").register(registry);
      labelled = io.prometheus.metrics.core.metrics.Counter.builder()
          .name("labelled_requests_total").help("Requests.").labelNames("path").register(registry);
      paths = Data.paths(PATHS);
      for (String p : paths) {
        labelled.labelValues(p);
      }
      child = labelled.labelValues(paths[0]);
    }
  }

  /** Micrometer with its Prometheus registry. A Micrometer counter is its own cached child. */
  @State(Scope.Benchmark)
  public static class Micrometer {
    PrometheusMeterRegistry registry;
    io.micrometer.core.instrument.Counter plain;
    io.micrometer.core.instrument.Counter child;
    String[] paths;

    @Setup
    public void setup() {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      plain = registry.counter("requests");
      paths = Data.paths(PATHS);
      for (String p : paths) {
        registry.counter("labelled.requests", "path", p);
      }
      child = registry.counter("labelled.requests", "path", paths[0]);
    }
  }

  /** Dropwizard metrics-core 4.2: no labels; a lookup is by full name. */
  @State(Scope.Benchmark)
  public static class Dropwizard {
    com.codahale.metrics.MetricRegistry registry;
    com.codahale.metrics.Counter plain;
    String[] names;

    @Setup
    public void setup() {
      registry = new com.codahale.metrics.MetricRegistry();
      plain = registry.counter("requests");
      names = new String[PATHS];
      String[] paths = Data.paths(PATHS);
      for (int i = 0; i < PATHS; i++) {
        names[i] = "requests." + paths[i];
        registry.counter(names[i]);
      }
    }
  }

  @Benchmark
  public void bare_longAdder(Bare s) {
    s.adder.increment();
  }

  @Benchmark
  public void rxprom_noLabels(Rxprom s) {
    s.plain.inc();
  }

  @Benchmark
  public void rxprom_cachedChild(Rxprom s) {
    s.child.inc();
  }

  @Benchmark
  public void rxprom_labelsLookup(Rxprom s, Cursor c) {
    s.labelled.labels(s.paths[c.next() & (PATHS - 1)]).inc();
  }

  @Benchmark
  public void clientJava_noLabels(ClientJava s) {
    s.plain.inc();
  }

  @Benchmark
  public void clientJava_cachedChild(ClientJava s) {
    s.child.inc();
  }

  @Benchmark
  public void clientJava_labelsLookup(ClientJava s, Cursor c) {
    s.labelled.labelValues(s.paths[c.next() & (PATHS - 1)]).inc();
  }

  @Benchmark
  public void micrometer_noLabels(Micrometer s) {
    s.plain.increment();
  }

  @Benchmark
  public void micrometer_cachedChild(Micrometer s) {
    s.child.increment();
  }

  @Benchmark
  public void micrometer_labelsLookup(Micrometer s, Cursor c) {
    s.registry.counter("labelled.requests", "path", s.paths[c.next() & (PATHS - 1)]).increment();
  }

  @Benchmark
  public void dropwizard_noLabels(Dropwizard s) {
    s.plain.inc();
  }

  @Benchmark
  public void dropwizard_nameLookup(Dropwizard s, Cursor c) {
    s.registry.counter(s.names[c.next() & (PATHS - 1)]).inc();
  }
}

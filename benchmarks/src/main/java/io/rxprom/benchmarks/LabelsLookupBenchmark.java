package io.rxprom.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rxprom.core.Counter;
import io.rxprom.core.MetricRegistry;
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
 * Looking up an existing child by one, two and three label values, without recording: rxprom's
 * {@code labels(...)}, client_java's {@code labelValues(...)} and Micrometer's {@code
 * registry.counter(name, tags...)}. Each family holds {@value #TUPLES} children; each call
 * picks one of them from a pre-generated random sequence. The target for rxprom is 0 B/op
 * ({@code -prof gc}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LabelsLookupBenchmark {

  static final int TUPLES = 64; // a power of two
  static final int PER_LABEL = 4; // 4 x 4 x 4 = 64 children for three labels

  /** Label value tuples of every arity, shared by all libraries, in random order. */
  @State(Scope.Benchmark)
  public static class Tuples {
    final String[][] one = new String[TUPLES][];
    final String[][] two = new String[TUPLES][];
    final String[][] three = new String[TUPLES][];

    @Setup
    public void setup() {
      String[] paths = Data.paths(TUPLES);
      String[] methods = {"GET", "POST", "PUT", "DELETE"};
      String[] statuses = {"200", "404", "500", "503"};
      java.util.SplittableRandom r = new java.util.SplittableRandom(3);
      for (int i = 0; i < TUPLES; i++) {
        int a = r.nextInt(PER_LABEL);
        int b = r.nextInt(PER_LABEL);
        int d = r.nextInt(PER_LABEL);
        one[i] = new String[] {paths[r.nextInt(TUPLES)]};
        two[i] = new String[] {paths[a], methods[b]};
        three[i] = new String[] {paths[a], methods[b], statuses[d]};
      }
    }
  }

  /** rxprom core. */
  @State(Scope.Benchmark)
  public static class Rxprom {
    Counter one;
    Counter two;
    Counter three;

    @Setup
    public void setup(Tuples t) {
      MetricRegistry registry = new MetricRegistry();
      one = Counter.builder("one_total").labelNames("path").register(registry);
      two = Counter.builder("two_total").labelNames("path", "method").register(registry);
      three = Counter.builder("three_total").labelNames("path", "method", "status")
          .register(registry);
      for (int i = 0; i < TUPLES; i++) {
        one.labels(t.one[i]);
        two.labels(t.two[i]);
        three.labels(t.three[i]);
      }
    }
  }

  /** Prometheus client_java 1.x. */
  @State(Scope.Benchmark)
  public static class ClientJava {
    io.prometheus.metrics.core.metrics.Counter one;
    io.prometheus.metrics.core.metrics.Counter two;
    io.prometheus.metrics.core.metrics.Counter three;

    @Setup
    public void setup(Tuples t) {
      PrometheusRegistry registry = new PrometheusRegistry();
      one = io.prometheus.metrics.core.metrics.Counter.builder().name("one_total")
          .labelNames("path").register(registry);
      two = io.prometheus.metrics.core.metrics.Counter.builder().name("two_total")
          .labelNames("path", "method").register(registry);
      three = io.prometheus.metrics.core.metrics.Counter.builder().name("three_total")
          .labelNames("path", "method", "status").register(registry);
      for (int i = 0; i < TUPLES; i++) {
        one.labelValues(t.one[i]);
        two.labelValues(t.two[i]);
        three.labelValues(t.three[i]);
      }
    }
  }

  /** Micrometer with its Prometheus registry: a lookup is {@code registry.counter(name, tags)}. */
  @State(Scope.Benchmark)
  public static class Micrometer {
    PrometheusMeterRegistry registry;

    @Setup
    public void setup(Tuples t) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      for (int i = 0; i < TUPLES; i++) {
        registry.counter("one", "path", t.one[i][0]);
        registry.counter("two", "path", t.two[i][0], "method", t.two[i][1]);
        registry.counter("three", "path", t.three[i][0], "method", t.three[i][1],
            "status", t.three[i][2]);
      }
    }
  }

  @Benchmark
  public Object rxprom_1(Rxprom s, Tuples t, Cursor c) {
    String[] v = t.one[c.next() & (TUPLES - 1)];
    return s.one.labels(v[0]);
  }

  @Benchmark
  public Object rxprom_2(Rxprom s, Tuples t, Cursor c) {
    String[] v = t.two[c.next() & (TUPLES - 1)];
    return s.two.labels(v[0], v[1]);
  }

  @Benchmark
  public Object rxprom_3(Rxprom s, Tuples t, Cursor c) {
    String[] v = t.three[c.next() & (TUPLES - 1)];
    return s.three.labels(v[0], v[1], v[2]);
  }

  @Benchmark
  public Object clientJava_1(ClientJava s, Tuples t, Cursor c) {
    String[] v = t.one[c.next() & (TUPLES - 1)];
    return s.one.labelValues(v[0]);
  }

  @Benchmark
  public Object clientJava_2(ClientJava s, Tuples t, Cursor c) {
    String[] v = t.two[c.next() & (TUPLES - 1)];
    return s.two.labelValues(v[0], v[1]);
  }

  @Benchmark
  public Object clientJava_3(ClientJava s, Tuples t, Cursor c) {
    String[] v = t.three[c.next() & (TUPLES - 1)];
    return s.three.labelValues(v[0], v[1], v[2]);
  }

  @Benchmark
  public Object micrometer_1(Micrometer s, Tuples t, Cursor c) {
    String[] v = t.one[c.next() & (TUPLES - 1)];
    return s.registry.counter("one", "path", v[0]);
  }

  @Benchmark
  public Object micrometer_2(Micrometer s, Tuples t, Cursor c) {
    String[] v = t.two[c.next() & (TUPLES - 1)];
    return s.registry.counter("two", "path", v[0], "method", v[1]);
  }

  @Benchmark
  public Object micrometer_3(Micrometer s, Tuples t, Cursor c) {
    String[] v = t.three[c.next() & (TUPLES - 1)];
    return s.registry.counter("three", "path", v[0], "method", v[1], "status", v[2]);
  }
}

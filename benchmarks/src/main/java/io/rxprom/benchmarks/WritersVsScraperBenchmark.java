package io.rxprom.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rxprom.core.Counter;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.exposition.ExpositionFormat;
import io.rxprom.core.exposition.ExpositionWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Do scrapes slow the writers? One writer thread records into a hot histogram series and a
 * hot counter series (random observations) of a registry that also holds the 1,000-series
 * {@link ScrapeFixture}; in {@code <library>_alone} nothing else runs, in the group {@code
 * <library>_scraped} a second thread scrapes the whole registry back to back into text 0.0.4
 * (a worst case: Prometheus scrapes every few seconds, not continuously). Compare the writer's
 * ns/op in both. This machine has two cores, so writer and scraper each have one.
 *
 * <p>Run without {@code -t}: the thread counts are fixed by {@code @Threads} and
 * {@code @GroupThreads}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class WritersVsScraperBenchmark {

  static final double[] SECONDS = Data.seconds(Data.latenciesMillis(13));
  static final long[] NANOS = Data.nanos(Data.latenciesMillis(13));

  /** The scraper's reusable sink; one per thread. */
  @State(Scope.Thread)
  public static class Sink {
    final ReusableBuffer out = new ReusableBuffer(1 << 20);
  }

  /** rxprom core and its 0.0.4 writer. */
  @State(Scope.Benchmark)
  public static class Rxprom {
    MetricRegistry registry;
    Histogram.Child histogram;
    Counter.Child counter;
    ExpositionWriter writer;

    @Setup
    public void setup() {
      registry = ScrapeFixture.rxprom(1000);
      histogram = Histogram.builder("hot_latency_seconds").help("Hot.").labelNames("path")
          .buckets(Data.BOUNDS_SECONDS).register(registry).labels("/hot");
      counter = Counter.builder("hot_requests_total").help("Hot.").labelNames("path")
          .register(registry).labels("/hot");
      writer = ExpositionWriter.of(ExpositionFormat.PROMETHEUS_TEXT_0_0_4);
    }
  }

  /** Prometheus client_java 1.x and its 0.0.4 writer. */
  @State(Scope.Benchmark)
  public static class ClientJava {
    PrometheusRegistry registry;
    io.prometheus.metrics.core.datapoints.DistributionDataPoint histogram;
    io.prometheus.metrics.core.datapoints.CounterDataPoint counter;
    PrometheusTextFormatWriter writer;

    @Setup
    public void setup() {
      registry = ScrapeFixture.clientJava(1000);
      histogram = io.prometheus.metrics.core.metrics.Histogram.builder()
          .name("hot_latency_seconds").help("Hot.").labelNames("path")
          .classicUpperBounds(Data.BOUNDS_SECONDS).classicOnly().register(registry)
          .labelValues("/hot");
      counter = io.prometheus.metrics.core.metrics.Counter.builder().name("hot_requests_total")
          .help("Hot.").labelNames("path").register(registry).labelValues("/hot");
      writer = PrometheusTextFormatWriter.create();
    }
  }

  /** Micrometer with its Prometheus registry (a Timer with the same bounds, a counter). */
  @State(Scope.Benchmark)
  public static class Micrometer {
    PrometheusMeterRegistry registry;
    io.micrometer.core.instrument.Timer histogram;
    io.micrometer.core.instrument.Counter counter;

    @Setup
    public void setup() {
      registry = ScrapeFixture.micrometer(1000);
      Duration[] slo = new Duration[Data.BOUNDS_SECONDS.length];
      for (int i = 0; i < slo.length; i++) {
        slo[i] = Duration.ofNanos(Math.round(Data.BOUNDS_SECONDS[i] * 1e9));
      }
      histogram = io.micrometer.core.instrument.Timer.builder("hot.latency").tag("path", "/hot")
          .serviceLevelObjectives(slo).register(registry);
      counter = registry.counter("hot.requests", "path", "/hot");
    }
  }

  // ---------------------------------------------------------------- rxprom

  @Benchmark
  @Threads(1)
  public void rxprom_alone(Rxprom s, Cursor c) {
    s.histogram.observe(SECONDS[c.next()]);
    s.counter.inc();
  }

  @Benchmark
  @Group("rxprom_scraped")
  @GroupThreads(1)
  public void rxprom_scraped_write(Rxprom s, Cursor c) {
    s.histogram.observe(SECONDS[c.next()]);
    s.counter.inc();
  }

  @Benchmark
  @Group("rxprom_scraped")
  @GroupThreads(1)
  public ReusableBuffer rxprom_scraped_scrape(Rxprom s, Sink sink) throws IOException {
    sink.out.reset();
    s.writer.write(sink.out, s.registry.scrape());
    return sink.out;
  }

  // ---------------------------------------------------------------- client_java

  @Benchmark
  @Threads(1)
  public void clientJava_alone(ClientJava s, Cursor c) {
    s.histogram.observe(SECONDS[c.next()]);
    s.counter.inc();
  }

  @Benchmark
  @Group("clientJava_scraped")
  @GroupThreads(1)
  public void clientJava_scraped_write(ClientJava s, Cursor c) {
    s.histogram.observe(SECONDS[c.next()]);
    s.counter.inc();
  }

  @Benchmark
  @Group("clientJava_scraped")
  @GroupThreads(1)
  public ReusableBuffer clientJava_scraped_scrape(ClientJava s, Sink sink) throws IOException {
    sink.out.reset();
    s.writer.write(sink.out, s.registry.scrape());
    return sink.out;
  }

  // ---------------------------------------------------------------- Micrometer

  @Benchmark
  @Threads(1)
  public void micrometer_alone(Micrometer s, Cursor c) {
    s.histogram.record(NANOS[c.next()], TimeUnit.NANOSECONDS);
    s.counter.increment();
  }

  @Benchmark
  @Group("micrometer_scraped")
  @GroupThreads(1)
  public void micrometer_scraped_write(Micrometer s, Cursor c) {
    s.histogram.record(NANOS[c.next()], TimeUnit.NANOSECONDS);
    s.counter.increment();
  }

  @Benchmark
  @Group("micrometer_scraped")
  @GroupThreads(1)
  public ReusableBuffer micrometer_scraped_scrape(Micrometer s, Sink sink) throws IOException {
    sink.out.reset();
    s.registry.scrape(sink.out, PrometheusTextFormatWriter.CONTENT_TYPE);
    return sink.out;
  }
}

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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Do scrapes slow the writers? One writer thread records into a hot histogram series and a
 * hot counter series (random observations) of a registry that also holds the 1,000-series
 * {@link ScrapeFixture}; in {@code <library>_alone} nothing else runs, in the group {@code
 * <library>_scraped} a second thread scrapes the whole registry back to back into text 0.0.4
 * (a worst case: Prometheus scrapes every few seconds, not continuously). Compare the writer's
 * ns/op in both. This machine has two cores, so writer and scraper each have one.
 *
 * <p>The control group {@code <library>_busy} runs the same writer beside a thread that only
 * burns CPU ({@link Blackhole#consumeCPU}): on a two-core machine shared with other processes a
 * second busy thread alone slows the writer (the OS has no idle core left for anyone else), so
 * the scraper's own cost is the difference between {@code _scraped} and {@code _busy}. A
 * second control for rxprom, {@code rxprom_memoryBusy}, puts a thread beside the writer that
 * reads and writes about as much memory as a scrape, touching no metric ({@link Footprint}).
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
  static final long SPIN_TOKENS = 10_000;

  /** The scraper's reusable sink; one per thread. */
  @State(Scope.Thread)
  public static class Sink {
    final ReusableBuffer out = new ReusableBuffer(1 << 20);
  }

  /**
   * A scrape-sized memory workload that touches no metric: read one long per cache line of 1 MiB
   * and write 600 KB, about what one scrape of the fixture reads and writes. The second control:
   * on a VM whose two vCPUs may share one physical core's caches, this separates "a
   * memory-hungry neighbour" from "the scraper itself".
   */
  @State(Scope.Thread)
  public static class Footprint {
    final long[] read = new long[1 << 17];
    final byte[] write = new byte[600_000];

    long walk() {
      long sum = 0;
      for (int i = 0; i < read.length; i += 8) {
        sum += read[i];
      }
      java.util.Arrays.fill(write, (byte) sum);
      return sum;
    }
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
  @Group("rxprom_busy")
  @GroupThreads(1)
  public void rxprom_busy_write(Rxprom s, Cursor c) {
    s.histogram.observe(SECONDS[c.next()]);
    s.counter.inc();
  }

  @Benchmark
  @Group("rxprom_busy")
  @GroupThreads(1)
  public void rxprom_busy_spin() {
    Blackhole.consumeCPU(SPIN_TOKENS);
  }

  @Benchmark
  @Group("rxprom_memoryBusy")
  @GroupThreads(1)
  public void rxprom_memoryBusy_write(Rxprom s, Cursor c) {
    s.histogram.observe(SECONDS[c.next()]);
    s.counter.inc();
  }

  @Benchmark
  @Group("rxprom_memoryBusy")
  @GroupThreads(1)
  public long rxprom_memoryBusy_stream(Footprint f) {
    return f.walk();
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
  @Group("clientJava_busy")
  @GroupThreads(1)
  public void clientJava_busy_write(ClientJava s, Cursor c) {
    s.histogram.observe(SECONDS[c.next()]);
    s.counter.inc();
  }

  @Benchmark
  @Group("clientJava_busy")
  @GroupThreads(1)
  public void clientJava_busy_spin() {
    Blackhole.consumeCPU(SPIN_TOKENS);
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
  @Group("micrometer_busy")
  @GroupThreads(1)
  public void micrometer_busy_write(Micrometer s, Cursor c) {
    s.histogram.record(NANOS[c.next()], TimeUnit.NANOSECONDS);
    s.counter.increment();
  }

  @Benchmark
  @Group("micrometer_busy")
  @GroupThreads(1)
  public void micrometer_busy_spin() {
    Blackhole.consumeCPU(SPIN_TOKENS);
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

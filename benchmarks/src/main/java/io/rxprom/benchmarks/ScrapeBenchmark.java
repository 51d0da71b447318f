package io.rxprom.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.exposition.ExpositionFormat;
import io.rxprom.core.exposition.ExpositionWriter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole scrape: snapshot the registry and render it into a reused byte buffer, in text 0.0.4
 * and OpenMetrics 1.0.0, for 1,000 and 50,000 series ({@link ScrapeFixture}). Each library uses
 * its own registry and its own writer with default options. {@code -prof gc} gives the bytes
 * allocated per scrape; the bytes written are printed once per trial as a {@code # bytes-out}
 * line. Single-threaded: a scrape is one request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
@Threads(1)
public class ScrapeBenchmark {

  static final String TEXT = "text";
  static final String OPENMETRICS = "openmetrics";

  /** What every library state shares: the parameters and the sink. */
  @State(Scope.Thread)
  public abstract static class Base {
    @Param({"1000", "50000"})
    public int series;

    @Param({TEXT, OPENMETRICS})
    public String format;

    ReusableBuffer out;

    abstract void scrape() throws IOException;

    abstract String library();

    /** Renders once, sizes the buffer to fit, and prints the bytes written. */
    void prepare() throws IOException {
      out = new ReusableBuffer(1 << 16);
      scrape();
      int size = out.size();
      out = new ReusableBuffer(size + size / 4);
      System.out.println("# bytes-out " + library() + " " + format + " " + series + " " + size);
    }

    ReusableBuffer render() throws IOException {
      out.reset();
      scrape();
      return out;
    }
  }

  /** rxprom core: {@code registry.scrape()} and its writers (OpenMetrics: {@code _created} on). */
  public static class Rxprom extends Base {
    MetricRegistry registry;
    ExpositionWriter writer;

    @Setup
    public void setup() throws IOException {
      registry = ScrapeFixture.rxprom(series);
      writer = ExpositionWriter.of(TEXT.equals(format)
          ? ExpositionFormat.PROMETHEUS_TEXT_0_0_4
          : ExpositionFormat.OPENMETRICS_1_0_0);
      prepare();
    }

    @Override
    void scrape() throws IOException {
      writer.write(out, registry.scrape());
    }

    @Override
    String library() {
      return "rxprom";
    }
  }

  /** Prometheus client_java 1.x: its registry and its text writers (default options). */
  public static class ClientJava extends Base {
    PrometheusRegistry registry;
    ExpositionFormatWriter writer;

    @Setup
    public void setup() throws IOException {
      registry = ScrapeFixture.clientJava(series);
      writer = TEXT.equals(format)
          ? PrometheusTextFormatWriter.create()
          : OpenMetricsTextFormatWriter.create();
      prepare();
    }

    @Override
    void scrape() throws IOException {
      writer.write(out, registry.scrape());
    }

    @Override
    String library() {
      return "client_java";
    }
  }

  /** Micrometer's {@code PrometheusMeterRegistry.scrape(OutputStream, contentType)}. */
  public static class Micrometer extends Base {
    PrometheusMeterRegistry registry;
    String contentType;

    @Setup
    public void setup() throws IOException {
      registry = ScrapeFixture.micrometer(series);
      contentType = TEXT.equals(format)
          ? PrometheusTextFormatWriter.CONTENT_TYPE
          : OpenMetricsTextFormatWriter.CONTENT_TYPE;
      prepare();
    }

    @Override
    void scrape() throws IOException {
      registry.scrape(out, contentType);
    }

    @Override
    String library() {
      return "micrometer";
    }
  }

  @Benchmark
  public ReusableBuffer rxprom(Rxprom s) throws IOException {
    return s.render();
  }

  @Benchmark
  public ReusableBuffer clientJava(ClientJava s) throws IOException {
    return s.render();
  }

  @Benchmark
  public ReusableBuffer micrometer(Micrometer s) throws IOException {
    return s.render();
  }
}

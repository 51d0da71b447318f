package io.rxprom.core.exposition;

import static io.rxprom.core.exposition.TestSnapshots.EMOJI;
import static io.rxprom.core.exposition.TestSnapshots.INF;
import static io.rxprom.core.exposition.TestSnapshots.family;
import static io.rxprom.core.exposition.TestSnapshots.of;
import static io.rxprom.core.exposition.TestSnapshots.write;
import static io.rxprom.core.exposition.TestSnapshots.writeBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.MetricType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Buffer boundaries, long texts, concurrency, allocation and stream handling of the writers. */
class ExpositionWriterStreamingTest {

  private static final ExpositionWriter TEXT = ExpositionWriter.of(ExpositionFormat.PROMETHEUS_TEXT_0_0_4);
  private static final ExpositionWriter OPENMETRICS = ExpositionWriter.openMetrics(true);

  /** A long mix of ASCII, 2-, 3- and 4-byte UTF-8 and every escaped character. */
  private static String longAwkwardText(int length, long seed) {
    String[] pieces = {"a", "Z", "0", " ", "é", "日", "本", EMOJI, "\"", "\\", "\n", "{", "}", ","};
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder(length + 2);
    while (b.length() < length) {
      b.append(pieces[r.nextInt(pieces.length)]);
    }
    return b.toString();
  }

  private static String escapeLabelValue(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  @Test
  void labelValuesAndHelpLongerThanTheBufferAreEncodedExactly() {
    String value = longAwkwardText(3 * ExpositionBuffer.CAPACITY + 7, 1);
    String help = longAwkwardText(2 * ExpositionBuffer.CAPACITY + 3, 2);
    MetricSnapshots s = of(family("g", MetricType.GAUGE, help, "",
        TestSnapshots.gauge(value, 1.5), TestSnapshots.gauge("short", 2)));
    String helpText = help.replace("\\", "\\\\").replace("\n", "\\n");
    String expectedText = "# HELP g " + helpText + "\n# TYPE g gauge\ng{v=\""
        + escapeLabelValue(value) + "\"} 1.5\ng{v=\"short\"} 2\n";
    assertThat(writeBytes(TEXT, s)).isEqualTo(expectedText.getBytes(StandardCharsets.UTF_8));

    String helpOm = escapeLabelValue(help);
    String expectedOm = "# TYPE g gauge\n# HELP g " + helpOm + "\ng{v=\""
        + escapeLabelValue(value) + "\"} 1.5\ng{v=\"short\"} 2.0\n# EOF\n";
    assertThat(writeBytes(OPENMETRICS, s)).isEqualTo(expectedOm.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void manySeriesAcrossManyBufferDrainsMatchALineByLineRendering() {
    SplittableRandom r = new SplittableRandom(5);
    List<DataPointSnapshot> counters = new ArrayList<>();
    StringBuilder expected = new StringBuilder("# HELP c_total Help.\n# TYPE c_total counter\n");
    for (int i = 0; i < 20_000; i++) {
      String path = "/p/" + i + (i % 7 == 0 ? "/é\"" + EMOJI : "");
      double v = i % 3 == 0 ? i : r.nextDouble() * 1e9;
      counters.add(new CounterDataPoint(Labels.of("path", path, "code", "200"), v, 0));
      expected.append("c_total{path=\"").append(escapeLabelValue(path))
          .append("\",code=\"200\"} ").append(GoFloat.format(v)).append('\n');
    }
    MetricSnapshots s = new MetricSnapshots(List.of(
        new MetricFamilySnapshot("c", MetricType.COUNTER, "Help.", "", counters)));
    assertThat(write(TEXT, s)).isEqualTo(expected.toString());
  }

  @Test
  void oneWriterServesConcurrentScrapesWithIdenticalOutput() throws Exception {
    MetricSnapshots s = bigSet(2_000);
    byte[] reference = writeBytes(OPENMETRICS, s);
    byte[] referenceText = writeBytes(TEXT, s);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> {
          for (int i = 0; i < 20; i++) {
            if (!java.util.Arrays.equals(writeBytes(OPENMETRICS, s), reference)
                || !java.util.Arrays.equals(writeBytes(TEXT, s), referenceText)) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void allocatesOnlyItsBuffersNotPerSample() throws IOException {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    if (!(bean instanceof com.sun.management.ThreadMXBean sun)
        || !sun.isThreadAllocatedMemorySupported()) {
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "thread allocation counter unavailable");
      return;
    }
    sun.setThreadAllocatedMemoryEnabled(true);
    MetricSnapshots s = bigSet(10_000); // 10,000 series, about 70,000 lines
    OutputStream sink = OutputStream.nullOutputStream();
    for (int i = 0; i < 20; i++) {
      TEXT.write(sink, s);
      OPENMETRICS.write(sink, s);
    }
    long tid = Thread.currentThread().getId();
    long before = sun.getThreadAllocatedBytes(tid);
    TEXT.write(sink, s);
    long text = sun.getThreadAllocatedBytes(tid) - before;
    before = sun.getThreadAllocatedBytes(tid);
    OPENMETRICS.write(sink, s);
    long om = sun.getThreadAllocatedBytes(tid) - before;
    // The buffers are about 17 KiB; a single allocation per sample would be megabytes.
    assertThat(text).as("bytes allocated by one 0.0.4 write").isLessThan(64 * 1024);
    assertThat(om).as("bytes allocated by one OpenMetrics write").isLessThan(64 * 1024);
  }

  @Test
  void flushesButDoesNotCloseTheStream() throws IOException {
    class Recording extends ByteArrayOutputStream {
      int flushes;
      boolean closed;

      @Override
      public void flush() {
        flushes++;
      }

      @Override
      public void close() {
        closed = true;
      }
    }
    Recording out = new Recording();
    TEXT.write(out, TestSnapshots.everyType());
    assertThat(out.flushes).isEqualTo(1);
    assertThat(out.closed).isFalse();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(write(TEXT, TestSnapshots.everyType()));
  }

  @Test
  void streamFailuresPropagate() {
    OutputStream failing = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("connection reset");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("connection reset");
      }
    };
    assertThatThrownBy(() -> OPENMETRICS.write(failing, TestSnapshots.everyType()))
        .isInstanceOf(IOException.class).hasMessage("connection reset");
  }

  @Test
  void nullArgumentsAreRejected() {
    assertThatThrownBy(() -> TEXT.write(null, TestSnapshots.everyType()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> OPENMETRICS.write(new ByteArrayOutputStream(), null))
        .isInstanceOf(NullPointerException.class);
  }

  /** Counters, gauges and histograms with two labels each: {@code n} series in all. */
  static MetricSnapshots bigSet(int n) {
    double[] bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, INF};
    List<DataPointSnapshot> counters = new ArrayList<>();
    List<DataPointSnapshot> gauges = new ArrayList<>();
    List<DataPointSnapshot> histograms = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < n; i++) {
      Labels labels = Labels.of("path", "/api/v1/resource/" + (i / 3), "method",
          i % 3 == 0 ? "GET" : i % 3 == 1 ? "POST" : "DELETE");
      switch (i % 10) {
        case 0, 1, 2, 3, 4 -> counters.add(new CounterDataPoint(labels, r.nextInt(1_000_000),
            1700000000123L));
        case 5, 6, 7 -> gauges.add(new io.rxprom.core.snapshot.GaugeDataPoint(labels,
            r.nextDouble() * 100));
        default -> {
          long[] counts = new long[bounds.length];
          long c = 0;
          for (int b = 0; b < bounds.length; b++) {
            c += r.nextInt(100);
            counts[b] = c;
          }
          histograms.add(new HistogramDataPoint(labels, bounds, counts, r.nextDouble() * c,
              1700000000123L));
        }
      }
    }
    return new MetricSnapshots(List.of(
        new MetricFamilySnapshot("http_request_duration_seconds", MetricType.HISTOGRAM,
            "Request latency.", "seconds", histograms),
        new MetricFamilySnapshot("http_requests", MetricType.COUNTER, "Requests.", "", counters),
        new MetricFamilySnapshot("queue_items", MetricType.GAUGE, "Items.", "", gauges)));
  }
}

package io.rxprom.core.exposition;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.InfoDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.StateSetDataPoint;
import io.rxprom.core.snapshot.SummaryDataPoint;
import io.rxprom.core.snapshot.UnknownDataPoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Snapshot sets built straight from the snapshot model, shared by the exposition tests. */
final class TestSnapshots {
  private TestSnapshots() {}

  static final double INF = Double.POSITIVE_INFINITY;
  static final long NO_CREATED = DataPointSnapshot.NO_CREATED;

  /** The emoji U+1F600, outside the BMP: a surrogate pair in Java. */
  static final String EMOJI = new String(Character.toChars(0x1F600));

  static final String AWKWARD_HELP = "Backslash \\ quote \" newline\nend";

  /** One well-named family of every type, with help, as promtool's linter likes them. */
  static MetricSnapshots everyType() {
    List<MetricFamilySnapshot> f = new ArrayList<>();
    f.add(family("build", MetricType.INFO, "Build information.", "",
        new InfoDataPoint(Labels.of("version", "1.2.3", "revision", "abc123"))));
    f.add(family("feature", MetricType.STATESET, "Feature flags.", "",
        new StateSetDataPoint(Labels.of("env", "prod"),
            new String[] {"dark_mode", "beta"}, new boolean[] {true, false})));
    f.add(family("http_request_duration_seconds", MetricType.HISTOGRAM, "Request latency.",
        "seconds",
        new HistogramDataPoint(Labels.of("path", "/foo"),
            new double[] {0.005, 0.01, 0.1, 1, 10, INF}, new long[] {1, 3, 7, 9, 10, 10},
            4.25, 1700000000123L)));
    f.add(family("http_requests", MetricType.COUNTER, "Total HTTP requests served.", "",
        new CounterDataPoint(Labels.of("path", "/foo", "code", "200"), 1027, 1700000000123L),
        new CounterDataPoint(Labels.of("path", "/bar", "code", "500"), 3, 1700000000000L)));
    f.add(family("legacy_queue_length", MetricType.UNKNOWN, "Items in the legacy queue.", "",
        new UnknownDataPoint(Labels.EMPTY, 17)));
    f.add(family("process_resident_memory_bytes", MetricType.GAUGE,
        "Resident memory size in bytes.", "bytes",
        new GaugeDataPoint(Labels.EMPTY, 1.2345e8)));
    f.add(family("rpc_duration_seconds", MetricType.SUMMARY, "RPC latency.", "seconds",
        new SummaryDataPoint(Labels.of("service", "auth"), 42, 1.5,
            new double[] {0.5, 0.9, 0.99}, new double[] {0.012, 0.05, 0.125}, 1699999999999L)));
    return new MetricSnapshots(f);
  }

  /** Escapes, non-ASCII text, special floats, empty families and series without observations. */
  static MetricSnapshots awkward() {
    List<MetricFamilySnapshot> f = new ArrayList<>();
    f.add(family("awkward", MetricType.GAUGE, AWKWARD_HELP, "",
        gauge("a\\b", Double.NaN),
        gauge("say \"hi\"", INF),
        gauge("line1\nline2", Double.NEGATIVE_INFINITY),
        gauge("é 日本 " + EMOJI, -0.0),
        gauge("", 1e-5),
        gauge("plain", 1e6),
        gauge("sum", 0.1 + 0.2),
        gauge("tiny", Double.MIN_VALUE),
        gauge("big", Double.MAX_VALUE)));
    f.add(family("empty_counter", MetricType.COUNTER, "", ""));
    f.add(family("empty_gauge", MetricType.GAUGE, "No series yet.", ""));
    f.add(family("empty_histogram_seconds", MetricType.HISTOGRAM, "", "seconds",
        new HistogramDataPoint(Labels.EMPTY,
            new double[] {1e-5, 0.0001, 100000, 1e6, INF}, new long[] {0, 0, 0, 0, 0},
            0, 1700000000123L)));
    f.add(family("empty_summary", MetricType.SUMMARY, "", "",
        new SummaryDataPoint(Labels.EMPTY, 0, 0,
            new double[] {0, 0.5, 1}, new double[] {Double.NaN, Double.NaN, Double.NaN},
            NO_CREATED)));
    f.add(family("target", MetricType.INFO, "", "",
        new InfoDataPoint(Labels.of("name", "日本", "quote", "\""))));
    return new MetricSnapshots(f);
  }

  static GaugeDataPoint gauge(String labelValue, double value) {
    return new GaugeDataPoint(Labels.of("v", labelValue), value);
  }

  static MetricFamilySnapshot family(
      String name, MetricType type, String help, String unit, DataPointSnapshot... points) {
    return new MetricFamilySnapshot(name, type, help, unit, List.of(points));
  }

  static MetricSnapshots of(MetricFamilySnapshot... families) {
    return new MetricSnapshots(List.of(families));
  }

  static String write(ExpositionWriter writer, MetricSnapshots snapshots) {
    return new String(writeBytes(writer, snapshots), StandardCharsets.UTF_8);
  }

  static byte[] writeBytes(ExpositionWriter writer, MetricSnapshots snapshots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

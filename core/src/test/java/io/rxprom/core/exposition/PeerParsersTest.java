package io.rxprom.core.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.StateSetDataPoint;
import io.rxprom.core.snapshot.SummaryDataPoint;
import io.rxprom.core.snapshot.UnknownDataPoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The real consumers read our output back: promtool lints the text format, and the Python
 * client's parsers (the lax 0.0.4 one and the strict OpenMetrics one) parse both formats back to
 * the same families, types, help, units, sample names, label values and bit-identical numbers.
 */
class PeerParsersTest {

  private static final ExpositionWriter TEXT = ExpositionWriter.of(ExpositionFormat.PROMETHEUS_TEXT_0_0_4);
  private static final ExpositionWriter OPENMETRICS = ExpositionWriter.openMetrics(true);
  private static final ExpositionWriter OPENMETRICS_NO_CREATED = ExpositionWriter.openMetrics(false);

  // ---------------------------------------------------------------------------------------------
  // promtool

  @Test
  void promtoolAcceptsEveryTypeWithoutALintWord() {
    Path promtool = ExternalTools.requireExecutable("promtool", "/usr/bin/promtool");
    byte[] body = TestSnapshots.writeBytes(TEXT, TestSnapshots.everyType());
    ExternalTools.Result r = ExternalTools.run(
        List.of(promtool.toString(), "check", "metrics"), body, ExternalTools.TIMEOUT);
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdout() + r.stderr()).as(r.describe()).isBlank();
  }

  @Test
  void promtoolParsesTheAwkwardSet_onlyLintingItsDeliberatelyBadNames() {
    Path promtool = ExternalTools.requireExecutable("promtool", "/usr/bin/promtool");
    byte[] body = TestSnapshots.writeBytes(TEXT, TestSnapshots.awkward());
    ExternalTools.Result r = ExternalTools.run(
        List.of(promtool.toString(), "check", "metrics"), body, ExternalTools.TIMEOUT);
    List<String> problems = (r.stdout() + r.stderr()).lines().filter(l -> !l.isBlank()).toList();
    assertThat(problems).as(r.describe()).isNotEmpty().allSatisfy(line -> assertThat(line)
        .matches("\\w+ (no help text|metric name should not include type '\\w+')"));
  }

  @Test
  void promtoolRejectsABrokenBody_soTheChecksAboveCanFail() {
    Path promtool = ExternalTools.requireExecutable("promtool", "/usr/bin/promtool");
    ExternalTools.Result r = ExternalTools.run(List.of(promtool.toString(), "check", "metrics"),
        "# HELP x X.\n# TYPE x gauge\nx{a=\"b} 1\n".getBytes(StandardCharsets.UTF_8),
        ExternalTools.TIMEOUT);
    assertThat(r.exitCode()).as(r.describe()).isNotZero();
  }

  // ---------------------------------------------------------------------------------------------
  // Python parsers

  @Test
  void pythonTextParserReadsEveryTypeBack() {
    assertParsedBack(TestSnapshots.everyType(), TEXT, "text");
  }

  @Test
  void pythonTextParserReadsTheAwkwardSetBack() {
    assertParsedBack(TestSnapshots.awkward(), TEXT, "text");
  }

  @Test
  void strictOpenMetricsParserReadsEveryTypeBack() {
    assertParsedBack(TestSnapshots.everyType(), OPENMETRICS, "openmetrics");
    assertParsedBack(TestSnapshots.everyType(), OPENMETRICS_NO_CREATED, "openmetrics");
  }

  @Test
  void strictOpenMetricsParserReadsTheAwkwardSetBack() {
    assertParsedBack(TestSnapshots.awkward(), OPENMETRICS, "openmetrics");
  }

  @Test
  void strictOpenMetricsParserAcceptsSeriesWhoseForbiddenSamplesWereLeftOut() {
    Path python = ExternalTools.requirePythonPrometheusClient();
    MetricSnapshots s = TestSnapshots.of(
        TestSnapshots.family("negative_bound", io.rxprom.core.snapshot.MetricType.HISTOGRAM, "",
            "", new HistogramDataPoint(Labels.EMPTY, new double[] {-1, 0, TestSnapshots.INF},
                new long[] {1, 1, 2}, 2.5, 1000L)),
        TestSnapshots.family("negative_sum", io.rxprom.core.snapshot.MetricType.HISTOGRAM, "",
            "", new HistogramDataPoint(Labels.EMPTY, new double[] {0, TestSnapshots.INF},
                new long[] {0, 2}, -0.5, 1000L)),
        TestSnapshots.family("s", io.rxprom.core.snapshot.MetricType.SUMMARY, "", "",
            new SummaryDataPoint(Labels.EMPTY, 2, Double.NaN, new double[] {0.5, 0.9},
                new double[] {-1, 2}, 1000L)));
    byte[] body = TestSnapshots.writeBytes(OPENMETRICS, s);
    ExternalTools.Result r = ExternalTools.run(List.of(python.toString(), "-c", DUMP,
        "openmetrics"), body, ExternalTools.TIMEOUT);
    assertThat(r.exitCode()).as(new String(body, StandardCharsets.UTF_8) + r.describe()).isZero();
  }

  @Test
  void strictOpenMetricsParserRejectsABrokenBody_soTheChecksAboveCanFail() {
    Path python = ExternalTools.requirePythonPrometheusClient();
    ExternalTools.Result r = ExternalTools.run(List.of(python.toString(), "-c", DUMP, "openmetrics"),
        "# TYPE x counter\nx_total 1\n".getBytes(StandardCharsets.UTF_8), ExternalTools.TIMEOUT);
    assertThat(r.exitCode()).as(r.describe()).isNotZero();
    assertThat(r.stderr()).contains("Missing # EOF");
  }

  /** Parses stdin with the chosen parser and prints one JSON array per family and sample. */
  private static final String DUMP = """
      import json, struct, sys
      text = sys.stdin.buffer.read().decode('utf-8')
      if sys.argv[1] == 'text':
          from prometheus_client.parser import text_string_to_metric_families as parse
      else:
          from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse
      out = []
      for f in parse(text):
          out.append(json.dumps(['F', f.name, f.type, f.documentation, f.unit]))
          for s in f.samples:
              bits = struct.pack('>d', float(s.value)).hex()
              out.append(json.dumps(['S', s.name, sorted(s.labels.items()), bits]))
      sys.stdout.write(''.join(line + '\\n' for line in out))
      """;

  private static void assertParsedBack(MetricSnapshots snapshots, ExpositionWriter writer,
      String parser) {
    Path python = ExternalTools.requirePythonPrometheusClient();
    byte[] body = TestSnapshots.writeBytes(writer, snapshots);
    ExternalTools.Result r = ExternalTools.run(List.of(python.toString(), "-c", DUMP, parser),
        body, ExternalTools.TIMEOUT);
    assertThat(r.exitCode())
        .as("%s parser on:\n%s\n%s", parser, new String(body, StandardCharsets.UTF_8), r.describe())
        .isZero();
    boolean openMetrics = parser.equals("openmetrics");
    boolean created = writer == OPENMETRICS;
    assertThat(r.stdout().lines().toList())
        .isEqualTo(expectedDump(snapshots, openMetrics, created));
  }

  // ---------------------------------------------------------------------------------------------
  // What the parsers should see, derived from the snapshots independently of the writers

  private static List<String> expectedDump(MetricSnapshots snapshots, boolean om, boolean created) {
    List<String> out = new ArrayList<>();
    for (MetricFamilySnapshot f : snapshots) {
      String name = f.name();
      String help = f.help();
      switch (f.type()) {
        case COUNTER -> {
          out.add(family(name, "counter", help, om ? f.unit() : ""));
          for (DataPointSnapshot p : f.dataPoints()) {
            out.add(sample(name + "_total", p.labels(), null, null, ((CounterDataPoint) p).value()));
            if (om && created && p.createdEpochMillis() != DataPointSnapshot.NO_CREATED) {
              out.add(sample(name + "_created", p.labels(), null, null,
                  p.createdEpochMillis() / 1000.0));
            }
          }
        }
        case GAUGE -> {
          out.add(family(name, "gauge", help, om ? f.unit() : ""));
          for (DataPointSnapshot p : f.dataPoints()) {
            out.add(sample(name, p.labels(), null, null, ((GaugeDataPoint) p).value()));
          }
        }
        case UNKNOWN -> {
          out.add(family(name, "unknown", help, om ? f.unit() : ""));
          for (DataPointSnapshot p : f.dataPoints()) {
            out.add(sample(name, p.labels(), null, null, ((UnknownDataPoint) p).value()));
          }
        }
        case INFO -> {
          out.add(om ? family(name, "info", help, "") : family(name + "_info", "gauge", help, ""));
          for (DataPointSnapshot p : f.dataPoints()) {
            out.add(sample(name + "_info", p.labels(), null, null, 1));
          }
        }
        case STATESET -> {
          out.add(family(name, om ? "stateset" : "gauge", help, ""));
          for (DataPointSnapshot p : f.dataPoints()) {
            StateSetDataPoint s = (StateSetDataPoint) p;
            for (int i = 0; i < s.size(); i++) {
              out.add(sample(name, p.labels(), name, s.state(i), s.isEnabled(i) ? 1 : 0));
            }
          }
        }
        case HISTOGRAM -> {
          out.add(family(name, "histogram", help, om ? f.unit() : ""));
          for (DataPointSnapshot p : f.dataPoints()) {
            HistogramDataPoint h = (HistogramDataPoint) p;
            for (int i = 0; i < h.bucketCount(); i++) {
              String le = om ? GoFloat.formatCanonical(h.upperBound(i) + 0.0) : GoFloat.format(h.upperBound(i) + 0.0);
              out.add(sample(name + "_bucket", p.labels(), "le", le, h.cumulativeCount(i)));
            }
            if (om) {
              out.add(sample(name + "_count", p.labels(), null, null, h.count()));
              out.add(sample(name + "_sum", p.labels(), null, null, h.sum()));
              if (created && p.createdEpochMillis() != DataPointSnapshot.NO_CREATED) {
                out.add(sample(name + "_created", p.labels(), null, null,
                    p.createdEpochMillis() / 1000.0));
              }
            } else {
              out.add(sample(name + "_sum", p.labels(), null, null, h.sum()));
              out.add(sample(name + "_count", p.labels(), null, null, h.count()));
            }
          }
        }
        case SUMMARY -> {
          out.add(family(name, "summary", help, om ? f.unit() : ""));
          for (DataPointSnapshot p : f.dataPoints()) {
            SummaryDataPoint s = (SummaryDataPoint) p;
            for (int i = 0; i < s.quantileCount(); i++) {
              String q = om ? GoFloat.formatCanonical(s.quantile(i) + 0.0) : GoFloat.format(s.quantile(i) + 0.0);
              out.add(sample(name, p.labels(), "quantile", q, s.quantileValue(i)));
            }
            if (om) {
              out.add(sample(name + "_count", p.labels(), null, null, s.count()));
              out.add(sample(name + "_sum", p.labels(), null, null, s.sum()));
              if (created && p.createdEpochMillis() != DataPointSnapshot.NO_CREATED) {
                out.add(sample(name + "_created", p.labels(), null, null,
                    p.createdEpochMillis() / 1000.0));
              }
            } else {
              out.add(sample(name + "_sum", p.labels(), null, null, s.sum()));
              out.add(sample(name + "_count", p.labels(), null, null, s.count()));
            }
          }
        }
      }
    }
    return out;
  }

  private static String family(String name, String type, String help, String unit) {
    return "[\"F\", " + json(name) + ", " + json(type) + ", " + json(help) + ", " + json(unit) + "]";
  }

  private static String sample(String name, Labels labels, String extraName, String extraValue,
      double value) {
    Map<String, String> sorted = new TreeMap<>();
    for (int i = 0; i < labels.size(); i++) {
      sorted.put(labels.name(i), labels.value(i));
    }
    if (extraName != null) {
      sorted.put(extraName, extraValue);
    }
    StringBuilder l = new StringBuilder("[");
    sorted.forEach((k, v) -> {
      if (l.length() > 1) {
        l.append(", ");
      }
      l.append('[').append(json(k)).append(", ").append(json(v)).append(']');
    });
    l.append(']');
    // the writers write negative zero as zero, as Go's expfmt does
    String hex = Long.toHexString(Double.doubleToRawLongBits(value + 0.0));
    return "[\"S\", " + json(name) + ", " + l + ", \"" + "0".repeat(16 - hex.length()) + hex
        + "\"]";
  }

  /** Python's json.dumps of a str with ensure_ascii=True. */
  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            String hex = Integer.toHexString(c);
            b.append("\\u").append("0".repeat(4 - hex.length())).append(hex);
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}

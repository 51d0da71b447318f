package io.rxprom.core.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.MetricRegistry;
import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.SummaryDataPoint;
import io.rxprom.testing.Promtool;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check metrics} (Prometheus' own parser and linter) on the text 0.0.4 output of
 * a registry with the standard set: it must be clean, with no lint output.
 */
class StandardCollectorsPromtoolTest {

  @Test
  void theStandardSetPassesPromtoolWithoutLintProblems() {
    MetricRegistry registry = new MetricRegistry();
    StandardCollectors.register(registry);
    byte[] body = text004(registry.scrape());

    Promtool.Result result = Promtool.checkMetrics(body);

    assertThat(result.output()).as(new String(body, StandardCharsets.UTF_8)).isEmpty();
    assertThat(result.clean()).isTrue();
    String text = new String(body, StandardCharsets.UTF_8);
    assertThat(text).contains("# TYPE process_cpu_seconds_total counter\n", "# TYPE jvm_runtime_info gauge\n",
        "# TYPE jvm_gc_collection_seconds summary\n", "jvm_memory_used_bytes{area=\"heap\"} ");
  }

  /**
   * A minimal text 0.0.4 writer for this test, until {@code io.rxprom.core.exposition} is on
   * main: the lint checks names, types, help texts and units, which are the collectors', not the
   * writer's. TODO: replace with the exposition writer for {@code PROMETHEUS_TEXT_0_0_4}.
   */
  static byte[] text004(MetricSnapshots snapshots) {
    StringBuilder sb = new StringBuilder();
    for (MetricFamilySnapshot f : snapshots) {
      String name = f.type() == MetricType.COUNTER ? f.name() + "_total"
          : f.type() == MetricType.INFO ? f.name() + "_info" : f.name();
      sb.append("# HELP ").append(name).append(' ')
          .append(f.help().replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
      sb.append("# TYPE ").append(name).append(' ').append(f.type().textName()).append('\n');
      for (DataPointSnapshot p : f.dataPoints()) {
        if (p instanceof CounterDataPoint c) {
          sample(sb, name, p.labels(), null, null, c.value());
        } else if (p instanceof GaugeDataPoint g) {
          sample(sb, name, p.labels(), null, null, g.value());
        } else if (p instanceof SummaryDataPoint s) {
          for (int i = 0; i < s.quantileCount(); i++) {
            sample(sb, name, p.labels(), "quantile", number(s.quantile(i)), s.quantileValue(i));
          }
          sample(sb, name + "_sum", p.labels(), null, null, s.sum());
          sample(sb, name + "_count", p.labels(), null, null, s.count());
        } else if (p instanceof HistogramDataPoint h) {
          for (int i = 0; i < h.bucketCount(); i++) {
            sample(sb, name + "_bucket", p.labels(), "le", number(h.upperBound(i)), h.cumulativeCount(i));
          }
          sample(sb, name + "_sum", p.labels(), null, null, h.sum());
          sample(sb, name + "_count", p.labels(), null, null, h.count());
        } else {
          sample(sb, name, p.labels(), null, null, 1);
        }
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void sample(StringBuilder sb, String name, Labels labels, String extraName, String extraValue,
      double value) {
    sb.append(name);
    if (!labels.isEmpty() || extraName != null) {
      sb.append('{');
      for (int i = 0; i < labels.size(); i++) {
        sb.append(i > 0 ? "," : "").append(labels.name(i)).append("=\"")
            .append(labels.value(i).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
      }
      if (extraName != null) {
        sb.append(labels.isEmpty() ? "" : ",").append(extraName).append("=\"").append(extraValue).append('"');
      }
      sb.append('}');
    }
    sb.append(' ').append(number(value)).append('\n');
  }

  private static String number(double v) {
    if (v == Double.POSITIVE_INFINITY) {
      return "+Inf";
    }
    if (v == Double.NEGATIVE_INFINITY) {
      return "-Inf";
    }
    if (Double.isNaN(v)) {
      return "NaN";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}

package io.rxprom.vertx;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.InfoDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.StateSetDataPoint;
import io.rxprom.core.snapshot.SummaryDataPoint;
import io.rxprom.core.snapshot.UnknownDataPoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * STOPGAP until core's exposition writers land on main: text format 0.0.4 for push bodies.
 * To be replaced by {@code ExpositionWriter} for {@code PROMETHEUS_TEXT_0_0_4}.
 */
final class PushgatewayTextRenderer {
  private PushgatewayTextRenderer() {}

  static void write(OutputStream out, MetricSnapshots snapshots) throws IOException {
    StringBuilder sb = new StringBuilder(4096);
    for (MetricFamilySnapshot f : snapshots) {
      String name = f.name();
      String typed = switch (f.type()) {
        case COUNTER -> name + "_total";
        case INFO -> name + "_info";
        default -> name;
      };
      if (!f.help().isEmpty()) {
        sb.append("# HELP ").append(typed).append(' ');
        for (int i = 0; i < f.help().length(); i++) {
          char c = f.help().charAt(i);
          if (c == '\\') {
            sb.append("\\\\");
          } else if (c == '\n') {
            sb.append("\\n");
          } else {
            sb.append(c);
          }
        }
        sb.append('\n');
      }
      sb.append("# TYPE ").append(typed).append(' ').append(f.type().textName()).append('\n');
      for (DataPointSnapshot p : f.dataPoints()) {
        Labels l = p.labels();
        if (p instanceof CounterDataPoint c) {
          sample(sb, name + "_total", l, null, null, c.value());
        } else if (p instanceof GaugeDataPoint g) {
          sample(sb, name, l, null, null, g.value());
        } else if (p instanceof UnknownDataPoint u) {
          sample(sb, name, l, null, null, u.value());
        } else if (p instanceof HistogramDataPoint h) {
          for (int i = 0; i < h.bucketCount(); i++) {
            sample(sb, name + "_bucket", l, "le", GraphiteLineWriter.goFloat(h.upperBound(i), false),
                h.cumulativeCount(i));
          }
          sample(sb, name + "_sum", l, null, null, h.sum());
          sample(sb, name + "_count", l, null, null, h.count());
        } else if (p instanceof SummaryDataPoint s) {
          for (int i = 0; i < s.quantileCount(); i++) {
            sample(sb, name, l, "quantile", GraphiteLineWriter.goFloat(s.quantile(i), false),
                s.quantileValue(i));
          }
          sample(sb, name + "_sum", l, null, null, s.sum());
          sample(sb, name + "_count", l, null, null, s.count());
        } else if (p instanceof InfoDataPoint) {
          sample(sb, name + "_info", l, null, null, 1);
        } else if (p instanceof StateSetDataPoint ss) {
          for (int i = 0; i < ss.size(); i++) {
            sample(sb, name, l, name, ss.state(i), ss.isEnabled(i) ? 1 : 0);
          }
        }
      }
    }
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void sample(StringBuilder sb, String name, Labels l, String extra, String extraValue, double v) {
    sb.append(name);
    if (l.size() > 0 || extra != null) {
      sb.append('{');
      boolean first = true;
      for (int i = 0; i < l.size(); i++) {
        first = label(sb, first, l.name(i), l.value(i));
      }
      if (extra != null) {
        label(sb, first, extra, extraValue);
      }
      sb.append('}');
    }
    sb.append(' ').append(GraphiteLineWriter.goFloat(v, false)).append('\n');
  }

  private static boolean label(StringBuilder sb, boolean first, String name, String value) {
    if (!first) {
      sb.append(',');
    }
    sb.append(name).append("=\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    sb.append('"');
    return false;
  }
}

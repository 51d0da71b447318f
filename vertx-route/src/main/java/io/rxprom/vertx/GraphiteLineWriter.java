package io.rxprom.vertx;

import io.rxprom.core.exposition.GoFloat;
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
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a scrape into Graphite plaintext lines, {@code <path> <value> <unix-seconds>\n}, cut
 * into chunks of whole lines.
 *
 * <p>Sample names are those of the text format 0.0.4, as the Python client's bridge writes them:
 * counter {@code name_total}; gauge and unknown {@code name}; histogram {@code name_bucket} with
 * label {@code le}, {@code name_count}, {@code name_sum}; summary {@code name} with label {@code
 * quantile}, {@code name_count}, {@code name_sum}; info {@code name_info} (value 1); state set
 * {@code name} with label {@code name=<state>} (1 or 0). No {@code _created} samples: a creation
 * time is not a useful Graphite series. {@code le} and {@code quantile} values are written as
 * the Python client writes them (Go style with {@code .0}: {@code 0.005}, {@code 10.0}, {@code
 * +Inf}, {@code 1e-05}) before sanitising.
 *
 * <p>Path: {@code prefix.name.label1.value1.label2.value2} (labels sorted by name) or, tagged,
 * {@code prefix.name;label1=value1;label2=value2}. Names, label names and label values have every
 * character outside {@code [a-zA-Z0-9_-]} replaced by {@code _} (the Python client's rule: what
 * works in a file name, and no dots, so labels stay distinguishable). A label with an empty
 * value is left out, as Prometheus treats it as absent. NaN samples are not written (carbon
 * drops them anyway); infinities are written as {@code +Inf} / {@code -Inf}.
 *
 * <p>Thread-safe: stateless apart from its immutable configuration.
 */
final class GraphiteLineWriter {

  /** The largest chunk, in bytes, unless a single line is longer. */
  static final int CHUNK_BYTES = 32 * 1024;

  private final String prefix; // "" or "a.b." (with the trailing dot)
  private final boolean tags;
  private final int chunkBytes;

  GraphiteLineWriter(String prefix, boolean tags) {
    this(prefix, tags, CHUNK_BYTES);
  }

  GraphiteLineWriter(String prefix, boolean tags, int chunkBytes) {
    this.prefix = prefix.isEmpty() ? "" : prefix + ".";
    this.tags = tags;
    this.chunkBytes = chunkBytes;
  }

  /** Some whole lines, and how many. */
  record Chunk(Buffer bytes, int lines) {
    int size() {
      return bytes.length();
    }
  }

  /** Lines for every sample of {@code snapshots}, stamped {@code epochSeconds}. */
  List<Chunk> write(MetricSnapshots snapshots, long epochSeconds) {
    Sink sink = new Sink(" " + epochSeconds + "\n");
    for (MetricFamilySnapshot family : snapshots) {
      String name = family.name();
      for (DataPointSnapshot p : family.dataPoints()) {
        Labels l = p.labels();
        if (p instanceof CounterDataPoint c) {
          line(sink, name + "_total", l, null, null, c.value());
        } else if (p instanceof GaugeDataPoint g) {
          line(sink, name, l, null, null, g.value());
        } else if (p instanceof UnknownDataPoint u) {
          line(sink, name, l, null, null, u.value());
        } else if (p instanceof HistogramDataPoint h) {
          for (int i = 0; i < h.bucketCount(); i++) {
            line(sink, name + "_bucket", l, "le", goFloat(h.upperBound(i)), h.cumulativeCount(i));
          }
          line(sink, name + "_count", l, null, null, h.count());
          line(sink, name + "_sum", l, null, null, h.sum());
        } else if (p instanceof SummaryDataPoint s) {
          for (int i = 0; i < s.quantileCount(); i++) {
            line(sink, name, l, "quantile", goFloat(s.quantile(i)), s.quantileValue(i));
          }
          line(sink, name + "_count", l, null, null, s.count());
          line(sink, name + "_sum", l, null, null, s.sum());
        } else if (p instanceof InfoDataPoint) {
          line(sink, name + "_info", l, null, null, 1);
        } else if (p instanceof StateSetDataPoint ss) {
          for (int i = 0; i < ss.size(); i++) {
            line(sink, name, l, name, ss.state(i), ss.isEnabled(i) ? 1 : 0);
          }
        }
      }
    }
    return sink.finish();
  }

  private void line(
      Sink sink, String sampleName, Labels labels, String extraName, String extraValue, double value) {
    if (Double.isNaN(value)) {
      return;
    }
    StringBuilder sb = sink.sb;
    int start = sb.length();
    sb.append(prefix);
    sanitize(sb, sampleName);
    int n = labels.size() + (extraName == null ? 0 : 1);
    if (n > 0) {
      String[] names = new String[n];
      String[] values = new String[n];
      for (int i = 0; i < labels.size(); i++) {
        names[i] = labels.name(i);
        values[i] = labels.value(i);
      }
      if (extraName != null) {
        names[n - 1] = extraName;
        values[n - 1] = extraValue;
      }
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
      for (int i : order) {
        if (values[i].isEmpty()) {
          continue;
        }
        sb.append(tags ? ';' : '.');
        sanitize(sb, names[i]);
        sb.append(tags ? '=' : '.');
        sanitize(sb, values[i]);
      }
    }
    sb.append(' ');
    appendValue(sb, value);
    sb.append(sink.suffix);
    sink.endLine(start);
  }

  /** Collects lines into chunks of at most {@code chunkBytes} (ASCII: one byte per char). */
  private final class Sink {
    final String suffix;
    final StringBuilder sb = new StringBuilder(1024);
    final List<Chunk> chunks = new ArrayList<>();
    int lines;

    Sink(String suffix) {
      this.suffix = suffix;
    }

    void endLine(int lineStart) {
      if (sb.length() > chunkBytes && lineStart > 0) {
        String tail = sb.substring(lineStart);
        sb.setLength(lineStart);
        flush();
        sb.append(tail);
      }
      lines++;
    }

    void flush() {
      if (lines > 0) {
        chunks.add(new Chunk(Buffer.buffer(sb.toString()), lines));
      }
      sb.setLength(0);
      lines = 0;
    }

    List<Chunk> finish() {
      flush();
      return chunks;
    }
  }

  /** Appends {@code s} with every character outside {@code [a-zA-Z0-9_-]} replaced by {@code _}. */
  static void sanitize(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-';
      if (!ok && Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // one code point, one '_', as Python's regex does
      }
      sb.append(ok ? c : '_');
    }
  }

  static String sanitize(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    sanitize(sb, s);
    return sb.toString();
  }

  /**
   * A sample value: whole numbers below 2^53 as integers ({@code 42}), infinities as {@code
   * +Inf} / {@code -Inf}, anything else in Go's shortest {@code %g} form ({@code 0.25}, {@code
   * 1e-05}); carbon's and go-carbon's parsers read all of them.
   */
  static void appendValue(StringBuilder sb, double v) {
    if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
      sb.append((long) v);
    } else {
      sb.append(goFloat(v, false));
    }
  }

  /** Go style with {@code .0} on whole numbers, as the Python client writes {@code le} and {@code quantile}. */
  static String goFloat(double v) {
    return GoFloat.formatCanonical(v);
  }

  /**
   * Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}: the shortest digits that read back as
   * {@code v}; with {@code dotZero}, the OpenMetrics canonical form ({@code .0} added when there
   * is neither a point nor an exponent).
   */
  static String goFloat(double v, boolean dotZero) {
    return dotZero ? GoFloat.formatCanonical(v) : GoFloat.format(v);
  }
}

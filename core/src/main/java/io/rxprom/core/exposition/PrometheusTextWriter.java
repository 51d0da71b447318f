package io.rxprom.core.exposition;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricSnapshots;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.StateSetDataPoint;
import io.rxprom.core.snapshot.SummaryDataPoint;
import io.rxprom.core.snapshot.UnknownDataPoint;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * The Prometheus text format 0.0.4. Per family: {@code # HELP} (only when the help is not empty;
 * backslash and newline escaped), {@code # TYPE}, then the samples. Counters are named with
 * {@code _total} in TYPE and samples, info families with {@code _info} and typed gauge, state sets
 * are gauges with one sample per state, unknown is {@code untyped}. No {@code _created}, no unit.
 * Numbers are Go {@code %g} shortest ({@link GoFloat}), {@code le} and {@code quantile} too;
 * negative zero is written {@code 0}, as Go's expfmt writes it ({@link GoFloat#format} itself
 * stays true to {@code strconv} and gives {@code -0}).
 *
 * <p>Thread-safe and stateless; see {@link ExpositionWriter} for allocation.
 */
final class PrometheusTextWriter implements ExpositionWriter {

  static final PrometheusTextWriter INSTANCE = new PrometheusTextWriter();

  private static final byte[][] TYPE_WORDS = new byte[MetricType.values().length][];

  static {
    for (MetricType t : MetricType.values()) {
      TYPE_WORDS[t.ordinal()] = Ascii.bytes(" " + t.textName() + "\n");
    }
  }

  private PrometheusTextWriter() {}

  @Override
  public ExpositionFormat format() {
    return ExpositionFormat.PROMETHEUS_TEXT_0_0_4;
  }

  @Override
  public void write(OutputStream out, MetricSnapshots snapshots) throws IOException {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(snapshots, "snapshots");
    ExpositionBuffer b = new ExpositionBuffer(out, false);
    for (MetricFamilySnapshot family : snapshots.families()) {
      writeFamily(b, family);
    }
    b.drain();
    out.flush();
  }

  private static void writeFamily(ExpositionBuffer b, MetricFamilySnapshot family)
      throws IOException {
    MetricType type = family.type();
    b.setName(family.name());
    byte[] nameSuffix =
        type == MetricType.COUNTER ? Ascii.TOTAL : type == MetricType.INFO ? Ascii.INFO : Ascii.EMPTY;
    String help = family.help();
    if (!help.isEmpty()) {
      b.put(Ascii.HELP);
      b.putName();
      b.put(nameSuffix);
      b.put((byte) ' ');
      b.putEscaped(help, false);
      b.put((byte) '\n');
    }
    b.put(Ascii.TYPE);
    b.putName();
    b.put(nameSuffix);
    b.put(TYPE_WORDS[type.ordinal()]);
    List<DataPointSnapshot> points = family.dataPoints();
    switch (type) {
      case COUNTER -> {
        for (DataPointSnapshot p : points) {
          b.setLabels(p.labels());
          b.sample(Ascii.TOTAL, ((CounterDataPoint) p).value());
        }
      }
      case GAUGE -> {
        for (DataPointSnapshot p : points) {
          b.setLabels(p.labels());
          b.sample(Ascii.EMPTY, ((GaugeDataPoint) p).value());
        }
      }
      case UNKNOWN -> {
        for (DataPointSnapshot p : points) {
          b.setLabels(p.labels());
          b.sample(Ascii.EMPTY, ((UnknownDataPoint) p).value());
        }
      }
      case INFO -> {
        for (DataPointSnapshot p : points) {
          b.setLabels(p.labels());
          b.sample(Ascii.INFO, Ascii.ONE);
        }
      }
      case STATESET -> {
        for (DataPointSnapshot p : points) {
          b.setLabels(p.labels());
          writeStates(b, (StateSetDataPoint) p);
        }
      }
      case HISTOGRAM -> {
        for (DataPointSnapshot p : points) {
          HistogramDataPoint h = (HistogramDataPoint) p;
          b.setLabels(h.labels());
          writeBuckets(b, h);
          b.sample(Ascii.SUM, h.sum());
          b.sample(Ascii.COUNT, h.count());
        }
      }
      case SUMMARY -> {
        for (DataPointSnapshot p : points) {
          SummaryDataPoint s = (SummaryDataPoint) p;
          b.setLabels(s.labels());
          writeQuantiles(b, s, false);
          b.sample(Ascii.SUM, s.sum());
          b.sample(Ascii.COUNT, s.count());
        }
      }
    }
  }

  /** {@code name{labels,name="state"} 1|0} per state; shared with the OpenMetrics writer. */
  static void writeStates(ExpositionBuffer b, StateSetDataPoint p) throws IOException {
    for (int i = 0, n = p.size(); i < n; i++) {
      b.putName();
      b.put((byte) '{');
      if (b.hasLabels()) {
        b.putLabels();
        b.put((byte) ',');
      }
      b.putName();
      b.put(Ascii.EQ_QUOTE);
      b.putEscaped(p.state(i), true);
      b.put(Ascii.QUOTE_CLOSE_SPACE);
      b.put(p.isEnabled(i) ? Ascii.ONE : Ascii.ZERO);
    }
  }

  /** The {@code _bucket} lines; shared with the OpenMetrics writer. */
  static void writeBuckets(ExpositionBuffer b, HistogramDataPoint h) throws IOException {
    b.setBounds(h);
    for (int i = 0, n = h.bucketCount(); i < n; i++) {
      b.putName();
      b.put(Ascii.BUCKET);
      b.putLabelsWithSegment(i);
      b.putLong(h.cumulativeCount(i));
      b.put((byte) '\n');
    }
  }

  /**
   * The quantile lines; shared with the OpenMetrics writer, which leaves out negative values
   * ({@code skipNegative}).
   */
  static void writeQuantiles(ExpositionBuffer b, SummaryDataPoint s, boolean skipNegative)
      throws IOException {
    int n = s.quantileCount();
    if (n == 0) {
      return;
    }
    b.setQuantiles(s);
    for (int i = 0; i < n; i++) {
      double v = s.quantileValue(i);
      if (skipNegative && v < 0) {
        continue;
      }
      b.putName();
      b.putLabelsWithSegment(i);
      b.putDouble(v);
      b.put((byte) '\n');
    }
  }
}

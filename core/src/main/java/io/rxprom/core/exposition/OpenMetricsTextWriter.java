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
 * OpenMetrics 1.0.0 text. Per family: {@code # TYPE}, {@code # UNIT} (when not empty; never for
 * info and state sets, which the specification forbids a unit), {@code # HELP} (when not empty;
 * backslash, double quote and newline escaped), then the samples; the body ends with {@code #
 * EOF}. Counter: {@code _total}, {@code _created}. Histogram: {@code _bucket} with canonical
 * {@code le}, {@code _count}, {@code _sum}, {@code _created}. Summary: quantiles with canonical
 * {@code quantile}, {@code _count}, {@code _sum}, {@code _created}. The order of {@code _count},
 * {@code _sum}, {@code _created} is the specification's and the Python and Java clients'.
 *
 * <p>Samples the specification forbids are left out rather than making the whole exposition
 * invalid: a histogram's {@code _sum} and {@code _count} (which OpenMetrics ties together) when the
 * sum is negative or NaN or a bucket bound is negative; a summary's {@code _sum} when negative or
 * NaN; a summary's negative quantile values.
 *
 * <p>Numbers: doubles, sample values included, in the canonical form ({@link
 * GoFloat#formatCanonical}: {@code 1027.0}, {@code 1e-05}, {@code 0.0}) as the Go, Python and
 * Java clients write them, negative zero as {@code 0.0} (values, {@code le} and {@code quantile}
 * alike) as Go's expfmt writes it, so a double never flips between OpenMetrics' integer and float
 * renderings; counts ({@code _bucket}, {@code _count}) and the {@code 1}/{@code 0} of info and
 * state set samples as integers. {@code _created} is seconds since the epoch in the same form
 * ({@code 1.700000000123e+09}, as Go and Python write it; client_java writes {@code
 * 1700000000.123}, and every parser reads both), written only for series whose creation time is
 * known and only when this writer has created timestamps on.
 *
 * <p>Thread-safe and stateless; see {@link ExpositionWriter} for allocation.
 */
final class OpenMetricsTextWriter implements ExpositionWriter {

  static final OpenMetricsTextWriter WITH_CREATED = new OpenMetricsTextWriter(true);
  static final OpenMetricsTextWriter WITHOUT_CREATED = new OpenMetricsTextWriter(false);

  private static final byte[][] TYPE_WORDS = new byte[MetricType.values().length][];

  static {
    for (MetricType t : MetricType.values()) {
      TYPE_WORDS[t.ordinal()] = Ascii.bytes(" " + t.openMetricsName() + "\n");
    }
  }

  private final boolean createdTimestamps;

  private OpenMetricsTextWriter(boolean createdTimestamps) {
    this.createdTimestamps = createdTimestamps;
  }

  @Override
  public ExpositionFormat format() {
    return ExpositionFormat.OPENMETRICS_1_0_0;
  }

  @Override
  public void write(OutputStream out, MetricSnapshots snapshots) throws IOException {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(snapshots, "snapshots");
    ExpositionBuffer b = new ExpositionBuffer(out, true);
    for (MetricFamilySnapshot family : snapshots.families()) {
      writeFamily(b, family);
    }
    b.put(Ascii.EOF);
    b.drain();
    out.flush();
  }

  private void writeFamily(ExpositionBuffer b, MetricFamilySnapshot family) throws IOException {
    MetricType type = family.type();
    b.setName(family.name());
    b.put(Ascii.TYPE);
    b.putName();
    b.put(TYPE_WORDS[type.ordinal()]);
    String unit = family.unit();
    if (!unit.isEmpty() && type != MetricType.INFO && type != MetricType.STATESET) {
      b.put(Ascii.UNIT);
      b.putName();
      b.put((byte) ' ');
      b.putEscaped(unit, false);
      b.put((byte) '\n');
    }
    String help = family.help();
    if (!help.isEmpty()) {
      b.put(Ascii.HELP);
      b.putName();
      b.put((byte) ' ');
      b.putEscaped(help, true);
      b.put((byte) '\n');
    }
    List<DataPointSnapshot> points = family.dataPoints();
    switch (type) {
      case COUNTER -> {
        for (DataPointSnapshot p : points) {
          b.setLabels(p.labels());
          b.sample(Ascii.TOTAL, ((CounterDataPoint) p).value());
          created(b, p);
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
          PrometheusTextWriter.writeStates(b, (StateSetDataPoint) p);
        }
      }
      case HISTOGRAM -> {
        for (DataPointSnapshot p : points) {
          HistogramDataPoint h = (HistogramDataPoint) p;
          b.setLabels(h.labels());
          PrometheusTextWriter.writeBuckets(b, h);
          double sum = h.sum();
          if (sum >= 0 && h.upperBound(0) >= 0) {
            b.sample(Ascii.COUNT, h.count());
            b.sample(Ascii.SUM, sum);
          }
          created(b, h);
        }
      }
      case SUMMARY -> {
        for (DataPointSnapshot p : points) {
          SummaryDataPoint s = (SummaryDataPoint) p;
          b.setLabels(s.labels());
          PrometheusTextWriter.writeQuantiles(b, s, true);
          b.sample(Ascii.COUNT, s.count());
          double sum = s.sum();
          if (sum >= 0) {
            b.sample(Ascii.SUM, sum);
          }
          created(b, s);
        }
      }
    }
  }

  private void created(ExpositionBuffer b, DataPointSnapshot p) throws IOException {
    long created = p.createdEpochMillis();
    if (createdTimestamps && created != DataPointSnapshot.NO_CREATED) {
      b.sampleSeconds(Ascii.CREATED, created);
    }
  }
}

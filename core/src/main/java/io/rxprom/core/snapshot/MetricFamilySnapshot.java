package io.rxprom.core.snapshot;

import java.util.List;
import java.util.Objects;

/**
 * A metric family at the moment of a scrape: name, type, help, unit and its series.
 *
 * <p>The name follows OpenMetrics: counters without {@code _total}, info families without
 * {@code _info}. The unit, when not empty, is the name's suffix ({@code _seconds}).
 *
 * <p>Thread-safe: immutable.
 */
public final class MetricFamilySnapshot {
  private final String name;
  private final MetricType type;
  private final String help;
  private final String unit;
  private final List<DataPointSnapshot> dataPoints;

  /**
   * @param help the help text, or the empty string for none
   * @param unit the unit, or the empty string for none
   * @param dataPoints the series, of the class that {@code type} calls for (the list is kept)
   * @throws IllegalArgumentException if the name is not a valid metric name, the unit is not
   *     the name's suffix, or a series does not match the type
   */
  public MetricFamilySnapshot(
      String name, MetricType type, String help, String unit, List<? extends DataPointSnapshot> dataPoints) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.help = Objects.requireNonNull(help, "help");
    this.unit = Objects.requireNonNull(unit, "unit");
    if (!Names.isValidMetricName(name)) {
      throw new IllegalArgumentException(
          "metric '" + name + "': invalid metric name, must match [a-zA-Z_:][a-zA-Z0-9_:]*");
    }
    if (!unit.isEmpty() && !name.endsWith("_" + unit)) {
      throw new IllegalArgumentException(
          "metric '" + name + "': unit '" + unit + "' must be the name's suffix");
    }
    if (type == MetricType.COUNTER && name.endsWith("_total")) {
      throw new IllegalArgumentException(
          "metric '" + name + "': a counter family is named without '_total' (its samples add it)");
    }
    if (type == MetricType.INFO && name.endsWith("_info")) {
      throw new IllegalArgumentException(
          "metric '" + name + "': an info family is named without '_info' (its samples add it)");
    }
    if (!unit.isEmpty() && (type == MetricType.INFO || type == MetricType.STATESET)) {
      throw new IllegalArgumentException(
          "metric '" + name + "': a " + type.openMetricsName() + " family has no unit");
    }
    if (type == MetricType.STATESET && !Names.isValidLabelName(name)) {
      throw new IllegalArgumentException(
          "metric '" + name + "': a state set's name is also its states' label name, so it must match [a-zA-Z_][a-zA-Z0-9_]*");
    }
    Class<? extends DataPointSnapshot> expected = switch (type) {
      case COUNTER -> CounterDataPoint.class;
      case GAUGE -> GaugeDataPoint.class;
      case HISTOGRAM -> HistogramDataPoint.class;
      case SUMMARY -> SummaryDataPoint.class;
      case INFO -> InfoDataPoint.class;
      case STATESET -> StateSetDataPoint.class;
      case UNKNOWN -> UnknownDataPoint.class;
    };
    for (DataPointSnapshot p : dataPoints) {
      if (p.getClass() != expected) {
        throw new IllegalArgumentException(
            "metric '" + name + "': a " + type + " family cannot hold a " + p.getClass().getSimpleName());
      }
    }
    @SuppressWarnings("unchecked")
    List<DataPointSnapshot> points = (List<DataPointSnapshot>) dataPoints;
    this.dataPoints = points;
  }

  public String name() {
    return name;
  }

  public MetricType type() {
    return type;
  }

  public String help() {
    return help;
  }

  public String unit() {
    return unit;
  }

  public List<DataPointSnapshot> dataPoints() {
    return dataPoints;
  }

  @Override
  public String toString() {
    return "MetricFamilySnapshot{" + name + " " + type + ", " + dataPoints.size() + " series}";
  }
}

package io.rxprom.core.snapshot;

/** The type of a metric family, as OpenMetrics names them. */
public enum MetricType {
  COUNTER("counter", "counter"),
  GAUGE("gauge", "gauge"),
  HISTOGRAM("histogram", "histogram"),
  SUMMARY("summary", "summary"),
  INFO("info", "gauge"),
  STATESET("stateset", "gauge"),
  UNKNOWN("unknown", "untyped");

  private final String openMetricsName;
  private final String textName;

  MetricType(String openMetricsName, String textName) {
    this.openMetricsName = openMetricsName;
    this.textName = textName;
  }

  /** The word used after {@code # TYPE} in OpenMetrics 1.0.0. */
  public String openMetricsName() {
    return openMetricsName;
  }

  /** The word used after {@code # TYPE} in the text format 0.0.4. */
  public String textName() {
    return textName;
  }
}

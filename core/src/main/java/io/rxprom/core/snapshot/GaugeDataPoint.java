package io.rxprom.core.snapshot;

/** A gauge series: any double, including NaN and infinities. */
public final class GaugeDataPoint extends DataPointSnapshot {
  private final double value;

  public GaugeDataPoint(Labels labels, double value) {
    super(labels, NO_CREATED);
    this.value = value;
  }

  public double value() {
    return value;
  }
}

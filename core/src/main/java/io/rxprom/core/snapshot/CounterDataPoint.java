package io.rxprom.core.snapshot;

/** A counter series: a monotonically increasing total, never negative or NaN. */
public final class CounterDataPoint extends DataPointSnapshot {
  private final double value;

  /**
   * @throws IllegalArgumentException if {@code value} is negative or NaN
   */
  public CounterDataPoint(Labels labels, double value, long createdEpochMillis) {
    super(labels, createdEpochMillis);
    if (!(value >= 0)) {
      throw new IllegalArgumentException(
          "counter value must be >= 0 and not NaN, got " + value + " for " + labels);
    }
    this.value = value;
  }

  public double value() {
    return value;
  }
}

package io.rxprom.core.snapshot;

/** A series of unknown type ({@code untyped} in text 0.0.4). */
public final class UnknownDataPoint extends DataPointSnapshot {
  private final double value;

  public UnknownDataPoint(Labels labels, double value) {
    super(labels, NO_CREATED);
    this.value = value;
  }

  public double value() {
    return value;
  }
}

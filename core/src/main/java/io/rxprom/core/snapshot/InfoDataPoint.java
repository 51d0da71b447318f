package io.rxprom.core.snapshot;

/** An info series: its labels are the information, its value is always 1. */
public final class InfoDataPoint extends DataPointSnapshot {
  public InfoDataPoint(Labels labels) {
    super(labels, NO_CREATED);
  }
}

package io.rxprom.core.snapshot;

import java.util.Objects;

/**
 * One series of a family at the moment of a scrape. Subclasses carry the type's values.
 *
 * <p>Thread-safe: immutable. Array arguments of the subclasses' constructors are owned by the
 * snapshot afterwards and are not copied: a caller must not change them.
 */
public abstract sealed class DataPointSnapshot
    permits CounterDataPoint,
        GaugeDataPoint,
        HistogramDataPoint,
        SummaryDataPoint,
        InfoDataPoint,
        StateSetDataPoint,
        UnknownDataPoint {

  /** The value of {@link #createdEpochMillis()} when no creation time is known. */
  public static final long NO_CREATED = 0L;

  private final Labels labels;
  private final long createdEpochMillis;

  DataPointSnapshot(Labels labels, long createdEpochMillis) {
    this.labels = Objects.requireNonNull(labels, "labels");
    this.createdEpochMillis = createdEpochMillis;
  }

  public final Labels labels() {
    return labels;
  }

  /**
   * When the series was created or last reset, in milliseconds since the epoch, for the
   * OpenMetrics {@code _created} sample; {@link #NO_CREATED} if unknown or not applicable.
   */
  public final long createdEpochMillis() {
    return createdEpochMillis;
  }
}

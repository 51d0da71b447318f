package io.rxprom.core.snapshot;

/**
 * A classic histogram series: cumulative bucket counts, the sum and the count of observations.
 *
 * <p>Invariants, checked on construction: the upper bounds increase strictly and end with
 * {@code +Inf}; the counts are cumulative (never decrease); {@link #count()} is the count of the
 * {@code +Inf} bucket.
 */
public final class HistogramDataPoint extends DataPointSnapshot {
  private final double[] upperBounds;
  private final long[] cumulativeCounts;
  private final double sum;

  /**
   * @param upperBounds bucket upper bounds, strictly increasing, the last one {@code +Inf};
   *     usually shared by every series of the family (not copied)
   * @param cumulativeCounts for each bound, the number of observations {@code <=} it (not copied)
   */
  public HistogramDataPoint(
      Labels labels,
      double[] upperBounds,
      long[] cumulativeCounts,
      double sum,
      long createdEpochMillis) {
    super(labels, createdEpochMillis);
    int n = upperBounds.length;
    if (n == 0 || upperBounds[n - 1] != Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("histogram " + labels + ": last bucket must be +Inf");
    }
    if (cumulativeCounts.length != n) {
      throw new IllegalArgumentException(
          "histogram " + labels + ": " + n + " bounds but " + cumulativeCounts.length + " counts");
    }
    for (int i = 1; i < n; i++) {
      if (!(upperBounds[i] > upperBounds[i - 1])) {
        throw new IllegalArgumentException(
            "histogram " + labels + ": bucket bounds must increase, got " + upperBounds[i - 1]
                + " then " + upperBounds[i]);
      }
      if (cumulativeCounts[i] < cumulativeCounts[i - 1]) {
        throw new IllegalArgumentException(
            "histogram " + labels + ": bucket counts must be cumulative");
      }
    }
    this.upperBounds = upperBounds;
    this.cumulativeCounts = cumulativeCounts;
    this.sum = sum;
  }

  /** Number of buckets, the {@code +Inf} bucket included. */
  public int bucketCount() {
    return upperBounds.length;
  }

  public double upperBound(int i) {
    return upperBounds[i];
  }

  /** Observations {@code <=} {@link #upperBound(int) upperBound(i)}. */
  public long cumulativeCount(int i) {
    return cumulativeCounts[i];
  }

  /** Total number of observations: the count of the {@code +Inf} bucket. */
  public long count() {
    return cumulativeCounts[cumulativeCounts.length - 1];
  }

  public double sum() {
    return sum;
  }
}

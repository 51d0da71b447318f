package io.rxprom.core.snapshot;

/** A summary series: count, sum and optional quantiles (which may be NaN when empty). */
public final class SummaryDataPoint extends DataPointSnapshot {
  private static final double[] NONE = new double[0];

  private final long count;
  private final double sum;
  private final double[] quantiles;
  private final double[] values;

  /** A summary without quantiles. */
  public SummaryDataPoint(Labels labels, long count, double sum, long createdEpochMillis) {
    this(labels, count, sum, NONE, NONE, createdEpochMillis);
  }

  /**
   * @param quantiles strictly increasing ranks in [0, 1] (not copied)
   * @param values the estimate for each rank (not copied)
   */
  public SummaryDataPoint(
      Labels labels,
      long count,
      double sum,
      double[] quantiles,
      double[] values,
      long createdEpochMillis) {
    super(labels, createdEpochMillis);
    if (count < 0) {
      throw new IllegalArgumentException("summary " + labels + ": negative count " + count);
    }
    if (quantiles.length != values.length) {
      throw new IllegalArgumentException(
          "summary " + labels + ": " + quantiles.length + " quantiles but " + values.length
              + " values");
    }
    for (int i = 0; i < quantiles.length; i++) {
      if (!(quantiles[i] >= 0 && quantiles[i] <= 1) || (i > 0 && !(quantiles[i] > quantiles[i - 1]))) {
        throw new IllegalArgumentException(
            "summary " + labels + ": quantiles must increase within [0, 1], got " + quantiles[i]);
      }
    }
    this.count = count;
    this.sum = sum;
    this.quantiles = quantiles;
    this.values = values;
  }

  public long count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  public int quantileCount() {
    return quantiles.length;
  }

  public double quantile(int i) {
    return quantiles[i];
  }

  public double quantileValue(int i) {
    return values[i];
  }
}

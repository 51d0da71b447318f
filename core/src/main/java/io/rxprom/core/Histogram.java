package io.rxprom.core;

import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricType;
import java.util.Arrays;
import java.util.Set;

/**
 * A classic histogram: counts of observations in buckets of fixed upper bounds, their sum and
 * count.
 *
 * <pre>{@code
 * Histogram latency = Histogram.builder("http_request_duration_seconds")
 *     .help("Request latency").labelNames("route").buckets(0.01, 0.1, 1).register(registry);
 * latency.labels("/users/:id").observe(0.042);
 * }</pre>
 *
 * <p>The bucket bounds are sorted and unique, at least one; {@code +Inf} is implied. The default
 * bounds are {@link #DEFAULT_BUCKETS}.
 *
 * <p>Thread-safe. {@code observe} takes no lock and allocates nothing: a bucket search, one
 * atomic add and one compare-and-set, both on the calling thread's own stripe. A scrape reads
 * the stripes without stopping or waiting for writers and is always self-consistent
 * ({@code _count} equals the {@code +Inf} bucket, buckets cumulative, nothing goes backwards).
 */
public final class Histogram extends MetricFamily<Histogram.Child> {

  /** .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10: the official clients' defaults. */
  public static final double[] DEFAULT_BUCKETS = {
    .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10
  };

  private static final int LINEAR_SEARCH_LIMIT = 16;

  private final double[] bounds; // finite bounds, strictly increasing
  private final double[] boundsWithInf; // shared by every snapshot

  private Histogram(Builder b) {
    super(b);
    this.bounds = b.bounds;
    this.boundsWithInf = Arrays.copyOf(bounds, bounds.length + 1);
    boundsWithInf[bounds.length] = Double.POSITIVE_INFINITY;
    initUnlabelled();
  }

  /** A builder for a histogram named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** {@code count} bounds: {@code start}, {@code start + width}, ... */
  public static double[] linearBuckets(double start, double width, int count) {
    if (count < 1 || !(width > 0) || !Double.isFinite(start) || !Double.isFinite(width)) {
      throw new IllegalArgumentException(
          "linearBuckets(" + start + ", " + width + ", " + count
              + "): need finite start, width > 0 and count >= 1");
    }
    double[] b = new double[count];
    for (int i = 0; i < count; i++) {
      b[i] = start + i * width;
    }
    return b;
  }

  /** {@code count} bounds: {@code start}, {@code start * factor}, ... */
  public static double[] exponentialBuckets(double start, double factor, int count) {
    if (count < 1 || !(start > 0) || !(factor > 1) || !Double.isFinite(start)
        || !Double.isFinite(factor)) {
      throw new IllegalArgumentException(
          "exponentialBuckets(" + start + ", " + factor + ", " + count
              + "): need start > 0, factor > 1 and count >= 1");
    }
    double[] b = new double[count];
    b[0] = start;
    for (int i = 1; i < count; i++) {
      b[i] = b[i - 1] * factor;
    }
    return b;
  }

  @Override
  MetricType type() {
    return MetricType.HISTOGRAM;
  }

  @Override
  Child newChild(Labels labels) {
    return new Child(this, labels);
  }

  @Override
  DataPointSnapshot snapshot(Child c) {
    long[] counts = new long[boundsWithInf.length];
    c.cells.cumulativeCounts(counts);
    return new HistogramDataPoint(c.labels, boundsWithInf, counts, c.cells.sum(), c.createdEpochMillis);
  }

  /** The finite upper bounds, in increasing order ({@code +Inf} not included). */
  public double[] buckets() {
    return bounds.clone();
  }

  int bucketIndex(double v) {
    double[] b = bounds;
    if (b.length <= LINEAR_SEARCH_LIMIT) {
      for (int i = 0; i < b.length; i++) {
        if (v <= b[i]) {
          return i;
        }
      }
      return b.length;
    }
    int i = Arrays.binarySearch(b, v);
    return i >= 0 ? i : -i - 1;
  }

  /** Records {@code value} in a histogram without labels. */
  public void observe(double value) {
    single().observe(value);
  }

  /** Starts a timer on a histogram without labels. */
  public Timer startTimer() {
    return single().startTimer();
  }

  /** One series of a histogram. Thread-safe; see {@link Histogram}. */
  public static final class Child extends DistributionChild {
    private final Histogram family;
    final StripedHistogramCells cells;

    Child(Histogram family, Labels labels) {
      super(labels);
      this.family = family;
      this.cells = new StripedHistogramCells(family.bounds.length + 1);
    }

    @Override
    public void observe(double value) {
      if (value != value) {
        throw new IllegalArgumentException(
            "histogram '" + family.name + "' " + labels + ": cannot observe NaN");
      }
      cells.observe(family.bucketIndex(value), value);
    }

    /** Observations so far. */
    public long count() {
      return cells.count();
    }

    /** Sum of observations so far. */
    public double sum() {
      return cells.sum();
    }
  }

  /** Builds a {@link Histogram}. */
  public static final class Builder extends MetricFamily.Builder<Builder, Histogram> {
    private double[] bounds = DEFAULT_BUCKETS;

    Builder(String name) {
      super(name);
    }

    /**
     * The bucket upper bounds: strictly increasing, at least one, no NaN. A trailing {@code
     * +Inf} may be given and is implied otherwise.
     */
    public Builder buckets(double... upperBounds) {
      if (upperBounds == null) {
        throw new IllegalArgumentException("histogram '" + name + "': buckets are null");
      }
      double[] b = upperBounds.clone();
      int n = b.length;
      if (n > 0 && b[n - 1] == Double.POSITIVE_INFINITY) {
        n--;
      }
      if (n == 0) {
        throw new IllegalArgumentException(
            "histogram '" + name + "': at least one finite bucket bound is required");
      }
      for (int i = 0; i < n; i++) {
        if (!Double.isFinite(b[i])) {
          throw new IllegalArgumentException(
              "histogram '" + name + "': bucket bound " + b[i] + " at index " + i
                  + " is not allowed (bounds must be finite numbers; only the last may be +Inf)");
        }
        b[i] += 0.0; // -0.0 becomes 0.0: one zero, for the binary search and for the writers
        if (i > 0 && !(b[i] > b[i - 1])) {
          throw new IllegalArgumentException(
              "histogram '" + name + "': bucket bounds must be strictly increasing, got "
                  + b[i - 1] + " then " + b[i]);
        }
      }
      this.bounds = Arrays.copyOf(b, n);
      return this;
    }

    /** Shorthand for {@code buckets(Histogram.linearBuckets(start, width, count))}. */
    public Builder linearBuckets(double start, double width, int count) {
      return buckets(Histogram.linearBuckets(start, width, count));
    }

    /** Shorthand for {@code buckets(Histogram.exponentialBuckets(start, factor, count))}. */
    public Builder exponentialBuckets(double start, double factor, int count) {
      return buckets(Histogram.exponentialBuckets(start, factor, count));
    }

    @Override
    MetricType type() {
      return MetricType.HISTOGRAM;
    }

    @Override
    String kind() {
      return "histogram";
    }

    @Override
    Set<String> reservedLabelNames() {
      return Set.of("le");
    }

    @Override
    Histogram create() {
      return new Histogram(this);
    }
  }
}

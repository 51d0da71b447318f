package io.rxprom.core;

import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.SummaryDataPoint;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A summary: the count and sum of observations, and optionally quantile estimates over a
 * sliding time window.
 *
 * <pre>{@code
 * Summary latency = Summary.builder("my_router_request_latency_seconds")
 *     .help("Latency of request router handlers").labelNames("path").register(registry);
 * latency.labels("/foo").observe(0.25);
 * try (var t = latency.labels("/bar").startTimer()) { ... }
 * }</pre>
 *
 * <p>Quantiles ({@link Builder#quantiles}) are estimated with a relative error of at most
 * 0.78% against the exact nearest-rank quantile of the observations in the window, for
 * magnitudes in [2<sup>-64</sup>, 2<sup>64</sup>). The window defaults to 10 minutes in 5
 * slices, as in the official Java client. Quantiles are not aggregatable across instances; use
 * a {@link Histogram} when you need that.
 *
 * <p>Thread-safe. {@code observe} takes no lock: count and sum go to the calling thread's
 * stripe; a quantile observation is one atomic add into the current slice (the thread reads the
 * clock on one observation in 16, and every scrape rotates the window, so an observation joins
 * the slice current at its thread's last clock check or the last scrape, whichever is later).
 * It allocates only when a slice rotates (once per {@code maxAge / ageBuckets}) and when
 * a value first lands in an octave of magnitudes that the current slice has not seen yet.
 */
public final class Summary extends MetricFamily<Summary.Child> {

  private final double[] quantiles;
  private final long maxAgeNanos;
  private final int ageBuckets;
  private final LongSupplier nanoClock;

  private Summary(Builder b) {
    super(b);
    this.quantiles = b.quantiles;
    this.maxAgeNanos = b.maxAge.toNanos();
    this.ageBuckets = b.ageBuckets;
    this.nanoClock = b.nanoClock;
    initUnlabelled();
  }

  /** A builder for a summary named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  @Override
  MetricType type() {
    return MetricType.SUMMARY;
  }

  @Override
  Child newChild(Labels labels) {
    return new Child(this, labels);
  }

  @Override
  DataPointSnapshot snapshot(Child c) {
    long count = c.cells.count();
    double sum = c.cells.sum();
    if (c.window == null) {
      return new SummaryDataPoint(c.labels, count, sum, c.createdEpochMillis);
    }
    double[] values = new double[quantiles.length];
    c.window.quantiles(quantiles, values);
    return new SummaryDataPoint(c.labels, count, sum, quantiles, values, c.createdEpochMillis);
  }

  /** Records {@code value} in a summary without labels. */
  public void observe(double value) {
    single().observe(value);
  }

  /** Starts a timer on a summary without labels. */
  public Timer startTimer() {
    return single().startTimer();
  }

  /** One series of a summary. Thread-safe; see {@link Summary}. */
  public static final class Child extends DistributionChild {
    private final Summary family;
    final StripedHistogramCells cells = new StripedHistogramCells(1);
    final SlidingQuantiles window;

    Child(Summary family, Labels labels) {
      super(labels);
      this.family = family;
      this.window = family.quantiles.length == 0
          ? null
          : new SlidingQuantiles(family.maxAgeNanos, family.ageBuckets, family.nanoClock);
    }

    @Override
    public void observe(double value) {
      if (value != value) {
        throw new IllegalArgumentException(
            "summary '" + family.name + "' " + labels + ": cannot observe NaN");
      }
      cells.observe(0, value);
      SlidingQuantiles w = window;
      if (w != null) {
        w.observe(value);
      }
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

  /** Builds a {@link Summary}. */
  public static final class Builder extends MetricFamily.Builder<Builder, Summary> {
    private double[] quantiles = new double[0];
    private Duration maxAge = Duration.ofMinutes(10);
    private int ageBuckets = 5;
    private LongSupplier nanoClock = System::nanoTime;

    Builder(String name) {
      super(name);
    }

    /** The quantiles to estimate, each in [0, 1]; duplicates are merged, order does not matter. */
    public Builder quantiles(double... quantiles) {
      if (quantiles == null) {
        throw new IllegalArgumentException("summary '" + name + "': quantiles are null");
      }
      double[] q = quantiles.clone();
      for (double v : q) {
        if (!(v >= 0 && v <= 1)) {
          throw new IllegalArgumentException(
              "summary '" + name + "': quantile " + v + " is outside [0, 1]");
        }
      }
      this.quantiles = Arrays.stream(q).sorted().distinct().toArray();
      return this;
    }

    /**
     * How far back quantiles look (default 10 minutes); {@code maxAge / ageBuckets} must be at
     * least 1 ms.
     */
    public Builder maxAge(Duration maxAge) {
      if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException(
            "summary '" + name + "': maxAge must be positive, got " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /** In how many slices the window moves (default 5). */
    public Builder ageBuckets(int ageBuckets) {
      if (ageBuckets < 1 || ageBuckets > 1000) {
        throw new IllegalArgumentException(
            "summary '" + name + "': ageBuckets must be in [1, 1000], got " + ageBuckets);
      }
      this.ageBuckets = ageBuckets;
      return this;
    }

    /** The nanosecond clock for the quantile window (tests). */
    Builder nanoClock(LongSupplier nanoClock) {
      if (nanoClock == null) {
        throw new IllegalArgumentException("summary '" + name + "': nanoClock is null");
      }
      this.nanoClock = nanoClock;
      return this;
    }

    @Override
    MetricType type() {
      return MetricType.SUMMARY;
    }

    @Override
    String kind() {
      return "summary";
    }

    @Override
    Set<String> reservedLabelNames() {
      return Set.of("quantile");
    }

    @Override
    void validate() {
      super.validate();
      if (maxAge.compareTo(Duration.ofMillis(ageBuckets)) < 0) {
        throw new IllegalArgumentException(
            "summary '" + name + "': maxAge " + maxAge + " / ageBuckets " + ageBuckets
                + " gives slices shorter than 1 ms; each slice of the quantile window must be at"
                + " least 1 ms (raise maxAge or lower ageBuckets)");
      }
    }

    @Override
    Summary create() {
      return new Summary(this);
    }
  }
}

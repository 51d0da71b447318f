package io.rxprom.core;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricType;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter: a total that only goes up, such as requests served or errors thrown.
 *
 * <pre>{@code
 * Counter errors = Counter.builder("my_router_request_exceptions_total")
 *     .help("Exceptions thrown in request router handlers").labelNames("path").register(registry);
 * errors.labels("/foo").inc();
 * errors.labels("/bar").countExceptions(() -> handler.call());   // counts, then rethrows
 * }</pre>
 *
 * <p>A counter named with or without {@code _total} is the same family: its OpenMetrics name is
 * without the suffix, and its samples are {@code name_total} in both formats.
 *
 * <p>Thread-safe. {@code inc} is lock-free and allocation-free once its cells have grown: it is a
 * {@link LongAdder} increment, a compare-and-set striped across cells so that threads do not
 * contend on one word (the adder allocates its cells on first contention).
 */
public final class Counter extends MetricFamily<Counter.Child> {


  private Counter(Builder b) {
    super(b);
    initUnlabelled();
  }

  /** A builder for a counter named {@code name} ({@code _total} is optional). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  @Override
  MetricType type() {
    return MetricType.COUNTER;
  }

  @Override
  Child newChild(Labels labels) {
    return new Child(this, labels);
  }

  @Override
  DataPointSnapshot snapshot(Child c) {
    return new CounterDataPoint(c.labels, c.get(), c.createdEpochMillis);
  }

  /** Adds one to a counter without labels. */
  public void inc() {
    single().inc();
  }

  /** Adds {@code amount} to a counter without labels; see {@link Child#inc(long)}. */
  public void inc(long amount) {
    single().inc(amount);
  }

  /** Adds {@code amount} to a counter without labels; see {@link Child#inc(double)}. */
  public void inc(double amount) {
    single().inc(amount);
  }

  /** The total of a counter without labels. */
  public double get() {
    return single().get();
  }

  /** Counts exceptions of {@code body} in a counter without labels; see {@link Child}. */
  public void countExceptions(Runnable body) {
    single().countExceptions(body);
  }

  /** Counts exceptions of {@code body} in a counter without labels; see {@link Child}. */
  public <T> T countExceptions(Callable<T> body) throws Exception {
    return single().countExceptions(body);
  }

  /**
   * One series of a counter.
   *
   * <p>Thread-safe. Whole-number increments go to a {@link LongAdder} (about 20% cheaper than a
   * {@link DoubleAdder}); fractional ones to a {@link DoubleAdder} made on first use. Both only
   * grow, so two reads in sequence never see the total go backwards.
   */
  public static final class Child extends MetricFamily.Child {
    private static final double EXACT_LONG_LIMIT = 0x1p53;

    private final Counter family;
    private final LongAdder whole = new LongAdder();
    private volatile DoubleAdder fractional;

    Child(Counter family, Labels labels) {
      super(labels);
      this.family = family;
    }

    /** Adds one. Lock-free; allocation-free once the adder's cells have grown. */
    public void inc() {
      whole.increment();
    }

    /**
     * Adds {@code amount}.
     *
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    public void inc(long amount) {
      if (amount < 0) {
        throw negative(amount);
      }
      whole.add(amount);
    }

    /**
     * Adds {@code amount}.
     *
     * @throws IllegalArgumentException if {@code amount} is negative, NaN or infinite
     */
    public void inc(double amount) {
      if (!(amount >= 0) || amount == Double.POSITIVE_INFINITY) {
        throw negative(amount);
      }
      if (amount < EXACT_LONG_LIMIT && amount == (long) amount) {
        whole.add((long) amount);
      } else {
        fractional().add(amount);
      }
    }

    private DoubleAdder fractional() {
      DoubleAdder f = fractional;
      if (f == null) {
        synchronized (this) {
          f = fractional;
          if (f == null) {
            f = new DoubleAdder();
            fractional = f;
          }
        }
      }
      return f;
    }

    private IllegalArgumentException negative(Object amount) {
      return new IllegalArgumentException(
          "counter '" + family.name + "' " + labels + ": increment must be a finite number >= 0, got "
              + amount);
    }

    /** The current total. */
    public double get() {
      DoubleAdder f = fractional;
      double w = whole.sum();
      return f == null ? w : w + f.sum();
    }

    /** Runs {@code body}; if it throws, adds one and rethrows. */
    public void countExceptions(Runnable body) {
      try {
        body.run();
      } catch (RuntimeException | Error e) {
        inc();
        throw e;
      }
    }

    /** Calls {@code body} and returns its result; if it throws, adds one and rethrows. */
    public <T> T countExceptions(Callable<T> body) throws Exception {
      try {
        return body.call();
      } catch (Exception | Error e) {
        inc();
        throw e;
      }
    }
  }

  /** Builds a {@link Counter}. */
  public static final class Builder extends MetricFamily.Builder<Builder, Counter> {
    Builder(String name) {
      super(name);
    }

    @Override
    MetricType type() {
      return MetricType.COUNTER;
    }

    @Override
    String kind() {
      return "counter";
    }

    @Override
    String strippedSuffix() {
      return "_total";
    }

    @Override
    void validate() {
      super.validate();
      if (name.endsWith("_created")) {
        throw new IllegalArgumentException(
            "metric '" + name + "': a counter name must not end with '_created' (reserved suffix"
                + " of the counter's own _created sample)");
      }
    }

    @Override
    Counter create() {
      return new Counter(this);
    }
  }
}

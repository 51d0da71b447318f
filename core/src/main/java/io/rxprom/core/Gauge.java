package io.rxprom.core;

import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricType;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A gauge: a value that goes up and down, such as requests in flight or queue length.
 *
 * <pre>{@code
 * Gauge inFlight = Gauge.builder("my_requests_in_progress").help("Requests in flight").register(registry);
 * inFlight.trackInProgress(() -> handle(request));
 * }</pre>
 *
 * <p>Thread-safe. Whole-number {@code inc}/{@code dec} are wait-free striped adds and allocate
 * nothing; fractional steps are striped adds too; {@code set} is wait-free. Steps must be finite;
 * {@code set} takes any double.
 */
public final class Gauge extends MetricFamily<Gauge.Child> {

  private final Child noLabels;

  private Gauge(Builder b) {
    super(b);
    this.noLabels = initUnlabelled();
  }

  /** A builder for a gauge named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  @Override
  MetricType type() {
    return MetricType.GAUGE;
  }

  @Override
  Child newChild(Labels labels) {
    return new Child(this, labels);
  }

  @Override
  DataPointSnapshot snapshot(Child c) {
    return new GaugeDataPoint(c.labels, c.get());
  }

  private Child single() {
    Child c = noLabels;
    if (c == null) {
      throw noLabelsError();
    }
    return c;
  }

  /** Adds one to a gauge without labels. */
  public void inc() {
    single().inc();
  }

  /** Adds {@code amount} to a gauge without labels; see {@link Child#inc(double)}. */
  public void inc(double amount) {
    single().inc(amount);
  }

  /** Subtracts one from a gauge without labels. */
  public void dec() {
    single().dec();
  }

  /** Subtracts {@code amount} from a gauge without labels; see {@link Child#dec(double)}. */
  public void dec(double amount) {
    single().dec(amount);
  }

  /** Sets a gauge without labels to {@code value}. */
  public void set(double value) {
    single().set(value);
  }

  /** Sets a gauge without labels to the current time in seconds since the epoch. */
  public void setToCurrentTime() {
    single().setToCurrentTime();
  }

  /** The value of a gauge without labels. */
  public double get() {
    return single().get();
  }

  /** Adds one to a gauge without labels while {@code body} runs. */
  public void trackInProgress(Runnable body) {
    single().trackInProgress(body);
  }

  /** Adds one to a gauge without labels while {@code body} runs. */
  public <T> T trackInProgress(Callable<T> body) throws Exception {
    return single().trackInProgress(body);
  }

  /**
   * One series of a gauge.
   *
   * <p>Thread-safe. Whole-number {@code inc}/{@code dec} go to a striped {@link LongAdder}, so
   * in-flight tracking from many threads does not contend on one word; fractional steps go to a
   * {@link DoubleAdder} made on first use. {@code set} is wait-free and, for a gauge that is only
   * ever set, allocation-free. After {@code set(v)} with no step since, {@code get()} returns
   * exactly {@code v}.
   */
  public static final class Child extends MetricFamily.Child {
    /*
     * Implementation notes.
     *
     * value = base.value + (steps.sum() - base.steps) + (fractional.sum() - base.fractional)
     *
     * set(v) reads both step totals, then records v together with them in `base`. A step that
     * lands before those reads is cancelled by the differences; one that lands after them is
     * kept, so a set racing with a step linearises as "step, set" or "set, step" and nothing is
     * lost. The differences are computed exactly (long subtraction; a double minus itself) and
     * are zero until the next step, so get() returns v bit for bit: the earlier design, which
     * stored v - steps and added steps back, turned set(0.1) after inc() into 0.09999999999999998.
     *
     * Allocation: when the totals still equal those in the current base (always so for a gauge
     * that is only set), set writes the base's volatile value in place. Otherwise it publishes a
     * new Base with a volatile write; a reader takes `base` once and uses its value and totals
     * together, so it never mixes two sets. If an in-place write races with the publication of a
     * newer base by another set, the in-place write is lost: both sets overlapped, and this
     * linearises the lost one first.
     */
    private static final double EXACT_LONG_LIMIT = 0x1p53;

    private final Gauge family;
    private final LongAdder steps = new LongAdder();
    private volatile DoubleAdder fractional;
    private volatile Base base = new Base(0.0, 0L, 0.0);

    Child(Gauge family, Labels labels) {
      super(labels);
      this.family = family;
    }

    /** Adds one. Wait-free, allocation-free. */
    public void inc() {
      steps.increment();
    }

    /** Subtracts one. Wait-free, allocation-free. */
    public void dec() {
      steps.decrement();
    }

    /**
     * Adds {@code amount} (may be negative).
     *
     * @throws IllegalArgumentException if {@code amount} is NaN or infinite (use {@link #set})
     */
    public void inc(double amount) {
      add(amount, amount);
    }

    /**
     * Subtracts {@code amount} (may be negative).
     *
     * @throws IllegalArgumentException if {@code amount} is NaN or infinite (use {@link #set})
     */
    public void dec(double amount) {
      add(-amount, amount);
    }

    private void add(double amount, double given) {
      if (!Double.isFinite(amount)) {
        throw new IllegalArgumentException(
            "gauge '" + family.name + "' " + labels + ": a step must be a finite number, got "
                + given + " (use set() for NaN or infinities)");
      }
      if (Math.abs(amount) < EXACT_LONG_LIMIT && amount == (long) amount) {
        steps.add((long) amount);
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

    /** Sets the value; any double, NaN and infinities included. Wait-free. */
    public void set(double value) {
      long w = steps.sum();
      DoubleAdder f = fractional;
      double fs = f == null ? 0.0 : f.sum();
      Base b = base;
      if (b.steps == w && b.fractional == fs) {
        b.value = value;
      } else {
        base = new Base(value, w, fs);
      }
    }

    /** Sets the value to the current time in seconds since the epoch. */
    public void setToCurrentTime() {
      set(System.currentTimeMillis() / 1000.0);
    }

    /** The current value. */
    public double get() {
      Base b = base;
      double v = b.value;
      long dw = steps.sum() - b.steps;
      DoubleAdder f = fractional;
      double df = f == null ? 0.0 : f.sum() - b.fractional;
      if (dw == 0 && df == 0) {
        return v;
      }
      return v + (double) dw + df;
    }

    /** Adds one while {@code body} runs, and subtracts it again however it ends. */
    public void trackInProgress(Runnable body) {
      steps.increment();
      try {
        body.run();
      } finally {
        steps.decrement();
      }
    }

    /** Adds one while {@code body} runs, and subtracts it again however it ends. */
    public <T> T trackInProgress(Callable<T> body) throws Exception {
      steps.increment();
      try {
        return body.call();
      } finally {
        steps.decrement();
      }
    }

    /** The value of the last set() and the step totals it saw. */
    private static final class Base {
      final long steps;
      final double fractional;
      volatile double value;

      Base(double value, long steps, double fractional) {
        this.value = value;
        this.steps = steps;
        this.fractional = fractional;
      }
    }
  }

  /** Builds a {@link Gauge}. */
  public static final class Builder extends MetricFamily.Builder<Builder, Gauge> {
    Builder(String name) {
      super(name);
    }

    @Override
    String kind() {
      return "gauge";
    }

    @Override
    Gauge create() {
      return new Gauge(this);
    }
  }
}

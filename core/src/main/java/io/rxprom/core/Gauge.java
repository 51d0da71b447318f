package io.rxprom.core;

import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * <p>Thread-safe. Whole-number {@code inc}/{@code dec} are lock-free striped adds ({@link
 * LongAdder}), allocation-free once its cells have grown; fractional steps are striped adds too;
 * {@code set} is lock-free and linearisable with the steps. Steps must be finite; {@code set}
 * takes any double.
 */
public final class Gauge extends MetricFamily<Gauge.Child> {


  private Gauge(Builder b) {
    super(b);
    initUnlabelled();
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
   * {@link DoubleAdder} made on first use. {@code set} is lock-free and, for a gauge that is only
   * ever set, allocation-free. After {@code set(v)} with no step since, {@code get()} returns
   * exactly {@code v}.
   */
  public static final class Child extends MetricFamily.Child {
    /*
     * Implementation notes.
     *
     * value = base.value + (steps.sum() - base.steps) + (fractional.sum() - base.fractional)
     *
     * set(v) reads `base` first, then both step totals, then records v with those totals. A
     * step that lands before the total reads is cancelled by the differences; one that lands
     * after them is kept, so a set racing with a step linearises as "step, set" or "set, step"
     * and nothing is lost. The differences are computed exactly (long subtraction; a double minus
     * itself) and are zero until the next step, so get() returns v bit for bit: the earlier
     * design, which stored v - steps and added steps back, turned set(0.1) after inc() into
     * 0.09999999999999998.
     *
     * Publication: when the totals differ from those of the base read first, set publishes a
     * new Base with compareAndSet against that base, retrying from the start if it fails. The
     * CAS fails exactly when another set published in between, and the retry re-reads that
     * newer base and its totals; so a set never installs totals older than those of the base it
     * replaces. (The earlier design read the totals before the base and published with a plain
     * write: with T1 set(5) and T2 inc(); set(7), T1 could read steps = 0, T2 publish (7, 1), and
     * T1 overwrite it with (5, 0), leaving 6.) Lock-free: a CAS fails only because another set
     * succeeded.
     *
     * Allocation: when the totals still equal those of the base read first (always so for a
     * gauge that is only set), set writes that base's volatile value in place and allocates
     * nothing. Because the base was read before the totals, equal totals mean no step landed
     * between that base's publication and this set's reads. If a newer base is published
     * before the in-place write lands, the write goes to an unpublished base and is lost: that
     * newer base came from a set that overlapped this one (this set read the old base before
     * the CAS), so this set linearises just before it. A reader takes `base` once and uses its
     * value and totals together, so it never mixes the value of one set with the totals of
     * another.
     */
    private static final double EXACT_LONG_LIMIT = 0x1p53;

    private final Gauge family;
    private final LongAdder steps = new LongAdder();
    private volatile DoubleAdder fractional;
    private volatile Base base = new Base(0.0, 0L, 0.0);

    private static final VarHandle BASE;

    static {
      try {
        BASE = MethodHandles.lookup().findVarHandle(Child.class, "base", Base.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    Child(Gauge family, Labels labels) {
      super(labels);
      this.family = family;
    }

    /** Adds one. Lock-free; allocation-free once the adder's cells have grown. */
    public void inc() {
      steps.increment();
    }

    /** Subtracts one. Lock-free; allocation-free once the adder's cells have grown. */
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

    /**
     * Sets the value; any double, NaN and infinities included. Lock-free; allocation-free while
     * no step has happened since the last set.
     */
    public void set(double value) {
      for (;;) {
        Base b = base; // before the totals: see implementation notes
        long w = steps.sum();
        DoubleAdder f = fractional;
        double fs = f == null ? 0.0 : f.sum();
        if (b.steps == w && Double.compare(b.fractional, fs) == 0) {
          b.value = value;
          return;
        }
        if (BASE.compareAndSet(this, b, new Base(value, w, fs))) {
          return;
        }
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
    MetricType type() {
      return MetricType.GAUGE;
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

package io.rxprom.core;

import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;

/**
 * A gauge: a value that goes up and down, such as requests in flight or queue length.
 *
 * <pre>{@code
 * Gauge inFlight = Gauge.builder("my_requests_in_progress").help("Requests in flight").register(registry);
 * inFlight.trackInProgress(() -> handle(request));
 * }</pre>
 *
 * <p>Thread-safe. Whole-number {@code inc}/{@code dec} are wait-free striped adds; {@code set}
 * is wait-free; fractional {@code inc} is lock-free (a compare-and-set on this series' own word).
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
    return new Child(labels);
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

  public void inc() {
    single().inc();
  }

  public void inc(double amount) {
    single().inc(amount);
  }

  public void dec() {
    single().dec();
  }

  public void dec(double amount) {
    single().dec(amount);
  }

  public void set(double value) {
    single().set(value);
  }

  public void setToCurrentTime() {
    single().setToCurrentTime();
  }

  public double get() {
    return single().get();
  }

  public void trackInProgress(Runnable body) {
    single().trackInProgress(body);
  }

  public <T> T trackInProgress(Callable<T> body) throws Exception {
    return single().trackInProgress(body);
  }

  /**
   * One series of a gauge.
   *
   * <p>Thread-safe. The value is {@code base + whole.sum()}: whole-number steps go to a striped
   * {@link LongAdder}, so in-flight tracking from many threads does not contend on one word.
   */
  public static final class Child extends MetricFamily.Child {
    /*
     * Implementation notes. set(v) writes base = v - whole.sum(). A step that lands before the
     * sum is read is cancelled by the subtraction; one that lands after it is kept, so set
     * followed by a concurrent step linearises as "set, then step" and nothing is lost. The
     * result is exact whenever v and the running sum are exactly representable (whole numbers
     * below 2^53, or any v while no whole-number steps are outstanding).
     */
    private static final VarHandle BASE;

    static {
      try {
        BASE = MethodHandles.lookup().findVarHandle(Child.class, "baseBits", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private static final double EXACT_LONG_LIMIT = 0x1p53;

    private final LongAdder whole = new LongAdder();
    @SuppressWarnings("unused") // accessed through BASE
    private volatile long baseBits;

    Child(Labels labels) {
      super(labels);
    }

    /** Adds one. Wait-free. */
    public void inc() {
      whole.increment();
    }

    /** Subtracts one. Wait-free. */
    public void dec() {
      whole.decrement();
    }

    /** Adds {@code amount} (may be negative). */
    public void inc(double amount) {
      if (amount == (long) amount && Math.abs(amount) < EXACT_LONG_LIMIT) {
        whole.add((long) amount);
        return;
      }
      long prev;
      long next;
      do {
        prev = (long) BASE.getVolatile(this);
        next = Double.doubleToRawLongBits(Double.longBitsToDouble(prev) + amount);
      } while (!BASE.weakCompareAndSet(this, prev, next));
    }

    /** Subtracts {@code amount}. */
    public void dec(double amount) {
      inc(-amount);
    }

    /** Sets the value. */
    public void set(double value) {
      double base = value;
      long w = whole.sum();
      if (w != 0) {
        base = value - w;
      }
      BASE.setVolatile(this, Double.doubleToRawLongBits(base));
    }

    /** Sets the value to the current time in seconds since the epoch. */
    public void setToCurrentTime() {
      set(System.currentTimeMillis() / 1000.0);
    }

    /** The current value. */
    public double get() {
      double base = Double.longBitsToDouble((long) BASE.getVolatile(this));
      long w = whole.sum();
      return w == 0 ? base : base + w;
    }

    /** Adds one while {@code body} runs, and subtracts it again however it ends. */
    public void trackInProgress(Runnable body) {
      whole.increment();
      try {
        body.run();
      } finally {
        whole.decrement();
      }
    }

    /** Adds one while {@code body} runs, and subtracts it again however it ends. */
    public <T> T trackInProgress(Callable<T> body) throws Exception {
      whole.increment();
      try {
        return body.call();
      } finally {
        whole.decrement();
      }
    }
  }

  /** Builds a {@link Gauge}. */
  public static final class Builder extends MetricFamily.Builder<Builder, Gauge> {
    Builder(String name) {
      super(name);
    }

    @Override
    Gauge create() {
      return new Gauge(this);
    }
  }
}

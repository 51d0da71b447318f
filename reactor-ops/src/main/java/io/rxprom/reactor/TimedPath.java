package io.rxprom.reactor;

import io.rxprom.core.Counter;
import io.rxprom.core.DistributionChild;
import io.rxprom.core.Gauge;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The metric children of one path (and its extra label values), resolved once by {@link
 * ReactorMetrics#timed(String)}, and the function {@code transform} applies: it wraps a Mono in
 * a Mono operator and anything else in a Flux operator.
 *
 * <p>Thread-safe: every field is final except the report flag and the one-entry cache of the
 * last exception class, both published through volatile access.
 */
final class TimedPath implements Function<Publisher<Object>, Publisher<Object>> {

  /* Outcome indexes; OUTCOMES holds their label values. */
  static final int SUCCESS = 0;
  static final int EMPTY = 1;
  static final int ERROR = 2;
  static final int CANCEL = 3;
  static final String[] OUTCOMES = {"success", "empty", "error", "cancelled"};

  private static final VarHandle REPORTED;

  static {
    try {
      REPORTED = MethodHandles.lookup().findVarHandle(TimedPath.class, "reported", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The path and extra label values, for messages only. */
  final String description;
  /** Latency child per outcome; the same child four times when the family has no outcome label. */
  private final DistributionChild[] latency;
  /** True when at least one latency child exists: only then is the clock read. */
  final boolean timing;
  private final Counter.Child errors;
  private final ErrorsByClass errorsByClass;
  final Gauge.Child inFlight;
  final Counter.Child elements;
  final LongSupplier clock;

  /** The series of the last exception class seen; replaced (volatile write) on a miss. */
  private volatile ErrorSeries lastError;

  @SuppressWarnings("unused") // accessed through REPORTED
  private volatile int reported;

  /** Why a series of this path was refused at resolution; read by the resolving thread only. */
  RuntimeException resolveFailure;

  TimedPath(
      String description,
      DistributionChild[] latency,
      Counter.Child errors,
      ErrorsByClass errorsByClass,
      Gauge.Child inFlight,
      Counter.Child elements,
      LongSupplier clock) {
    this.description = description;
    this.latency = latency;
    boolean any = false;
    for (DistributionChild c : latency) {
      any |= c != null;
    }
    this.timing = any;
    this.errors = errors;
    this.errorsByClass = errorsByClass;
    this.inFlight = inFlight;
    this.elements = elements;
    this.clock = clock;
  }

  // ------------------------------------------------------------------ assembly

  @Override
  public Publisher<Object> apply(Publisher<Object> source) {
    if (source instanceof Mono<Object> mono) {
      return mono instanceof Fuseable
          ? new MonoTimedFuseable<>(mono, this)
          : new MonoTimed<>(mono, this);
    }
    Flux<Object> flux = source instanceof Flux<Object> f ? f : Flux.from(source);
    return flux instanceof Fuseable
        ? new FluxTimedFuseable<>(flux, this)
        : new FluxTimed<>(flux, this);
  }

  /** This function typed for any element type: the operators never touch the values. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  <T> Function<Publisher<T>, Publisher<T>> typed() {
    return (Function) this;
  }

  // ------------------------------------------------------------------ recording

  /** Called once per subscription, in onSubscribe. Cannot fail. */
  void enter() {
    Gauge.Child g = inFlight;
    if (g != null) {
      g.inc();
    }
  }

  /**
   * Records one finished subscription. Called at most once per subscription (the subscriber's
   * run-once guard). Never throws: a failure is reported once per path and swallowed.
   */
  void record(int outcome, long startNanos, boolean timed, Throwable error,
      CoreSubscriber<?> subscriber) {
    Gauge.Child g = inFlight;
    if (g != null) {
      g.dec();
    }
    if (timed) {
      DistributionChild c = latency[outcome];
      if (c != null) {
        try {
          c.observe((clock.getAsLong() - startNanos) / 1e9);
        } catch (Throwable e) {
          failed(e, subscriber);
        }
      }
    }
    if (outcome == ERROR) {
      Counter.Child e = errors;
      if (e != null) {
        e.inc();
      } else if (errorsByClass != null) {
        try {
          countByClass(error);
        } catch (Throwable t) {
          failed(t, subscriber);
        }
      }
    }
  }

  private void countByClass(Throwable error) {
    Class<?> type = error == null ? NullPointerException.class : error.getClass();
    ErrorSeries last = lastError;
    if (last == null || last.type != type) {
      last = new ErrorSeries(type, errorsByClass.child(type));
      lastError = last;
    }
    last.child.inc();
  }

  /** A failure inside the metrics code at signal time. */
  void failed(Throwable failure, CoreSubscriber<?> subscriber) {
    Exceptions.throwIfJvmFatal(failure);
    Context ctx;
    try {
      ctx = subscriber.currentContext();
    } catch (Throwable e) {
      Exceptions.throwIfJvmFatal(e);
      ctx = Context.empty();
    }
    report(failure, ctx);
  }

  /**
   * Reports {@code failure} through {@link Operators#onErrorDropped} the first time only: a
   * failing series would otherwise log on every signal.
   */
  void report(Throwable failure, Context ctx) {
    if (!REPORTED.compareAndSet(this, 0, 1)) {
      return;
    }
    IllegalStateException e = new IllegalStateException(
        "rxprom reactor-ops: recording metrics for " + description + " failed ("
            + failure + "); the pipeline is not affected, later failures for this path are not"
            + " reported",
        failure);
    try {
      Operators.onErrorDropped(e, ctx);
    } catch (Throwable hookFailure) {
      // A throwing onErrorDropped hook must not break the user's pipeline either.
      Exceptions.throwIfJvmFatal(hookFailure);
    }
  }

  boolean reported() {
    return (int) REPORTED.getVolatile(this) != 0;
  }

  /** The errors family with an {@code exception} label: the other label values are fixed per path. */
  static final class ErrorsByClass {
    private final Counter family;
    private final String[] template;
    private final int exceptionIndex;

    ErrorsByClass(Counter family, String[] template, int exceptionIndex) {
      this.family = family;
      this.template = template;
      this.exceptionIndex = exceptionIndex;
    }

    /** The series for {@code type}; a lookup, and creation on first use (may be refused). */
    Counter.Child child(Class<?> type) {
      String[] values = template.clone();
      values[exceptionIndex] = type.getName();
      return family.labels(values);
    }
  }

  /** An exception class and its series, immutable so that one volatile write publishes both. */
  static final class ErrorSeries {
    final Class<?> type;
    final Counter.Child child;

    ErrorSeries(Class<?> type, Counter.Child child) {
      this.type = type;
      this.child = child;
    }
  }
}

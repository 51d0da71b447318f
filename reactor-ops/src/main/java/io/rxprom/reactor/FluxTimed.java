package io.rxprom.reactor;

import io.rxprom.core.Counter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.Fuseable.QueueSubscription;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Times each subscription of a Flux whose source is not {@link Fuseable}: from {@code
 * onSubscribe} to the terminal signal or cancellation, recorded once into the path's children.
 *
 * <p>The subscriber classes below are shared by all four operators ({@link FluxTimedFuseable},
 * {@link MonoTimed}, {@link MonoTimedFuseable}).
 *
 * @param <T> the value type
 */
final class FluxTimed<T> extends FluxOperator<T, T> {

  /*
   * Implementation notes.
   *
   * Run-once guard. onNext/onError/onComplete are serial (Reactive Streams 1.3) but cancel() may
   * come from any thread at any time, so a terminal signal and a cancel can race. `state` moves
   * from ACTIVE to TERMINATED or CANCELLED by one compare-and-set; only the winner records. A
   * plain volatile read first skips the CAS when the subscription is already finished (a cancel
   * after completion is common: take, next, Mono.from).
   *
   * Plain fields. `s`, `startNanos`, `timing` and `hasValue` are written in onSubscribe or in
   * signals and read in later signals, which happen-after them (the spec's serial signals). A
   * thread that calls cancel() got this subscription through the hand-off to downstream in
   * onSubscribe, after the writes of `s`, `startNanos` and `timing`; that hand-off is safely
   * published (Reactive Streams 2.7), which is the same assumption Reactor's own operators make
   * for their `s` field. cancel() never reads `hasValue`. In SYNC fusion poll() and isEmpty()
   * stand for the signals; the consumer calls them serially (Reactor's queue contract), possibly
   * on another thread after a THREAD_BARRIER, which its own scheduling hand-off orders after
   * onSubscribe.
   *
   * Recording order. The measurement is taken before the signal is passed downstream, so the
   * latency is that of the timed part and does not include downstream work done synchronously
   * inside onNext/onComplete.
   *
   * Fusion. Only SYNC fusion is passed through (see TimedFuseableSubscriber); ASYNC is refused
   * because in ASYNC mode a Mono's onComplete may arrive before the value is polled, which
   * would record a Mono that has a value as empty.
   */

  final TimedPath metrics;

  FluxTimed(Flux<? extends T> source, TimedPath metrics) {
    super(source);
    this.metrics = metrics;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    source.subscribe(new TimedSubscriber<>(actual, metrics, false));
  }

  @Override
  public int getPrefetch() {
    return source.getPrefetch();
  }

  @Override
  @SuppressWarnings("rawtypes") // Scannable declares the raw type
  public Object scanUnsafe(Attr key) {
    if (key == Attr.RUN_STYLE) {
      return Attr.RunStyle.SYNC;
    }
    return super.scanUnsafe(key);
  }

  /**
   * The subscriber of every timed operator: passes every signal, request and cancel through
   * unchanged and records the subscription's outcome once.
   *
   * @param <T> the value type
   */
  static class TimedSubscriber<T> implements CoreSubscriber<T>, Subscription, Scannable {
    static final int ACTIVE = 0;
    static final int TERMINATED = 1;
    static final int CANCELLED = 2;

    static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(TimedSubscriber.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final CoreSubscriber<? super T> actual;
    final TimedPath metrics;
    /** A Mono's value ends its measurement. */
    final boolean mono;

    Subscription s;
    long startNanos;
    /** True once the start time was read: false if latency is off or the clock failed. */
    boolean timing;
    boolean hasValue;

    volatile int state;

    TimedSubscriber(CoreSubscriber<? super T> actual, TimedPath metrics, boolean mono) {
      this.actual = actual;
      this.metrics = metrics;
      this.mono = mono;
    }

    @Override
    public void onSubscribe(Subscription s) {
      if (Operators.validate(this.s, s)) {
        this.s = s;
        TimedPath m = metrics;
        m.enter();
        if (m.timing) {
          try {
            startNanos = m.clock.getAsLong();
            timing = true;
          } catch (Throwable e) {
            m.failed(e, actual);
          }
        }
        actual.onSubscribe(this);
      }
    }

    @Override
    public void onNext(T t) {
      counted();
      actual.onNext(t);
    }

    /** A value went by: count it, and end a Mono's measurement. */
    final void counted() {
      Counter.Child e = metrics.elements;
      if (e != null) {
        e.inc();
      }
      hasValue = true;
      if (mono) {
        finish(TimedPath.SUCCESS, null);
      }
    }

    @Override
    public void onError(Throwable t) {
      finish(TimedPath.ERROR, t);
      actual.onError(t);
    }

    @Override
    public void onComplete() {
      completed();
      actual.onComplete();
    }

    /** The sequence completed: success or empty, unless a Mono's value already recorded it. */
    final void completed() {
      if (!(mono && hasValue)) {
        finish(hasValue ? TimedPath.SUCCESS : TimedPath.EMPTY, null);
      }
    }

    @Override
    public void request(long n) {
      s.request(n);
    }

    @Override
    public void cancel() {
      finish(TimedPath.CANCEL, null);
      s.cancel();
    }

    final void finish(int outcome, Throwable error) {
      if (state == ACTIVE
          && STATE.compareAndSet(this, ACTIVE, outcome == TimedPath.CANCEL ? CANCELLED : TERMINATED)) {
        metrics.record(outcome, startNanos, timing, error, actual);
      }
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    @Override
    @SuppressWarnings("rawtypes") // Scannable declares the raw type
    public Object scanUnsafe(Attr key) {
      if (key == Attr.PARENT) {
        return s;
      }
      if (key == Attr.ACTUAL) {
        return actual;
      }
      if (key == Attr.TERMINATED) {
        return state == TERMINATED;
      }
      if (key == Attr.CANCELLED) {
        return state == CANCELLED;
      }
      if (key == Attr.RUN_STYLE) {
        return Attr.RunStyle.SYNC;
      }
      return null;
    }
  }

  /**
   * The subscriber of the operators over a {@link Fuseable} source. It offers downstream the
   * upstream's SYNC fusion and refuses ASYNC. In SYNC mode there is no onNext/onComplete/onError:
   * {@code poll()} returning a value is onNext, returning null is onComplete, throwing is
   * onError; and {@code isEmpty()} returning true also means the sequence has ended (consumers
   * such as publishOn stop on it without a final poll).
   *
   * @param <T> the value type
   */
  static final class TimedFuseableSubscriber<T> extends TimedSubscriber<T>
      implements QueueSubscription<T> {

    QueueSubscription<T> qs;
    boolean syncFused;

    TimedFuseableSubscriber(CoreSubscriber<? super T> actual, TimedPath metrics, boolean mono) {
      super(actual, metrics, mono);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onSubscribe(Subscription s) {
      if (this.s == null && s instanceof QueueSubscription) {
        qs = (QueueSubscription<T>) s;
      }
      super.onSubscribe(s);
    }

    @Override
    public int requestFusion(int requestedMode) {
      QueueSubscription<T> q = qs;
      if (q == null || (requestedMode & Fuseable.SYNC) == 0) {
        return Fuseable.NONE;
      }
      int m = q.requestFusion(Fuseable.SYNC | (requestedMode & Fuseable.THREAD_BARRIER));
      if (m == Fuseable.SYNC) {
        syncFused = true;
        return Fuseable.SYNC;
      }
      return Fuseable.NONE;
    }

    @Override
    public T poll() {
      T v;
      try {
        v = qs.poll();
      } catch (Throwable e) {
        finish(TimedPath.ERROR, e);
        throw e;
      }
      if (v != null) {
        counted();
      } else if (syncFused) {
        completed();
      }
      return v;
    }

    @Override
    public boolean isEmpty() {
      QueueSubscription<T> q = qs;
      if (q == null) {
        return true;
      }
      boolean empty;
      try {
        empty = q.isEmpty();
      } catch (Throwable e) {
        finish(TimedPath.ERROR, e);
        throw e;
      }
      if (empty && syncFused) {
        completed();
      }
      return empty;
    }

    @Override
    public int size() {
      QueueSubscription<T> q = qs;
      return q == null ? 0 : q.size();
    }

    @Override
    public void clear() {
      QueueSubscription<T> q = qs;
      if (q != null) {
        q.clear();
      }
    }
  }
}

package io.rxprom.vertx;

import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.rxprom.core.Histogram;
import io.rxprom.core.snapshot.Labels;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The periodic check on one event loop: a task scheduled with a fixed delay that records how
 * long after its due time it ran.
 *
 * <p>Thread-safe. {@link #run} runs on the loop only; {@link #stop}, {@link #labels} and
 * {@link #pendingTasks} may be called from any thread and never wait for the loop.
 */
final class EventLoopProbe implements Runnable {

  /*
   * Implementation notes.
   *
   * The check is scheduled with Netty's scheduleWithFixedDelay: the task object is reused, so a
   * tick allocates nothing, and after a stall the loop runs one late tick rather than a burst
   * of catch-up ticks (as a fixed rate would), so a stall of d is recorded once, as about d.
   * The due time is kept by the task itself: `due` is written and read on the loop thread only
   * (plain field). Netty sets the next deadline right after run() returns, a few nanoseconds
   * after `due` is taken, so the recorded delay is too high by that much at most.
   *
   * start/stop race: start() runs on the loop and publishes `future` (volatile), then reads
   * `stopped` (volatile); stop() writes `stopped`, then reads `future`. Volatile accesses are
   * totally ordered, so either start() sees `stopped` and cancels what it scheduled, or stop()
   * sees the future and cancels it: a check never survives stop().
   *
   * `labels` is volatile: written once on the loop, read by scrapes, which skip a loop whose
   * thread name is not known yet (its check has not started).
   */

  private final EventExecutor loop;
  private final long intervalNanos;
  private final Histogram delay;
  private final boolean pendingTasksReadable;
  private volatile Labels labels;
  private volatile ScheduledFuture<?> future;
  private volatile boolean stopped;
  private Histogram.Child series; // loop thread only
  private long due; // loop thread only

  EventLoopProbe(EventExecutor loop, long intervalNanos, Histogram delay) {
    this.loop = loop;
    this.intervalNanos = intervalNanos;
    this.delay = delay;
    this.pendingTasksReadable = pendingTasksIsAQueueSize(loop);
  }

  /** Starts the check on the loop (asynchronously: it begins once the loop runs a task). */
  void start() {
    try {
      loop.execute(() -> {
        if (stopped) {
          return;
        }
        String name = Thread.currentThread().getName();
        series = delay.labels(name);
        labels = Labels.of("loop", name);
        due = System.nanoTime() + intervalNanos;
        future = loop.scheduleWithFixedDelay(this, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        if (stopped) {
          future.cancel(false);
        }
      });
    } catch (RejectedExecutionException e) {
      stopped = true; // the loop is shutting down: nothing to measure
    }
  }

  @Override
  public void run() {
    long now = System.nanoTime();
    long late = now - due;
    series.observe(late > 0 ? late / 1e9 : 0.0);
    due = System.nanoTime() + intervalNanos;
  }

  /** Stops the check; it runs at most once more if it is running right now. */
  void stop() {
    stopped = true;
    ScheduledFuture<?> f = future;
    if (f != null) {
      f.cancel(false);
    }
  }

  /** The loop's labels ({@code loop} = its thread name) once its check has started, else null. */
  Labels labels() {
    return labels;
  }

  /** Tasks waiting in the loop's queue, or -1 where Netty does not offer it without waiting. */
  int pendingTasks() {
    return pendingTasksReadable ? ((SingleThreadEventExecutor) loop).pendingTasks() : -1;
  }

  /**
   * Whether {@code pendingTasks()} of this executor is Netty's plain queue size, safe to call
   * from any thread. Some Netty 4.1 event loops override it to submit a task to the loop and
   * wait for the answer, which would block a scrape for as long as the loop is busy: those are
   * left out.
   */
  private static boolean pendingTasksIsAQueueSize(EventExecutor loop) {
    if (!(loop instanceof SingleThreadEventExecutor)) {
      return false;
    }
    try {
      Class<?> declaring = loop.getClass().getMethod("pendingTasks").getDeclaringClass();
      return declaring == SingleThreadEventExecutor.class || declaring == SingleThreadEventLoop.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}

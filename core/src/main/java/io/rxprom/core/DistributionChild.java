package io.rxprom.core;

import io.rxprom.core.snapshot.Labels;
import java.util.concurrent.Callable;

/**
 * What histogram and summary series share: {@code observe} and the timing helpers, which record
 * durations in seconds (the base unit).
 */
public abstract class DistributionChild extends MetricFamily.Child {

  DistributionChild(Labels labels) {
    super(labels);
  }

  /**
   * Records one observation.
   *
   * @throws IllegalArgumentException if {@code value} is NaN
   */
  public abstract void observe(double value);

  /** Starts a timer; closing it records the seconds elapsed. Allocates the timer. */
  public final Timer startTimer() {
    return new Timer(this, System.nanoTime());
  }

  /** Runs {@code body} and records how many seconds it took, whether it returned or threw. */
  public final void time(Runnable body) {
    long start = System.nanoTime();
    try {
      body.run();
    } finally {
      observe((System.nanoTime() - start) / 1e9);
    }
  }

  /** Calls {@code body} and records how many seconds it took, whether it returned or threw. */
  public final <T> T time(Callable<T> body) throws Exception {
    long start = System.nanoTime();
    try {
      return body.call();
    } finally {
      observe((System.nanoTime() - start) / 1e9);
    }
  }
}

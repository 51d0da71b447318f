package io.rxprom.core;

/**
 * A running timer from {@link DistributionChild#startTimer()}: {@code try (var t =
 * latency.labels("/bar").startTimer()) { ... }} records the seconds the block took.
 *
 * <p>Not thread-safe: one timer measures one piece of work. Only the first {@link
 * #observeDuration()} or {@link #close()} records.
 */
public final class Timer implements AutoCloseable {
  private final DistributionChild child;
  private final long startNanos;
  private boolean done;

  Timer(DistributionChild child, long startNanos) {
    this.child = child;
    this.startNanos = startNanos;
  }

  /** Records the seconds since the timer started and returns them; later calls record nothing. */
  public double observeDuration() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    if (!done) {
      done = true;
      child.observe(seconds);
    }
    return seconds;
  }

  /** Same as {@link #observeDuration()}. */
  @Override
  public void close() {
    observeDuration();
  }
}

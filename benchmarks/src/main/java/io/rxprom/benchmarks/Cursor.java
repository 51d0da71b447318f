package io.rxprom.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A benchmark thread's position in the shared pre-generated inputs. Thread-confined (one per
 * JMH thread); each thread starts at a different offset so two threads do not record the same
 * sequence in lock step.
 */
@State(Scope.Thread)
public class Cursor {
  private static final java.util.concurrent.atomic.AtomicInteger STARTS =
      new java.util.concurrent.atomic.AtomicInteger();

  int i = STARTS.getAndAdd(1237) & Data.MASK;

  /** The next index into an array of {@link Data#SIZE} inputs. */
  int next() {
    return i = (i + 1) & Data.MASK;
  }
}

package io.rxprom.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.snapshot.Labels;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Gauge.Child#set} racing with a step is linearisable.
 *
 * <p>Two actors run on one fresh child per round: A does {@code set(5)}, B does {@code inc();
 * set(7)}. Every interleaving of whole operations ends at 5 or 7; before the fix, set read the
 * step totals before {@code base} and published with a plain write, so A could overwrite B's
 * {@code (7, steps = 1)} with {@code (5, steps = 0)} and leave 6.
 *
 * <p>This is a plain JUnit stress test, not a jcstress test: jcstress is not usable in this build
 * (its {@code jcstress-result-gen} 0.16 annotation processor is missing from Maven Central). A
 * spin handshake starts both actors of a round together; the run is bounded by 200,000 rounds or
 * three seconds, whichever comes first.
 */
class GaugeSetLinearisabilityTest {

  private static final int ROUNDS = 200_000;
  private static final long MAX_NANOS = 3_000_000_000L;

  @Test
  void setRacingWithIncAndSetEndsAtOneOfTheSetValues() throws Exception {
    Gauge family = Gauge.builder("race_gauge").labelNames("l").build();
    AtomicReference<Gauge.Child> current = new AtomicReference<>();
    AtomicInteger started = new AtomicInteger(-1); // round B may start
    AtomicInteger finished = new AtomicInteger(-1); // round B has finished
    long deadline = System.nanoTime() + MAX_NANOS;
    int[] outcomes = new int[3]; // 5, 7, other
    double[] firstBad = {Double.NaN};
    int[] rounds = {0};

    Thread b = new Thread(() -> {
      for (int round = 0; ; round++) {
        while (started.get() < round) {
          if (System.nanoTime() > deadline) {
            return;
          }
          Thread.onSpinWait();
        }
        if (started.get() == Integer.MAX_VALUE) {
          return;
        }
        Gauge.Child c = current.get();
        c.inc();
        c.set(7);
        finished.set(round);
      }
    }, "actor-b");
    b.setDaemon(true);
    b.start();

    // actor A runs on the test thread and also referees each round
    for (int round = 0; round < ROUNDS && System.nanoTime() < deadline; round++) {
      Gauge.Child c = new Gauge.Child(family, Labels.of(new String[] {"l"}, new String[] {"x"}));
      current.set(c);
      started.set(round);
      for (int k = round & 63; k > 0; k--) {
        Thread.onSpinWait(); // sweep A's start across B's inc(); set(7)
      }
      c.set(5);
      boolean done = true;
      while (finished.get() < round) {
        if (System.nanoTime() > deadline) {
          done = false;
          break;
        }
        Thread.onSpinWait();
      }
      if (!done) {
        break;
      }
      double v = c.get();
      if (v == 5.0) {
        outcomes[0]++;
      } else if (v == 7.0) {
        outcomes[1]++;
      } else {
        if (outcomes[2]++ == 0) {
          firstBad[0] = v;
        }
      }
      rounds[0]++;
    }
    started.set(Integer.MAX_VALUE);
    b.join(5_000);

    assertThat(rounds[0]).as("rounds completed (5: %d, 7: %d)", outcomes[0], outcomes[1])
        .isGreaterThan(1_000);
    assertThat(outcomes[2])
        .as("rounds ending at neither 5 nor 7 (first: %s) of %d", firstBad[0], rounds[0])
        .isZero();
  }
}

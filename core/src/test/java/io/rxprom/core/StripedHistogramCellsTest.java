package io.rxprom.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The stripe count, and so the memory every histogram and summary series allocates, is bounded. */
class StripedHistogramCellsTest {

  @Test
  void stripesAreThePowerOfTwoAtLeastTwiceTheCoresCappedAtEight() {
    assertThat(StripedHistogramCells.stripesFor(1)).isEqualTo(2);
    assertThat(StripedHistogramCells.stripesFor(2)).isEqualTo(4);
    assertThat(StripedHistogramCells.stripesFor(3)).isEqualTo(8);
    assertThat(StripedHistogramCells.stripesFor(4)).isEqualTo(8);
    assertThat(StripedHistogramCells.stripesFor(64)).isEqualTo(8);
    assertThat(StripedHistogramCells.stripesFor(1024)).isEqualTo(8);
    assertThat(StripedHistogramCells.STRIPES)
        .isEqualTo(StripedHistogramCells.stripesFor(Runtime.getRuntime().availableProcessors()));
  }

  @Test
  void aDefaultHistogramSeriesHoldsAtMostAboutOneAndAHalfKilobytesOfCells() {
    int defaultBuckets = Histogram.DEFAULT_BUCKETS.length + 1;
    // the figures the javadoc of StripedHistogramCells and MetricFamily.DEFAULT_MAX_SERIES quote
    assertThat(StripedHistogramCells.bytesPerSeries(defaultBuckets, 8)).isEqualTo(1_616);
    assertThat(StripedHistogramCells.bytesPerSeries(defaultBuckets, 4)).isEqualTo(848);
    assertThat(StripedHistogramCells.bytesPerSeries(1, 8)).isEqualTo(1_104);
    assertThat(StripedHistogramCells.bytesPerSeries(defaultBuckets, StripedHistogramCells.STRIPES))
        .isLessThanOrEqualTo(1_616);
  }

  @Test
  void countsAndSumsAreExactAcrossStripes() throws Exception {
    StripedHistogramCells cells = new StripedHistogramCells(3);
    Thread[] threads = new Thread[2 * StripedHistogramCells.MAX_STRIPES];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          cells.observe(i % 3, 1.0);
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long[] cumulative = new long[3];
    long n = threads.length * 10_000L;
    assertThat(cells.cumulativeCounts(cumulative)).isEqualTo(n);
    assertThat(cells.count()).isEqualTo(n);
    assertThat(cells.sum()).isEqualTo((double) n);
    assertThat(cumulative[2]).isEqualTo(n);
  }

  @Test
  void aThreadThatCollidesMovesToAnotherStripeWithinAFewSteps() {
    for (int seed = 1; seed < 100_000; seed += 7) {
      int start = seed & (StripedHistogramCells.MAX_STRIPES - 1);
      int probe = seed;
      int steps = 0;
      do {
        probe = StripedHistogramCells.advance(probe);
        assertThat(probe).as("probe from seed %d", seed).isNotZero();
        steps++;
      } while ((probe & (StripedHistogramCells.MAX_STRIPES - 1)) == start && steps < 64);
      assertThat(steps).as("steps to leave stripe %d from seed %d", start, seed).isLessThan(64);
    }
  }

  @Test
  void theProbeIsPerThread() throws Exception {
    int[] mine = StripedHistogramCells.probe();
    int[][] theirs = new int[1][];
    Thread t = new Thread(() -> theirs[0] = StripedHistogramCells.probe());
    t.start();
    t.join();
    assertThat(StripedHistogramCells.probe()).isSameAs(mine);
    assertThat(theirs[0]).isNotSameAs(mine);
    assertThat(mine[0]).isNotZero();
  }
}

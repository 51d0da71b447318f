package io.rxprom.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-stripe bucket counts and sums of one histogram or summary series.
 *
 * <p>Thread-safe. {@link #observe} is wait-free for the count (an atomic add) and lock-free for
 * the sum (a compare-and-set on the calling stripe's own word, which other threads rarely
 * touch). It never allocates.
 *
 * <p>Memory: each series allocates all its stripes up front, {@code 8 + stripes * stride} longs
 * where {@code stride} is the bucket count plus one, rounded up to a cache line, plus one line
 * of padding. With the 8 stripes used on 4 or more cores, a histogram series with the 12
 * default buckets holds 1,616 bytes of cells (848 bytes on 2 cores, with 4 stripes), and a
 * summary series 1,104 bytes. The stripe count is capped at 8 so that this stays bounded on
 * large machines (64 stripes on 64 cores would be 12.4 KB per histogram series); more than 8
 * threads recording into one series at once share stripes, which costs contention, not
 * correctness.
 */
final class StripedHistogramCells {
  /*
   * Implementation notes.
   *
   * Layout: one long[] holding, per stripe, `buckets` non-cumulative bucket counts followed by
   * the stripe's sum as raw double bits. Stripes are STRIDE-aligned and separated by a cache
   * line of padding, so two threads on different stripes never write the same line.
   *
   * Stripe choice: a per-thread probe (seeded from the thread's id, mixed), masked to the stripe
   * count (the smallest power of two at least twice the core count, capped at 8: see the class
   * javadoc for the memory this costs). A failed compare-and-set of the sum is the sign that
   * another thread shares the stripe: the thread then moves its probe (an xorshift step, as
   * Striped64 does), so two busy long-lived threads (event loops) never stay on one stripe. The
   * probe is a plain int in a thread-confined array: only its owner reads or writes it.
   *
   * Consistency without waiting: the total count is not stored, it is the sum of the bucket
   * counts. A reader sums each bucket across stripes with volatile reads and makes the counts
   * cumulative itself, so in every snapshot count == the +Inf bucket and the buckets are
   * cumulative by construction. Every cell only grows, and a later reader reads every cell
   * later, so no bucket and no count ever goes backwards between two snapshots. The sum is read
   * separately and may trail the counts by the observations in flight; it is never torn
   * (64-bit volatile reads).
   */
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int PAD = 8; // longs in a 64-byte line
  static final int MAX_STRIPES = 8;
  static final int STRIPES = stripesFor(Runtime.getRuntime().availableProcessors());

  /** The smallest power of two at least twice {@code cores}, from 2 to {@link #MAX_STRIPES}. */
  static int stripesFor(int cores) {
    int twice = 2 * Math.max(1, cores);
    int s = Integer.highestOneBit(twice - 1) << 1;
    return Math.min(Math.max(s, 2), MAX_STRIPES);
  }

  /** Bytes of one series' cells with {@code buckets} buckets (array header included). */
  static long bytesPerSeries(int buckets, int stripes) {
    long stride = ((buckets + 1 + PAD - 1) / PAD) * PAD + PAD;
    return 16 + 8 * (PAD + stripes * stride);
  }

  private final long[] cells;
  private final int buckets;
  private final int stride;

  StripedHistogramCells(int buckets) {
    this.buckets = buckets;
    this.stride = ((buckets + 1 + PAD - 1) / PAD) * PAD + PAD;
    this.cells = new long[PAD + STRIPES * stride];
  }

  private static final ThreadLocal<int[]> PROBE = ThreadLocal.withInitial(() -> {
    long id = Thread.currentThread().getId();
    int h = (int) ((id * 0x9E3779B97F4A7C15L) >>> 32);
    return new int[] {h == 0 ? 1 : h, 0};
  });

  /**
   * This thread's probe: a thread-confined array; [0] is the stripe probe, [1] a counter that
   * {@link SlidingQuantiles} uses to read the clock on every few observations only.
   */
  static int[] probe() {
    return PROBE.get();
  }

  /** Counts one observation of {@code value} in bucket {@code bucket}. */
  void observe(int bucket, double value) {
    int[] probe = PROBE.get();
    int base = PAD + (probe[0] & (STRIPES - 1)) * stride;
    LONGS.getAndAdd(cells, base + bucket, 1L);
    int sumIndex = base + buckets;
    long prev = (long) LONGS.getVolatile(cells, sumIndex);
    if (!LONGS.compareAndSet(
        cells, sumIndex, prev, Double.doubleToRawLongBits(Double.longBitsToDouble(prev) + value))) {
      do {
        prev = (long) LONGS.getVolatile(cells, sumIndex);
      } while (!LONGS.weakCompareAndSet(
          cells, sumIndex, prev, Double.doubleToRawLongBits(Double.longBitsToDouble(prev) + value)));
      probe[0] = advance(probe[0]);
    }
  }

  /** The next probe after a collision: Marsaglia's xorshift, never 0 for a non-zero input. */
  static int advance(int probe) {
    probe ^= probe << 13;
    probe ^= probe >>> 17;
    probe ^= probe << 5;
    return probe;
  }

  /** Cumulative bucket counts into {@code out}; returns the total count. */
  long cumulativeCounts(long[] out) {
    long running = 0;
    for (int b = 0; b < buckets; b++) {
      long n = 0;
      for (int s = 0; s < STRIPES; s++) {
        n += (long) LONGS.getVolatile(cells, PAD + s * stride + b);
      }
      running += n;
      out[b] = running;
    }
    return running;
  }

  /** The total count (the sum of every bucket). */
  long count() {
    long n = 0;
    for (int s = 0; s < STRIPES; s++) {
      int base = PAD + s * stride;
      for (int b = 0; b < buckets; b++) {
        n += (long) LONGS.getVolatile(cells, base + b);
      }
    }
    return n;
  }

  double sum() {
    double sum = 0;
    for (int s = 0; s < STRIPES; s++) {
      sum += Double.longBitsToDouble((long) LONGS.getVolatile(cells, PAD + s * stride + buckets));
    }
    return sum;
  }
}

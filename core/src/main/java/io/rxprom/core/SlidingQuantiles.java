package io.rxprom.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * Quantile estimates over a sliding time window, with a relative error bound and a lock-free,
 * allocation-free write path.
 *
 * <p><b>Error bound.</b> For observations whose magnitude lies in [2<sup>-64</sup>,
 * 2<sup>64</sup>), each estimate is within {@value #RELATIVE_ERROR_TEXT} (relative) of the exact
 * nearest-rank quantile of the observations in the window: the value at rank {@code max(1,
 * ceil(q * n))} of the {@code n} sorted observations. Magnitudes below 2<sup>-64</sup> count as
 * 0; above, they count in the top bucket (estimate about 1.8e19).
 *
 * <p><b>Window.</b> The window is {@code ageBuckets} slices of {@code maxAge / ageBuckets}
 * each; an estimate covers the current slice and the ones before it still younger than
 * {@code maxAge}, so it spans between {@code maxAge * (1 - 1/ageBuckets)} and {@code maxAge}.
 * Writers read the clock on one observation in {@link #CLOCK_CHECK_INTERVAL} and scrapes
 * rotate the window, so an observation joins the slice current at its thread's last clock check
 * or the last scrape, whichever is later, and may leave the window early by that lag (at most a
 * scrape interval for a scraped registry).
 *
 * <p>Thread-safe. {@link #observe} is lock-free and allocates only when a slice rotates (once
 * per slice duration) or when a value first lands in a new octave of a slice.
 */
final class SlidingQuantiles {
  /*
   * Implementation notes.
   *
   * Buckets: log-linear on the double's own bits. The unbiased binary exponent picks an octave
   * [2^e, 2^(e+1)); the top SUB_BITS bits of the mantissa pick one of 64 equal sub-buckets in
   * it. No logarithm is computed. A sub-bucket [lo, hi) has (hi - lo) / lo <= 1/64, and the
   * estimate for it is the harmonic midpoint m = 2 lo hi / (lo + hi), which is within
   * (hi - lo) / (hi + lo) <= 1/129 (0.78%) of every value in [lo, hi]. The exact nearest-rank
   * quantile lies in the bucket the rank walk stops at, hence the bound.
   *
   * Counts: each slice has a lazily filled directory of 64-long chunks, one per (sign, octave),
   * installed by compareAndSet (a losing racer's chunk is dropped, never used); counts are
   * atomic adds. Slices rotate by compareAndExchange of a fresh slice into the ring, only ever
   * replacing an older epoch (a writer delayed past a rotation records into the newer slice it
   * finds instead of wiping it). A writer that read the previous slice just before the swap may
   * still add to it, and that observation drops out of the window one slice early: a benign
   * race that the error bound does not cover and that a scrape cannot observe as inconsistency.
   *
   * Clock: System.nanoTime costs 25 to 70 ns on virtual machines, more than the rest of an
   * observation, so a writer reads it on one observation in CLOCK_CHECK_INTERVAL (a per-thread
   * counter) and otherwise records into `head`, the slice found at the last check; a scrape
   * rotates and moves `head` as well. An observation therefore lands in the slice current at its
   * thread's last clock check or the last scrape, whichever is later, and may leave the window
   * early by that lag. `head` is a volatile reference: a writer sees a fully built slice (its
   * chunks directory is final and created in the constructor); two racing checks may set an
   * older slice last, which the next check corrects: the same benign race as above.
   *
   * Scrape: the counters of the live slices are copied once into a private array per occupied
   * (sign, octave), then the ranks are walked on that copy, so n and the walk agree even while
   * writers keep adding.
   */
  static final String RELATIVE_ERROR_TEXT = "0.78% (1/129)";
  static final double RELATIVE_ERROR = 1.0 / 129;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int SUB_BITS = 6;
  private static final int SUBS = 1 << SUB_BITS;
  private static final int E_MIN = -64;
  private static final int E_MAX = 63;
  private static final int OCTAVES = E_MAX - E_MIN + 1;

  private final AtomicReferenceArray<Slice> ring;
  private final int ageBuckets;
  private final long sliceNanos;
  private final LongSupplier nanoClock;
  private final long origin;
  private volatile Slice head; // where writers record between clock checks

  SlidingQuantiles(long maxAgeNanos, int ageBuckets, LongSupplier nanoClock) {
    this.ageBuckets = ageBuckets;
    this.sliceNanos = Math.max(1, maxAgeNanos / ageBuckets);
    this.nanoClock = nanoClock;
    this.origin = nanoClock.getAsLong();
    this.ring = new AtomicReferenceArray<>(ageBuckets);
  }

  /** A thread reads the clock on one observation in this many (a power of two). */
  static final int CLOCK_CHECK_INTERVAL = 16;

  void observe(double v) {
    int[] perThread = StripedHistogramCells.probe();
    Slice s = head;
    if (s == null || (++perThread[1] & (CLOCK_CHECK_INTERVAL - 1)) == 0) {
      s = current();
      head = s;
    }
    s.record(v);
  }

  private Slice current() {
    long epoch = epoch();
    int i = (int) Math.floorMod(epoch, (long) ageBuckets);
    Slice s = ring.get(i);
    if (s != null && s.epoch >= epoch) {
      // the current slice, or (for a writer delayed past a rotation) a newer one: never
      // replace a newer slice with an older one
      return s;
    }
    Slice fresh = new Slice(epoch);
    Slice witness = ring.compareAndExchange(i, s, fresh);
    if (witness == s) {
      return fresh;
    }
    return witness != null && witness.epoch >= epoch ? witness : current();
  }

  private long epoch() {
    return Math.floorDiv(nanoClock.getAsLong() - origin, sliceNanos);
  }

  /**
   * Estimates for each of {@code quantiles} (increasing, in [0, 1]) into {@code out}; NaN when
   * the window holds no observation.
   */
  void quantiles(double[] quantiles, double[] out) {
    head = current(); // a scrape rotates the window too, so writers never lag it by more
    long epoch = epoch();
    // one read of every counter into a private copy: a chunk per occupied (sign, octave), so a
    // scrape allocates in proportion to the spread of the data, not 2 * 128 * 64 longs
    long[][] merged = new long[2 * OCTAVES][];
    long zero = 0;
    long n = 0;
    for (int i = 0; i < ageBuckets; i++) {
      Slice s = ring.get(i);
      if (s == null || s.epoch > epoch || s.epoch <= epoch - ageBuckets) {
        continue;
      }
      long z = (long) LONGS.getVolatile(s.zero, 0);
      zero += z;
      n += z;
      for (int c = 0; c < 2 * OCTAVES; c++) {
        long[] chunk = s.chunks.get(c);
        if (chunk != null) {
          long[] m = merged[c];
          if (m == null) {
            m = new long[SUBS];
            merged[c] = m;
          }
          for (int k = 0; k < SUBS; k++) {
            long x = (long) LONGS.getVolatile(chunk, k);
            m[k] += x;
            n += x;
          }
        }
      }
    }
    if (n == 0) {
      Arrays.fill(out, Double.NaN);
      return;
    }
    int qi = 0;
    long seen = 0;
    // negatives, from the most negative up
    for (int o = OCTAVES - 1; o >= 0 && qi < quantiles.length; o--) {
      long[] m = merged[OCTAVES + o];
      if (m == null) {
        continue;
      }
      for (int k = SUBS - 1; k >= 0 && qi < quantiles.length; k--) {
        seen += m[k];
        while (qi < quantiles.length && seen >= rank(quantiles[qi], n)) {
          out[qi++] = -estimate(o, k);
        }
      }
    }
    seen += zero;
    while (qi < quantiles.length && seen >= rank(quantiles[qi], n)) {
      out[qi++] = 0.0;
    }
    for (int o = 0; o < OCTAVES && qi < quantiles.length; o++) {
      long[] m = merged[o];
      if (m == null) {
        continue;
      }
      for (int k = 0; k < SUBS && qi < quantiles.length; k++) {
        seen += m[k];
        while (qi < quantiles.length && seen >= rank(quantiles[qi], n)) {
          out[qi++] = estimate(o, k);
        }
      }
    }
    // every rank is at most n, the total of the copy just walked: nothing is left over
  }

  /** The 1-based nearest rank of quantile {@code q} among {@code n} observations. */
  static long rank(double q, long n) {
    return Math.max(1, (long) Math.ceil(q * n));
  }

  private static double estimate(int octave, int sub) {
    double base = Math.scalb(1.0, octave + E_MIN);
    double lo = base * (1 + (double) sub / SUBS);
    double hi = base * (1 + (double) (sub + 1) / SUBS);
    return 2 * lo * hi / (lo + hi);
  }

  private static final class Slice {
    final long epoch;
    final AtomicReferenceArray<long[]> chunks = new AtomicReferenceArray<>(2 * OCTAVES);
    final long[] zero = new long[1];

    Slice(long epoch) {
      this.epoch = epoch;
    }

    void record(double v) {
      long bits = Double.doubleToRawLongBits(v);
      int e = (int) ((bits >>> 52) & 0x7ff) - 1023;
      if (e < E_MIN) {
        LONGS.getAndAdd(zero, 0, 1L);
        return;
      }
      int sub;
      if (e > E_MAX) {
        e = E_MAX;
        sub = SUBS - 1;
      } else {
        sub = (int) ((bits >>> (52 - SUB_BITS)) & (SUBS - 1));
      }
      int c = (int) (bits >>> 63) * OCTAVES + (e - E_MIN);
      long[] chunk = chunks.get(c);
      if (chunk == null) {
        long[] fresh = new long[SUBS];
        chunk = chunks.compareAndExchange(c, null, fresh);
        if (chunk == null) {
          chunk = fresh;
        }
      }
      LONGS.getAndAdd(chunk, sub, 1L);
    }
  }
}

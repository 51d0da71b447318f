package io.rxprom.benchmarks;

import java.util.SplittableRandom;

/**
 * Inputs every benchmark shares: bucket bounds, pre-generated random observations and label
 * values, all from fixed seeds so that every library sees the same data.
 */
final class Data {

  /** Number of pre-generated observations; a power of two, so a cursor wraps with a mask. */
  static final int SIZE = 1 << 12;

  static final int MASK = SIZE - 1;

  /**
   * Twelve classic bucket bounds in whole milliseconds. Whole numbers on purpose: Micrometer's
   * fixed-boundary histogram rounds a double observation up to a whole number before it picks a
   * bucket ({@code Math.ceil}), which is exact only when every bound is a whole number. With
   * bounds below one (seconds) every Micrometer observation under a second lands in the first
   * bucket of at least 1 (see /work/shared/ANCHORS.md).
   */
  static final double[] BOUNDS_MS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};

  /** Twelve bounds in seconds, the Prometheus convention, for the scrape benchmarks. */
  static final double[] BOUNDS_SECONDS = {
    .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30
  };

  private Data() {}

  /**
   * Latencies in milliseconds, log-uniform between 0.2 ms and 8 s, so that every bucket
   * (including +Inf) gets a share and a bucket search cannot be branch-predicted.
   */
  static double[] latenciesMillis(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double lo = Math.log(0.2);
    double hi = Math.log(8000);
    double[] v = new double[SIZE];
    for (int i = 0; i < SIZE; i++) {
      v[i] = Math.exp(lo + r.nextDouble() * (hi - lo));
    }
    return v;
  }

  /** The same latencies as whole nanoseconds (Micrometer and Dropwizard timers take longs). */
  static long[] nanos(double[] millis) {
    long[] n = new long[millis.length];
    for (int i = 0; i < n.length; i++) {
      n[i] = Math.round(millis[i] * 1e6);
    }
    return n;
  }

  /** Latencies in seconds. */
  static double[] seconds(double[] millis) {
    double[] s = new double[millis.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = millis[i] / 1e3;
    }
    return s;
  }

  /** {@code n} label values shaped like route templates, fresh String objects. */
  static String[] paths(int n) {
    String[] p = new String[n];
    for (int i = 0; i < n; i++) {
      p[i] = new StringBuilder("/api/v1/resource").append(i).append("/:id").toString();
    }
    return p;
  }

  /**
   * Expected non-cumulative counts per bucket (the last one is +Inf) when {@code values} are
   * placed by the Prometheus rule: a value goes into the first bucket whose bound is {@code >=}
   * it.
   */
  static long[] expectedCounts(double[] bounds, double[] values) {
    long[] c = new long[bounds.length + 1];
    for (double v : values) {
      int b = 0;
      while (b < bounds.length && v > bounds[b]) {
        b++;
      }
      c[b]++;
    }
    return c;
  }

  static long[] cumulative(long[] counts) {
    long[] c = counts.clone();
    for (int i = 1; i < c.length; i++) {
      c[i] += c[i - 1];
    }
    return c;
  }
}

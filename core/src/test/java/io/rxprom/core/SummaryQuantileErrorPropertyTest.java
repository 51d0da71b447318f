package io.rxprom.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.snapshot.SummaryDataPoint;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every quantile estimate stays within the documented relative error (1/129) of the exact
 * nearest-rank quantile of the same data: sort the data, take the value at rank
 * {@code max(1, ceil(q * n))}. Data sets are drawn with fixed seeds, so a failure reproduces.
 */
class SummaryQuantileErrorPropertyTest {

  private static final double[] QUANTILES = {
    0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.333, 0.5, 0.667, 0.75, 0.9, 0.95, 0.99, 0.999, 1
  };
  private static final double BOUND = SlidingQuantiles.RELATIVE_ERROR * (1 + 1e-12);
  private static final int[] SIZES = {1, 2, 3, 5, 10, 101, 1_000, 20_000};
  private static final int SEEDS = 5;

  static Stream<Arguments> distributions() {
    return Stream.of(
        d("uniform [0, 1)", r -> r.nextDouble()),
        d("uniform [-1000, 1000)", r -> r.nextDouble(-1000, 1000)),
        d("exponential latency, mean 50 ms", r -> -0.05 * Math.log(1 - r.nextDouble())),
        d("log-normal latency, median 20 ms", r -> Math.exp(Math.log(0.02) + 1.5 * gaussian(r))),
        d("heavy tail (Pareto alpha 1.1)", r -> Math.pow(1 - r.nextDouble(), -1 / 1.1)),
        d("zeros, negatives and positives", r -> switch (r.nextInt(4)) {
          case 0 -> 0.0;
          case 1 -> -Math.exp(gaussian(r) * 3);
          default -> Math.exp(gaussian(r) * 3);
        }),
        d("constant", r -> 0.25),
        d("constant negative", r -> -7.5),
        d("small integers", r -> r.nextInt(10)),
        d("bytes, integers up to 2^40", r -> (double) r.nextLong(1L << 40)),
        d("extreme magnitudes", r -> Math.scalb(1.0 + r.nextDouble(), r.nextInt(-64, 63))
            * (r.nextBoolean() ? 1 : -1)),
        d("sub-bucket edges", r -> Math.scalb(1 + r.nextInt(64) / 64.0, r.nextInt(-10, 10))),
        d("just below sub-bucket edges", r -> Math.nextDown(Math.scalb(1 + r.nextInt(1, 65) / 64.0, 3))));
  }

  private static Arguments d(String name, ToDoubleFunction<SplittableRandom> gen) {
    return Arguments.of(name, gen);
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("distributions")
  void everyEstimateIsWithinTheRelativeBoundOfTheExactQuantile(
      String name, ToDoubleFunction<SplittableRandom> gen) {
    for (int seed = 0; seed < SEEDS; seed++) {
      for (int n : SIZES) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + n);
        double[] data = new double[n];
        Summary s = Summary.builder("q").quantiles(QUANTILES).build();
        for (int i = 0; i < n; i++) {
          data[i] = gen.applyAsDouble(random);
          s.observe(data[i]);
        }
        double[] sorted = data.clone();
        Arrays.sort(sorted);
        SummaryDataPoint p = (SummaryDataPoint) s.snapshot().dataPoints().get(0);
        assertThat(p.count()).isEqualTo(n);
        for (int i = 0; i < QUANTILES.length; i++) {
          double q = QUANTILES[i];
          long rank = Math.max(1, (long) Math.ceil(q * n));
          double exact = sorted[(int) rank - 1];
          double estimate = p.quantileValue(i);
          String where = String.format("%s, seed %d, n %d, q %s: exact %s, estimate %s",
              name, seed, n, q, exact, estimate);
          if (exact == 0) {
            assertThat(estimate).as(where).isZero();
          } else {
            assertThat(Math.signum(estimate)).as(where).isEqualTo(Math.signum(exact));
            assertThat(Math.abs(estimate - exact) / Math.abs(exact)).as(where).isLessThanOrEqualTo(BOUND);
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("distributions")
  void estimatesAreMonotoneInTheQuantile(String name, ToDoubleFunction<SplittableRandom> gen) {
    SplittableRandom random = new SplittableRandom(42);
    Summary s = Summary.builder("q").quantiles(QUANTILES).build();
    for (int i = 0; i < 5_000; i++) {
      s.observe(gen.applyAsDouble(random));
    }
    SummaryDataPoint p = (SummaryDataPoint) s.snapshot().dataPoints().get(0);
    for (int i = 1; i < QUANTILES.length; i++) {
      assertThat(p.quantileValue(i)).as("%s: q %s vs q %s", name, QUANTILES[i], QUANTILES[i - 1])
          .isGreaterThanOrEqualTo(p.quantileValue(i - 1));
    }
  }
}

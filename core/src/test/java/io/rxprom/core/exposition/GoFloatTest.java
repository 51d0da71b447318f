package io.rxprom.core.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFloatTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // What Go's strconv.FormatFloat(f, 'g', -1, 64) prints.
      "0 | 0",
      "-0.0 | -0",
      "1 | 1",
      "-1.5 | -1.5",
      "10 | 10",
      "0.1 | 0.1",
      "0.3 | 0.3",
      "100 | 100",
      "100000 | 100000",
      "123456 | 123456",
      "123456.7 | 123456.7",
      "999999.9999 | 999999.9999",
      "1000000 | 1e+06",
      "1234567 | 1.234567e+06",
      "123456789 | 1.23456789e+08",
      "0.0001 | 0.0001",
      "0.000123 | 0.000123",
      "0.00001 | 1e-05",
      "0.0000123 | 1.23e-05",
      "0.005 | 0.005",
      "2.5 | 2.5",
      "1e21 | 1e+21",
      "1e23 | 1e+23",
      "1e100 | 1e+100",
      "1.5e-300 | 1.5e-300",
      "9007199254740992 | 9.007199254740992e+15",
      "9007199254740991 | 9.007199254740991e+15",
      "4.9e-324 | 5e-324",
      "1.7976931348623157e308 | 1.7976931348623157e+308",
      "2.2250738585072014E-308 | 2.2250738585072014e-308",
      // JDK 17's Double.toString is not shortest here: 2.82879384806159008E17.
      "2.82879384806159E17 | 2.82879384806159e+17",
      "0.6666666666666666 | 0.6666666666666666",
      "NaN | NaN",
      "Infinity | +Inf",
      "-Infinity | -Inf",
  })
  void formatsLikeGo(String input, String expected) {
    double v = Double.parseDouble(input);
    assertThat(GoFloat.format(v)).isEqualTo(expected);
  }

  @Test
  void sumOfTenthsIsShortestRoundTrip() {
    assertThat(GoFloat.format(0.1 + 0.2)).isEqualTo("0.30000000000000004");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "0 | 0.0",
      "-0.0 | -0.0",
      "1 | 1.0",
      "10 | 10.0",
      "0.5 | 0.5",
      "100000 | 100000.0",
      "1000000 | 1e+06",
      "0.0001 | 0.0001",
      "0.00001 | 1e-05",
      "1e-10 | 1e-10",
      "1e-9 | 1e-09",
      "1e10 | 1e+10",
      "1e23 | 1e+23",
      "1.1e23 | 1.1e+23",
      "Infinity | +Inf",
      "-Infinity | -Inf",
      "NaN | NaN",
  })
  void canonicalFormAppendsPointZeroToIntegers(String input, String expected) {
    assertThat(GoFloat.formatCanonical(Double.parseDouble(input))).isEqualTo(expected);
  }

  @Test
  void canonicalFormMatchesTheOpenMetricsTableFromZeroToTenInThousandths() {
    for (int i = 0; i <= 10_000; i++) {
      String plain = BigDecimal.valueOf(i).movePointLeft(3).stripTrailingZeros().toPlainString();
      String expected = plain.contains(".") ? plain : plain + ".0";
      assertThat(GoFloat.formatCanonical(i / 1000.0)).as("%d/1000", i).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0} ms -> {1}")
  @CsvSource(delimiter = '|', value = {
      "1700000000123 | 1.700000000123e+09",
      "1700000000000 | 1.7e+09",
      "1605281325000 | 1.605281325e+09",
      "1 | 0.001",
      "999 | 0.999",
      "1000 | 1",
      "123456000 | 123456",
      "1234567000 | 1.234567e+06",
      "0 | 0",
      "-1500 | -1.5",
      "9223372036854775807 | 9.223372036854775807e+15",
      "-9223372036854775808 | -9.223372036854775808e+15",
  })
  void secondsFromMillis(long millis, String expected) {
    assertThat(GoFloat.formatSecondsFromMillis(millis)).isEqualTo(expected);
  }

  @Test
  void secondsFromMillisEqualsTheFormattedQuotientForRealisticTimes() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      long ms = r.nextLong(0, 4_102_444_800_000L); // up to the year 2100
      assertThat(GoFloat.formatSecondsFromMillis(ms)).isEqualTo(GoFloat.format(ms / 1000.0));
    }
  }

  @Test
  void writesAtAnOffsetAndReturnsTheEnd() {
    byte[] b = new byte[8 + GoFloat.MAX_LENGTH];
    b[0] = 'x';
    int end = GoFloat.write(1e-5, b, 1);
    assertThat(new String(b, 0, end, StandardCharsets.US_ASCII)).isEqualTo("x1e-05");
    end = GoFloat.writeCanonical(42, b, 1);
    assertThat(new String(b, 0, end, StandardCharsets.US_ASCII)).isEqualTo("x42.0");
    end = GoFloat.writeSecondsFromMillis(1500, b, 1);
    assertThat(new String(b, 0, end, StandardCharsets.US_ASCII)).isEqualTo("x1.5");
  }

  @Test
  void neverWritesMoreThanMaxLength() {
    assertThat(GoFloat.format(-2.2250738585072014E-308).length()).isLessThanOrEqualTo(GoFloat.MAX_LENGTH);
    assertThat(GoFloat.formatSecondsFromMillis(Long.MIN_VALUE).length())
        .isLessThanOrEqualTo(GoFloat.MAX_LENGTH);
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 100_000; i++) {
      double d = Double.longBitsToDouble(r.nextLong());
      assertThat(GoFloat.formatCanonical(d).length()).isLessThanOrEqualTo(GoFloat.MAX_LENGTH);
    }
  }

  @Test
  void digitCountAndDigitWritingAtEveryPowerOfTen() {
    long p = 1;
    for (int k = 0; k <= 18; k++) {
      assertThat(GoFloat.digitCount(p)).as("10^%d", k).isEqualTo(k + 1);
      if (k > 0) {
        assertThat(GoFloat.digitCount(p - 1)).as("10^%d - 1", k).isEqualTo(k);
      }
      byte[] b = new byte[20];
      GoFloat.writeDigits(p, k + 1, b, k + 1);
      assertThat(new String(b, 0, k + 1, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(p));
      p *= 10;
    }
    assertThat(GoFloat.digitCount(Long.MAX_VALUE)).isEqualTo(19);
    byte[] b = new byte[5];
    GoFloat.writeDigits(42, 5, b, 5);
    assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("00042");
  }

  @Test
  void logApproximationsAreExactOverTheWholeRangeUsed() {
    MathContext mc = new MathContext(60, RoundingMode.HALF_EVEN);
    BigDecimal log10of2 = new BigDecimal(
        "0.301029995663981195213738894724493026768189881462108541310430");
    BigDecimal log10of3over4 = new BigDecimal(
        "-0.124938736608299659297185593357079014229046908596024611069497");
    BigDecimal log2of10 = new BigDecimal(
        "3.321928094887362347870319429489390175864831393024580612054756");
    for (int e = -1100; e <= 1100; e++) {
      BigDecimal be = BigDecimal.valueOf(e);
      assertThat(GoFloat.flog10pow2(e)).as("flog10pow2(%d)", e)
          .isEqualTo(be.multiply(log10of2, mc).setScale(0, RoundingMode.FLOOR).intValueExact());
      assertThat(GoFloat.flog10threeQuartersPow2(e)).as("flog10threeQuartersPow2(%d)", e)
          .isEqualTo(be.multiply(log10of2, mc).add(log10of3over4, mc)
              .setScale(0, RoundingMode.FLOOR).intValueExact());
    }
    for (int e = -340; e <= 340; e++) {
      assertThat(GoFloat.flog2pow10(e)).as("flog2pow10(%d)", e)
          .isEqualTo(BigDecimal.valueOf(e).multiply(log2of10, mc)
              .setScale(0, RoundingMode.FLOOR).intValueExact());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Property test against Python's repr (shortest round-trip digits, David Gay's algorithm)

  /**
   * Go's 'g' -1 layout rebuilt from repr's shortest digits: exponent form iff the decimal
   * exponent x of the leading digit is < -4 or >= 6, at least two exponent digits.
   */
  private static final String PYTHON_GO_FORMAT = """
      import struct, sys
      assert sys.float_repr_style == 'short'
      def go(x):
          if x != x: return 'NaN'
          if x == float('inf'): return '+Inf'
          if x == float('-inf'): return '-Inf'
          r = repr(x)
          sign = ''
          if r.startswith('-'):
              sign, r = '-', r[1:]
          mant, _, ex = r.partition('e')
          ex = int(ex) if ex else 0
          ip, _, fp = mant.partition('.')
          ds = ip + fp
          stripped = ds.lstrip('0')
          dp = len(ip) + ex - (len(ds) - len(stripped))
          digits = stripped.rstrip('0')
          if not digits: return sign + '0'
          nd, x = len(digits), dp - 1
          if x < -4 or x >= 6:
              s = digits[0] + ('.' + digits[1:] if nd > 1 else '')
              s += 'e' + ('-' if x < 0 else '+') + '%02d' % abs(x)
          elif dp <= 0:
              s = '0.' + '0' * (-dp) + digits
          elif nd <= dp:
              s = digits + '0' * (dp - nd)
          else:
              s = digits[:dp] + '.' + digits[dp:]
          return sign + s
      out = []
      for line in sys.stdin:
          line = line.strip()
          if line:
              out.append(go(struct.unpack('>d', bytes.fromhex(line))[0]))
      sys.stdout.write('\\n'.join(out) + '\\n')
      """;

  @Test
  void matchesGoLayoutOfPythonsShortestDigitsAndRoundTrips() {
    List<Long> bits = interestingBits();
    assertThat(bits.size()).isGreaterThanOrEqualTo(200_000);

    // (a) round trip, bit for bit
    for (long b : bits) {
      double d = Double.longBitsToDouble(b);
      if (Double.isNaN(d)) {
        continue;
      }
      String s = GoFloat.format(d);
      double back = Double.parseDouble(s.replace("Inf", "Infinity"));
      assertThat(Double.doubleToRawLongBits(back)).as("%s (%x) printed %s", d, b, s).isEqualTo(b);
    }

    // (b) the same text as Go's layout of Python's shortest digits
    ExternalTools.requirePython();
    StringBuilder in = new StringBuilder(bits.size() * 17);
    for (long b : bits) {
      String hex = Long.toHexString(b);
      in.append("0".repeat(16 - hex.length())).append(hex).append('\n');
    }
    ExternalTools.Result r = ExternalTools.run(
        List.of(ExternalTools.PYTHON.toString(), "-c", PYTHON_GO_FORMAT),
        in.toString().getBytes(StandardCharsets.US_ASCII), Duration.ofMinutes(3));
    assertThat(r.exitCode()).as(r.describe()).isZero();
    String[] expected = r.stdout().split("\n");
    assertThat(expected).hasSize(bits.size());
    int mismatches = 0;
    StringBuilder report = new StringBuilder();
    for (int i = 0; i < expected.length; i++) {
      double d = Double.longBitsToDouble(bits.get(i));
      String actual = GoFloat.format(d);
      if (!actual.equals(expected[i])) {
        if (mismatches++ < 20) {
          report.append(Long.toHexString(bits.get(i))).append(": java ").append(actual)
              .append(" python ").append(expected[i]).append('\n');
        }
      }
    }
    assertThat(mismatches).as("mismatches of %d:\n%s", expected.length, report).isZero();
  }

  /** Random bits, nice decimals, powers of ten and their neighbours, subnormals, boundaries. */
  private static List<Long> interestingBits() {
    List<Long> bits = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(20240611);
    for (int i = 0; i < 120_000; i++) {
      bits.add(r.nextLong()); // any bits: normals of every exponent, some NaN and Inf
    }
    for (int i = 0; i < 40_000; i++) {
      // "nice" decimals: a few digits at a random decimal scale, as humans configure buckets
      long digits = r.nextLong(1, 1_000_000);
      int scale = r.nextInt(-12, 12);
      double d = new BigDecimal(BigInteger.valueOf(digits), scale).doubleValue();
      bits.add(Double.doubleToRawLongBits(r.nextBoolean() ? d : -d));
    }
    for (int i = 0; i < 20_000; i++) {
      bits.add(r.nextLong() & 0x800F_FFFF_FFFF_FFFFL); // subnormals
    }
    for (long t = 1; t <= 5_000; t++) {
      bits.add(t); // the smallest subnormals, where JDK 19+ writes two digits
    }
    for (long e = 1; e < 2047; e++) {
      bits.add(e << 52); // powers of two: asymmetric rounding intervals
      bits.add((e << 52) | 1);
      bits.add((e << 52) - 1);
    }
    for (int e = -325; e <= 309; e++) {
      long b = Double.doubleToRawLongBits(Double.parseDouble("1e" + e));
      bits.add(b);
      bits.add(b + 1);
      bits.add(b - 1);
      bits.add(Double.doubleToRawLongBits(Double.parseDouble("5e" + e)));
    }
    for (long i = -2000; i <= 2000; i++) {
      bits.add(Double.doubleToRawLongBits((double) (1L << 53) + i)); // around 2^53
      bits.add(Double.doubleToRawLongBits(i / 8.0));
    }
    double[] boundaries = {
      0.0, -0.0, 1e21, 1e-5, 1e-4, 1e6, 999999.5, 1e22, 1e23, Double.MIN_VALUE, Double.MAX_VALUE,
      Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), Math.nextUp(0.0),
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 0.1 + 0.2, 1.0 / 3,
    };
    for (double d : boundaries) {
      bits.add(Double.doubleToRawLongBits(d));
      bits.add(Double.doubleToRawLongBits(-d));
      if (Double.isFinite(d)) {
        bits.add(Double.doubleToRawLongBits(Math.nextUp(d)));
        bits.add(Double.doubleToRawLongBits(Math.nextDown(d)));
      }
    }
    for (int i = 0; i < 20_000; i++) {
      bits.add(Double.doubleToRawLongBits((double) r.nextLong(-(1L << 53), 1L << 53)));
    }
    return bits;
  }
}

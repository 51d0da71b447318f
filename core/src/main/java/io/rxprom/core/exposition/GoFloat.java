package io.rxprom.core.exposition;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Formats doubles exactly as Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} does, which is what
 * the Go Prometheus client writes and what OpenMetrics calls the canonical rendering: the shortest
 * decimal that parses back to the same double, in fixed notation when the decimal exponent is in
 * {@code [-4, 6)} and in exponent notation otherwise ({@code 0.0001}, {@code 1e-05}, {@code 123456},
 * {@code 1.234567e+06}, {@code 1e+21}); non-finite values as {@code +Inf}, {@code -Inf}, {@code
 * NaN}.
 *
 * <p>Negative zero is written {@code -0}, as Go writes it; every Prometheus parser reads it back
 * as zero (Go, Python and Java all parse it to {@code -0.0}).
 *
 * <p>Thread-safe: stateless. The {@code write...} methods write ASCII bytes into a caller's array
 * and allocate nothing; the {@code String}-returning methods allocate only their result. A call
 * writes at most {@link #MAX_LENGTH} bytes.
 *
 * <pre>{@code
 * byte[] buf = new byte[GoFloat.MAX_LENGTH];
 * int end = GoFloat.write(1e-5, buf, 0);   // "1e-05"
 * }</pre>
 */
public final class GoFloat {

  /*
   * Implementation notes.
   *
   * Shortest digits: Schubfach (R. Giulietti, "The Schubfach way to render doubles", 2020; the
   * algorithm behind Double.toString since JDK 19), reimplemented from the paper with two changes
   * so that the result is Go's (and Python's repr's) rather than JDK 19's:
   *
   *  - A finite double v = c 2^q (c an integer of at most 53 bits) rounds-to-nearest from every
   *    real in its rounding interval R = [v - ulp_lo/2, v + ulp_hi/2] (closed iff c is even, as
   *    IEEE round-half-even would pick v at the boundaries). The shortest decimal in R is wanted,
   *    and among several of that length the closest to v (ties to the even digit).
   *  - Choose k = floor(log10(2^q)) (floor(log10(3/4 2^q)) when R is asymmetric, c = 2^52).
   *    Then 10^k <= |R| < 10^(k+1): R holds at least one multiple of 10^k and at most one of
   *    10^(k+1). Scale everything by 10^-k with a 126-bit approximation g of 10^-k (the table
   *    G below, computed exactly from BigInteger at class initialisation) and round to odd
   *    ("rop"); the paper proves that the comparisons below are exact despite the
   *    approximation. With s = floor(v 10^-k):
   *      1. If exactly one of u' = 10 floor(s/10), w' = u' + 10 (the multiples of 10^(k+1)
   *         around v) lies in R, it is the unique candidate with fewer digits than s and any
   *         shorter decimal in R would also be a multiple of 10^(k+1): it is the answer.
   *      2. Otherwise every decimal in R has the length of s, and the closest to v is s or
   *         s + 1, whichever lies in R, or the nearer one (ties to even) if both do.
   *  - JDK 19 skips step 1 while s < 100 and scales tiny subnormals by an extra factor 10,
   *    because its specification asks for at least two digits (4.9E-324). Go and Python write
   *    the one digit (5e-324), so here step 1 always runs and subnormals take the regular path;
   *    the bounds above still hold for them (q = -1074, k = -324, |R| = 2^-1074 > 10^-324).
   *  - Integral doubles of magnitude below 2^53 skip all of this: their decimal digits are
   *    exact and already shortest (the rounding interval is at most one unit wide), so the
   *    integer is printed after stripping trailing zeros.
   *
   * Layout: Go's 'g' with shortest precision uses exponent notation iff the decimal exponent x
   * (value = d.ddd 10^x) satisfies x < -4 or x >= 6 ("eprec = 6" in strconv/ftoa.go), with at
   * least two exponent digits; otherwise fixed notation with exactly the needed digits.
   */

  /** The most bytes that any {@code write...} method of this class writes in one call. */
  public static final int MAX_LENGTH = 32;

  private static final int K_MIN = -324;
  private static final int K_MAX = 292;
  private static final long C_MIN = 1L << 52;
  private static final int Q_MIN = -1074;
  private static final long MASK_63 = (1L << 63) - 1;
  private static final long TWO_POW_53 = 1L << 53;

  /** g1, g0 for each k in [K_MIN, K_MAX]: 10^-k ~ (g1 2^63 + g0) 2^r, g in [2^125, 2^126). */
  private static final long[] G = buildTable();

  private static final long[] POW10 = new long[19];

  static {
    long p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  /** "00" to "99". */
  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private static final byte[] POS_INF = ascii("+Inf");
  private static final byte[] NEG_INF = ascii("-Inf");
  private static final byte[] NAN = ascii("NaN");
  private static final byte[] MIN_LONG_SECONDS = ascii("9.223372036854775808e+15");

  private GoFloat() {}

  // ---------------------------------------------------------------------------------------------
  // Public API

  /**
   * Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}, with {@code +Inf} for positive infinity.
   * Allocates the returned string.
   *
   * @param v any double
   * @return the shortest round-trip rendering in Go's layout
   */
  public static String format(double v) {
    byte[] b = new byte[MAX_LENGTH];
    int n = write(v, b, 0);
    return new String(b, 0, n, StandardCharsets.US_ASCII);
  }

  /**
   * The OpenMetrics canonical form used for {@code le} and {@code quantile}: {@link
   * #format(double)} with {@code .0} appended when the result has no {@code .} and no exponent
   * and is finite ({@code 1.0}, {@code 0.0}, {@code 100000.0}, {@code 1e+06}, {@code +Inf}).
   * Allocates the returned string.
   *
   * @param v any double
   * @return the canonical rendering
   */
  public static String formatCanonical(double v) {
    byte[] b = new byte[MAX_LENGTH];
    int n = writeCanonical(v, b, 0);
    return new String(b, 0, n, StandardCharsets.US_ASCII);
  }

  /**
   * Seconds since the epoch for a time in milliseconds since the epoch, in the form {@link
   * #format(double)} gives {@code epochMillis / 1000.0} ({@code 1700000000123} gives {@code
   * 1.700000000123e+09}), but computed from the decimal digits of the long, so it is exact for
   * every long. Allocates the returned string.
   *
   * @param epochMillis milliseconds since the epoch
   * @return seconds since the epoch
   */
  public static String formatSecondsFromMillis(long epochMillis) {
    byte[] b = new byte[MAX_LENGTH];
    int n = writeSecondsFromMillis(epochMillis, b, 0);
    return new String(b, 0, n, StandardCharsets.US_ASCII);
  }

  /**
   * Writes {@link #format(double)} of {@code v} as ASCII into {@code dst} from {@code off}.
   * Allocation-free.
   *
   * @param v any double
   * @param dst the array to write into
   * @param off where the first byte goes
   * @return the index after the last byte written
   * @throws ArrayIndexOutOfBoundsException if fewer than {@link #MAX_LENGTH} bytes are free from
   *     {@code off} (the method may need fewer)
   */
  public static int write(double v, byte[] dst, int off) {
    return write(v, dst, off, false);
  }

  /**
   * Writes {@link #formatCanonical(double)} of {@code v} as ASCII into {@code dst} from {@code
   * off}. Allocation-free.
   *
   * @param v any double
   * @param dst the array to write into, with {@link #MAX_LENGTH} bytes free from {@code off}
   * @param off where the first byte goes
   * @return the index after the last byte written
   */
  public static int writeCanonical(double v, byte[] dst, int off) {
    return write(v, dst, off, true);
  }

  /**
   * Writes {@link #formatSecondsFromMillis(long)} of {@code epochMillis} as ASCII into {@code dst}
   * from {@code off}. Allocation-free.
   *
   * @param epochMillis milliseconds since the epoch
   * @param dst the array to write into, with {@link #MAX_LENGTH} bytes free from {@code off}
   * @param off where the first byte goes
   * @return the index after the last byte written
   */
  public static int writeSecondsFromMillis(long epochMillis, byte[] dst, int off) {
    return writeSecondsFromMillis(epochMillis, dst, off, false);
  }

  /** {@link #writeSecondsFromMillis(long, byte[], int)}, canonical ({@code .0}) if asked. */
  static int writeSecondsFromMillis(long epochMillis, byte[] dst, int off, boolean canonical) {
    if (epochMillis == 0) {
      dst[off] = '0';
      if (canonical) {
        dst[off + 1] = '.';
        dst[off + 2] = '0';
        return off + 3;
      }
      return off + 1;
    }
    int p = off;
    long m = epochMillis;
    if (m < 0) {
      dst[p++] = '-';
      if (m == Long.MIN_VALUE) {
        // 9223372036854775808 does not fit a long; its 19 digits have no trailing zero.
        System.arraycopy(MIN_LONG_SECONDS, 0, dst, p, MIN_LONG_SECONDS.length);
        return p + MIN_LONG_SECONDS.length;
      }
      m = -m;
    }
    int e = -3;
    while (m % 10 == 0) {
      m /= 10;
      e++;
    }
    return layout(m, e, digitCount(m), canonical, dst, p);
  }

  // ---------------------------------------------------------------------------------------------
  // Implementation

  /** {@link #write} or {@link #writeCanonical}. */
  static int write(double v, byte[] dst, int off, boolean canonical) {
    long bits = Double.doubleToRawLongBits(v);
    int be = (int) (bits >>> 52) & 0x7ff;
    long t = bits & (C_MIN - 1);
    if (be == 0x7ff) {
      byte[] s = t != 0 ? NAN : bits < 0 ? NEG_INF : POS_INF;
      System.arraycopy(s, 0, dst, off, s.length);
      return off + s.length;
    }
    int p = off;
    if (bits < 0) {
      dst[p++] = '-';
    }
    if (be == 0 && t == 0) {
      dst[p++] = '0';
      if (canonical) {
        dst[p++] = '.';
        dst[p++] = '0';
      }
      return p;
    }
    double a = Math.abs(v);
    if (a < TWO_POW_53) {
      long l = (long) a;
      if (l == a) {
        int e = 0;
        while (l % 10 == 0) {
          l /= 10;
          e++;
        }
        return layout(l, e, digitCount(l), canonical, dst, p);
      }
    }
    if (be != 0) {
      return shortest(be - 1075, C_MIN | t, canonical, dst, p);
    }
    return shortest(Q_MIN, t, canonical, dst, p);
  }

  /** Shortest decimal for c 2^q (c > 0), then the Go layout. */
  private static int shortest(int q, long c, boolean canonical, byte[] dst, int p) {
    int out = (int) c & 1;
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
      cbl = cb - 2;
      k = flog10pow2(q);
    } else {
      cbl = cb - 1;
      k = flog10threeQuartersPow2(q);
    }
    int h = q + flog2pow10(-k) + 2;
    int i = (k - K_MIN) << 1;
    long g1 = G[i];
    long g0 = G[i + 1];
    long vb = rop(g1, g0, cb << h);
    long vbl = rop(g1, g0, cbl << h);
    long vbr = rop(g1, g0, cbr << h);

    long s = vb >> 2;
    long sp10 = 10 * (s / 10);
    long tp10 = sp10 + 10;
    boolean upin = vbl + out <= sp10 << 2;
    boolean wpin = (tp10 << 2) + out <= vbr;
    long f;
    if (upin != wpin) {
      f = upin ? sp10 : tp10;
    } else {
      long tt = s + 1;
      boolean uin = vbl + out <= s << 2;
      boolean win = (tt << 2) + out <= vbr;
      if (uin != win) {
        f = uin ? s : tt;
      } else {
        long cmp = vb - ((s + tt) << 1);
        f = cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : tt;
      }
    }
    int e = k;
    // f < 10^18: strip trailing zeros, two digits at a time first.
    while (f % 100 == 0) {
      f /= 100;
      e += 2;
    }
    if (f % 10 == 0) {
      f /= 10;
      e++;
    }
    return layout(f, e, digitCount(f), canonical, dst, p);
  }

  /**
   * Writes f 10^e (f > 0 without trailing zeros, nd its digit count) in Go's %g shortest layout,
   * with {@code .0} appended to a bare integer when {@code canonical}.
   */
  private static int layout(long f, int e, int nd, boolean canonical, byte[] dst, int p) {
    int x = nd + e - 1; // decimal exponent of the leading digit
    if (x < -4 || x >= 6) {
      // d[.ddd]e±XX
      if (nd == 1) {
        dst[p++] = (byte) ('0' + f);
      } else {
        int end = p + nd + 1;
        writeDigits(f % POW10[nd - 1], nd - 1, dst, end);
        dst[p] = (byte) ('0' + f / POW10[nd - 1]);
        dst[p + 1] = '.';
        p = end;
      }
      dst[p++] = 'e';
      if (x < 0) {
        dst[p++] = '-';
        x = -x;
      } else {
        dst[p++] = '+';
      }
      if (x < 10) {
        dst[p++] = '0';
        dst[p++] = (byte) ('0' + x);
      } else if (x < 100) {
        dst[p++] = (byte) ('0' + x / 10);
        dst[p++] = (byte) ('0' + x % 10);
      } else {
        dst[p++] = (byte) ('0' + x / 100);
        dst[p++] = (byte) ('0' + x / 10 % 10);
        dst[p++] = (byte) ('0' + x % 10);
      }
      return p;
    }
    if (e >= 0) {
      // integer: digits then e zeros
      writeDigits(f, nd, dst, p + nd);
      p += nd;
      for (int z = 0; z < e; z++) {
        dst[p++] = '0';
      }
      if (canonical) {
        dst[p++] = '.';
        dst[p++] = '0';
      }
      return p;
    }
    int dp = nd + e; // digits before the point
    if (dp > 0) {
      int end = p + nd + 1;
      long div = POW10[-e];
      writeDigits(f % div, -e, dst, end);
      dst[end - 1 + e] = '.';
      writeDigits(f / div, dp, dst, p + dp);
      return end;
    }
    dst[p++] = '0';
    dst[p++] = '.';
    for (int z = 0; z < -dp; z++) {
      dst[p++] = '0';
    }
    writeDigits(f, nd, dst, p + nd);
    return p + nd;
  }

  /**
   * Writes exactly n decimal digits of v >= 0 (zero-padded on the left), ending before end; two
   * digits per division.
   */
  static void writeDigits(long v, int n, byte[] dst, int end) {
    int i = end;
    while (n >= 2) {
      long q = v / 100;
      int r = (int) (v - q * 100) << 1;
      dst[--i] = DIGIT_PAIRS[r + 1];
      dst[--i] = DIGIT_PAIRS[r];
      v = q;
      n -= 2;
    }
    if (n == 1) {
      dst[--i] = (byte) ('0' + v % 10);
    }
  }

  /** Number of decimal digits of v > 0. */
  static int digitCount(long v) {
    // floor(log10(2^bitLength)) is the digit count minus one, or one less than that
    int t = ((64 - Long.numberOfLeadingZeros(v)) * 1233) >>> 12;
    return t < POW10.length && v >= POW10[t] ? t + 1 : t;
  }

  /** rop(cp g 2^-127) with g = g1 2^63 + g0: the product rounded to odd. */
  private static long rop(long g1, long g0, long cp) {
    long x1 = Math.multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = Math.multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | (((z & MASK_63) + MASK_63) >>> 63);
  }

  /** floor(log10(2^e)) for |e| <= 5456721. */
  static int flog10pow2(int e) {
    return (int) (e * 661_971_961_083L >> 41);
  }

  /** floor(log10(3/4 2^e)) for |e| <= 5456721. */
  static int flog10threeQuartersPow2(int e) {
    return (int) ((e * 661_971_961_083L - 274_743_187_321L) >> 41);
  }

  /** floor(log2(10^e)) for |e| <= 1838394. */
  static int flog2pow10(int e) {
    return (int) (e * 913_124_641_741L >> 38);
  }

  /** g(k) = floor(10^-k 2^-r) + 1 with r chosen so that 2^125 <= g < 2^126, split 63/63 bits. */
  private static long[] buildTable() {
    long[] g = new long[(K_MAX - K_MIN + 1) * 2];
    BigInteger ten = BigInteger.TEN;
    BigInteger mask63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
    for (int k = K_MIN; k <= K_MAX; k++) {
      BigInteger beta;
      if (k <= 0) {
        BigInteger n = ten.pow(-k);
        int r = n.bitLength() - 126; // 2^125 <= n 2^-r < 2^126
        beta = r >= 0 ? n.shiftRight(r) : n.shiftLeft(-r);
      } else {
        BigInteger d = ten.pow(k);
        // d is not a power of two, so 2^(125 + bitLength(d)) / d lies in [2^125, 2^126).
        beta = BigInteger.ONE.shiftLeft(125 + d.bitLength()).divide(d);
      }
      BigInteger gg = beta.add(BigInteger.ONE);
      int i = (k - K_MIN) << 1;
      g[i] = gg.shiftRight(63).longValueExact();
      g[i + 1] = gg.and(mask63).longValueExact();
    }
    return g;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}

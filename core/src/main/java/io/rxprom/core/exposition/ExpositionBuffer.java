package io.rxprom.core.exposition;

import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.SummaryDataPoint;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The byte buffer one {@code write()} call of a text writer fills and drains into its output
 * stream, with the UTF-8 encoding and escaping the exposition formats need.
 *
 * <p>Not thread-safe: one instance per {@code write()} call, confined to the calling thread. It
 * allocates its arrays once, when created (the label scratch array grows, rarely, to the longest
 * label set seen), and nothing afterwards.
 */
final class ExpositionBuffer {

  /*
   * Implementation notes. Everything is encoded by hand into one byte[]: metric and label names
   * are ASCII (the snapshot model validates them), label values and help texts go through a
   * per-char loop with an ASCII fast path, an explicit escape table and a UTF-8 encoder that
   * joins surrogate pairs into one 4-byte sequence and writes U+FFFD for a lone surrogate (which
   * UTF-8 cannot represent). Capacity is checked once per number or name and once per char of an
   * escaped text, so the hot loops hold no bounds logic beyond the array's own.
   *
   * A series' label block ({@code a="x",b="y"}) is encoded once into a scratch array and copied
   * into each of its lines: a histogram with 12 buckets writes 14 lines with the same labels.
   */

  static final int CAPACITY = 16 * 1024;

  /** Room that a number, a name suffix or one char of escaped text needs at most. */
  private static final int SLACK = 64;

  private final OutputStream out;
  private final byte[] buf = new byte[CAPACITY];
  private int pos;

  /** The current series' encoded labels, without braces. */
  private byte[] labels = new byte[256];

  private int labelsLength;

  /** The current family's name, encoded. */
  private byte[] name = new byte[128];

  private int nameLength;

  /**
   * OpenMetrics: doubles (sample values and {@code le}/{@code quantile}) take the canonical form,
   * with {@code .0} on integral values, as the Go, Python and Java clients write them, so that a
   * double never alternates between OpenMetrics' integer and float renderings. Text 0.0.4: Go
   * {@code %g} as is. In both, negative zero is written as zero ({@code 0}, {@code 0.0}), as
   * Go's expfmt does (its writeFloat and writeOpenMetricsFloat special-case {@code f == 0}):
   * every double written goes through {@code v + 0.0}, which maps {@code -0.0} to {@code 0.0}
   * and leaves every other value, NaN included, as it is.
   */
  private final boolean canonical;

  /*
   * The encoded extra-label segments of the current histogram or summary: for bucket i,
   * le="<bound>"} (closing brace and space included) at segments[segmentStart[i],
   * segmentStart[i + 1]). Keyed by the raw bits of the bounds, so the series of a family, which
   * share their bounds, encode them once per scrape.
   */
  private byte[] segments = new byte[512];

  private int[] segmentStart = new int[33];
  private long[] segmentKeys = new long[32];
  private int segmentCount = -1;
  private boolean segmentsAreQuantiles;

  ExpositionBuffer(OutputStream out, boolean canonical) {
    this.out = out;
    this.canonical = canonical;
  }

  /** Drains the buffer into the stream (does not flush the stream). */
  void drain() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  private void room(int n) throws IOException {
    if (pos + n > CAPACITY) {
      drain();
    }
  }

  void put(byte b) throws IOException {
    if (pos == CAPACITY) {
      drain();
    }
    buf[pos++] = b;
  }

  void put(byte[] b) throws IOException {
    put(b, 0, b.length);
  }

  void put(byte[] b, int off, int len) throws IOException {
    if (pos + len > CAPACITY) {
      drain();
      if (len > CAPACITY) {
        out.write(b, off, len);
        return;
      }
    }
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }

  /** ASCII text such as a number (anything else is UTF-8 encoded anyway), without escapes. */
  void putAscii(String s) throws IOException {
    int n = s.length();
    if (pos + n > CAPACITY) {
      drain();
      if (n > CAPACITY - SLACK) {
        putText(s, false, false);
        return;
      }
    }
    byte[] b = buf;
    int p = pos;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        pos = p;
        putText(s.substring(i), false, false);
        return;
      }
      b[p++] = (byte) c;
    }
    pos = p;
  }

  /**
   * Text with the exposition escapes: backslash and newline always, the double quote when {@code
   * escapeQuote}; with {@code escape} false the text is only UTF-8 encoded.
   */
  void putEscaped(String s, boolean escapeQuote) throws IOException {
    putText(s, true, escapeQuote);
  }

  private void putText(String s, boolean escape, boolean escapeQuote) throws IOException {
    int n = s.length();
    int i = 0;
    while (i < n) {
      if (pos > CAPACITY - 8) {
        drain();
      }
      // Encode as many chars as surely fit (at most 4 bytes per char or pair).
      int stop = Math.min(n, i + ((CAPACITY - pos) >> 2) - 1);
      int p = pos;
      byte[] b = buf;
      while (i < stop) {
        char c = s.charAt(i++);
        if (c < 0x80) {
          if (escape && (c == '\\' || c == '\n' || (c == '"' && escapeQuote))) {
            b[p++] = '\\';
            b[p++] = c == '\n' ? (byte) 'n' : (byte) c;
          } else {
            b[p++] = (byte) c;
          }
        } else {
          i = encodeNonAscii(s, i, c, n, b, p);
          p = encodedEnd;
        }
      }
      pos = p;
    }
  }

  /** Set by {@link #encodeNonAscii}: the end of what it wrote. */
  private int encodedEnd;

  /**
   * UTF-8 for the char {@code c} (already consumed) at index {@code i - 1} of {@code s}; joins a
   * surrogate pair. Writes into {@code b} from {@code p}, stores the end in {@link #encodedEnd}
   * and returns the index of the next char.
   */
  private int encodeNonAscii(String s, int i, char c, int n, byte[] b, int p) {
    if (c < 0x800) {
      b[p++] = (byte) (0xC0 | (c >> 6));
      b[p++] = (byte) (0x80 | (c & 0x3F));
    } else if (!Character.isSurrogate(c)) {
      b[p++] = (byte) (0xE0 | (c >> 12));
      b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
      b[p++] = (byte) (0x80 | (c & 0x3F));
    } else if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(s.charAt(i))) {
      int cp = Character.toCodePoint(c, s.charAt(i++));
      b[p++] = (byte) (0xF0 | (cp >> 18));
      b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
      b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      b[p++] = (byte) (0x80 | (cp & 0x3F));
    } else {
      // A lone surrogate has no UTF-8 form: U+FFFD REPLACEMENT CHARACTER.
      b[p++] = (byte) 0xEF;
      b[p++] = (byte) 0xBF;
      b[p++] = (byte) 0xBD;
    }
    encodedEnd = p;
    return i;
  }

  void putLong(long v) throws IOException {
    room(SLACK);
    if (v >= 0 && v < 10) {
      buf[pos++] = (byte) ('0' + v);
      return;
    }
    if (v == Long.MIN_VALUE) {
      putAscii("-9223372036854775808");
      return;
    }
    if (v < 0) {
      buf[pos++] = '-';
      v = -v;
    }
    int n = GoFloat.digitCount(v);
    GoFloat.writeDigits(v, n, buf, pos + n);
    pos += n;
  }

  /** A double, canonical in OpenMetrics; negative zero as zero. */
  void putDouble(double v) throws IOException {
    room(SLACK);
    pos = GoFloat.write(v + 0.0, buf, pos, canonical);
  }

  /** Seconds from epoch millis, canonical in OpenMetrics. */
  void putSecondsFromMillis(long epochMillis) throws IOException {
    room(SLACK);
    pos = GoFloat.writeSecondsFromMillis(epochMillis, buf, pos, canonical);
  }

  // ---------------------------------------------------------------------------------------------
  // The current series' label block

  // ---------------------------------------------------------------------------------------------
  // Whole sample lines: name, suffix, the current label block, value, newline

  /** {@code <name><suffix>{<labels>} <v>\n}. */
  void sample(byte[] suffix, double v) throws IOException {
    if (startLine(suffix)) {
      pos = GoFloat.write(v + 0.0, buf, pos, canonical);
      buf[pos++] = '\n';
    } else {
      putDouble(v);
      put((byte) '\n');
    }
  }

  /** {@code <name><suffix>{<labels>} <v>\n}. */
  void sample(byte[] suffix, long v) throws IOException {
    startLine(suffix);
    putLong(v);
    put((byte) '\n');
  }

  /** {@code <name><suffix>{<labels>} <seconds>\n}. */
  void sampleSeconds(byte[] suffix, long epochMillis) throws IOException {
    if (startLine(suffix)) {
      pos = GoFloat.writeSecondsFromMillis(epochMillis, buf, pos, canonical);
      buf[pos++] = '\n';
    } else {
      putSecondsFromMillis(epochMillis);
      put((byte) '\n');
    }
  }

  /** {@code <name><suffix>{<labels>} <valueAndNewline>}, the value given as bytes. */
  void sample(byte[] suffix, byte[] valueAndNewline) throws IOException {
    startLine(suffix);
    put(valueAndNewline);
  }

  /**
   * Writes {@code <name><suffix>{<labels>} }; returns true if {@link #SLACK} more bytes surely
   * fit in the buffer afterwards.
   */
  private boolean startLine(byte[] suffix) throws IOException {
    int need = nameLength + suffix.length + labelsLength + 3 + SLACK;
    if (pos + need > CAPACITY) {
      drain();
      if (need > CAPACITY) {
        putName();
        put(suffix);
        putLabelBlockAndSpace();
        return false;
      }
    }
    byte[] b = buf;
    int p = pos;
    System.arraycopy(name, 0, b, p, nameLength);
    p += nameLength;
    System.arraycopy(suffix, 0, b, p, suffix.length);
    p += suffix.length;
    if (labelsLength > 0) {
      b[p++] = '{';
      System.arraycopy(labels, 0, b, p, labelsLength);
      p += labelsLength;
      b[p++] = '}';
    }
    b[p++] = ' ';
    pos = p;
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // The current family's name

  /** Encodes {@code name} as the current family's name. */
  void setName(String s) {
    int n = s.length();
    if (3 * n > name.length) {
      name = new byte[3 * n];
    }
    nameLength = encodeRaw(s, name, 0);
  }

  /** Writes the current family's name. */
  void putName() throws IOException {
    put(name, 0, nameLength);
  }

  /** UTF-8 without escapes; {@code b} has room for 3 bytes per char. */
  private int encodeRaw(String s, byte[] b, int p) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i++);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else {
        i = encodeNonAscii(s, i, c, n, b, p);
        p = encodedEnd;
      }
    }
    return p;
  }

  // ---------------------------------------------------------------------------------------------
  // The le / quantile segments

  /** Prepares the {@code le} segments for the buckets of {@code p}. */
  void setBounds(HistogramDataPoint p) {
    int n = p.bucketCount();
    boolean same = segmentCount == n && !segmentsAreQuantiles;
    for (int i = 0; same && i < n; i++) {
      same = segmentKeys[i] == Double.doubleToRawLongBits(p.upperBound(i));
    }
    if (same) {
      return;
    }
    startSegments(n, false);
    for (int i = 0; i < n; i++) {
      addSegment(i, p.upperBound(i));
    }
  }

  /** Prepares the {@code quantile} segments for the quantiles of {@code p}. */
  void setQuantiles(SummaryDataPoint p) {
    int n = p.quantileCount();
    boolean same = segmentCount == n && segmentsAreQuantiles;
    for (int i = 0; same && i < n; i++) {
      same = segmentKeys[i] == Double.doubleToRawLongBits(p.quantile(i));
    }
    if (same) {
      return;
    }
    startSegments(n, true);
    for (int i = 0; i < n; i++) {
      addSegment(i, p.quantile(i));
    }
  }

  private void startSegments(int n, boolean quantiles) {
    if (segmentKeys.length < n) {
      segmentKeys = new long[n];
      segmentStart = new int[n + 1];
    }
    segmentCount = n;
    segmentsAreQuantiles = quantiles;
    segmentStart[0] = 0;
  }

  private void addSegment(int i, double v) {
    byte[] label = segmentsAreQuantiles ? QUANTILE_EQ : LE_EQ;
    int p = segmentStart[i];
    if (p + label.length + GoFloat.MAX_LENGTH + 3 > segments.length) {
      byte[] grown = new byte[segments.length * 2];
      System.arraycopy(segments, 0, grown, 0, p);
      segments = grown;
    }
    byte[] b = segments;
    System.arraycopy(label, 0, b, p, label.length);
    p += label.length;
    p = GoFloat.write(v + 0.0, b, p, canonical);
    b[p++] = '"';
    b[p++] = '}';
    b[p++] = ' ';
    segmentKeys[i] = Double.doubleToRawLongBits(v);
    segmentStart[i + 1] = p;
  }

  /**
   * Writes {@code {labels,le="bound"} } for segment {@code i}: the part of a bucket or quantile
   * line between its name and its value.
   */
  void putLabelsWithSegment(int i) throws IOException {
    int start = segmentStart[i];
    int len = segmentStart[i + 1] - start;
    int need = labelsLength + len + 2;
    room(need);
    if (need > CAPACITY) {
      put((byte) '{');
      putLabels();
      put((byte) ',');
      put(segments, start, len);
      return;
    }
    byte[] b = buf;
    int p = pos;
    b[p++] = '{';
    if (labelsLength > 0) {
      System.arraycopy(labels, 0, b, p, labelsLength);
      p += labelsLength;
      b[p++] = ',';
    }
    System.arraycopy(segments, start, b, p, len);
    pos = p + len;
  }

  private static final byte[] LE_EQ = {'l', 'e', '=', '"'};
  private static final byte[] QUANTILE_EQ = {'q', 'u', 'a', 'n', 't', 'i', 'l', 'e', '=', '"'};

  // ---------------------------------------------------------------------------------------------
  // The current series' label block

  /** Encodes {@code labels} as the current series' label block: {@code a="x",b="y"}. */
  void setLabels(Labels labels) {
    int len = 0;
    int size = labels.size();
    for (int i = 0; i < size; i++) {
      String name = labels.name(i);
      String value = labels.value(i);
      // name, =", value at most 3 bytes per char (escapes: 2), ", comma
      int need = len + 3 * name.length() + 3 * value.length() + 4;
      if (need > this.labels.length) {
        byte[] grown = new byte[Math.max(need, this.labels.length * 2)];
        System.arraycopy(this.labels, 0, grown, 0, len);
        this.labels = grown;
      }
      byte[] b = this.labels;
      if (i > 0) {
        b[len++] = ',';
      }
      len = encodeRaw(name, b, len);
      b[len++] = '=';
      b[len++] = '"';
      len = escapeLabelValue(value, b, len);
      b[len++] = '"';
    }
    labelsLength = len;
  }

  boolean hasLabels() {
    return labelsLength > 0;
  }

  /** Writes the current label block, without braces. */
  void putLabels() throws IOException {
    put(labels, 0, labelsLength);
  }

  /**
   * Writes {@code {labels} } (with the trailing space) or just a space when there are none: the
   * part of a sample line between its name and its value.
   */
  void putLabelBlockAndSpace() throws IOException {
    if (labelsLength == 0) {
      put((byte) ' ');
      return;
    }
    room(labelsLength + 3);
    if (labelsLength + 3 > CAPACITY) {
      put((byte) '{');
      putLabels();
      put(CLOSE_SPACE);
      return;
    }
    byte[] b = buf;
    int p = pos;
    b[p++] = '{';
    System.arraycopy(labels, 0, b, p, labelsLength);
    p += labelsLength;
    b[p++] = '}';
    b[p++] = ' ';
    pos = p;
  }

  private static final byte[] CLOSE_SPACE = {'}', ' '};

  /**
   * Escapes a label value into {@code b} from {@code p}; {@code b} has room for 3 bytes per char.
   */
  private int escapeLabelValue(String s, byte[] b, int p) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i++);
      if (c < 0x80) {
        if (c == '\\' || c == '"' || c == '\n') {
          b[p++] = '\\';
          b[p++] = c == '\n' ? (byte) 'n' : (byte) c;
        } else {
          b[p++] = (byte) c;
        }
      } else {
        i = encodeNonAscii(s, i, c, n, b, p);
        p = encodedEnd;
      }
    }
    return p;
  }
}

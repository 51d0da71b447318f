package io.rxprom.core.exposition;

/**
 * The {@code Accept} header scanner behind {@link ExpositionFormat#negotiate(String)}, which
 * documents the rules.
 *
 * <p>Thread-safe: each call uses its own instance, confined to the calling thread. The scanner
 * works on the header string in place and allocates only itself.
 */
final class AcceptNegotiation {

  /** Specificity of a match; NONE means the range does not match the format. */
  private static final int NONE = -1;
  private static final int ANY_TYPE = 0; // */*
  private static final int ANY_SUBTYPE = 1; // text/*
  private static final int TYPE = 2; // text/plain
  private static final int TYPE_AND_VERSION = 3; // text/plain;version=0.0.4

  private static final int TEXT = 0;
  private static final int OPENMETRICS = 1;

  private final String s;
  private final int n;
  private int i;

  // The entry being scanned.
  private int typeStart;
  private int typeEnd;
  private int subtypeStart;
  private int subtypeEnd;
  private int versionStart;
  private int versionEnd; // versionStart < 0: no version parameter
  private int qThousandths;
  private boolean sawVersion;
  private int paramCount;
  // Parameter name spans of the entry, for the duplicate check (entries have few parameters).
  private int[] paramNames = new int[8];

  // Per format: the deciding range's specificity, q and index.
  private final int[] bestSpecificity = {NONE, NONE};
  private final int[] bestQ = new int[2];
  private final int[] bestIndex = new int[2];

  private AcceptNegotiation(String s) {
    this.s = s;
    this.n = s.length();
  }

  static ExpositionFormat negotiate(String header) {
    if (header == null || header.isBlank()) {
      return ExpositionFormat.PROMETHEUS_TEXT_0_0_4;
    }
    return new AcceptNegotiation(header).run();
  }

  private ExpositionFormat run() {
    int index = 0;
    while (i < n) {
      int start = i;
      if (parseEntry()) {
        consider(index);
      }
      index++;
      skipToNextEntry();
      if (i == start) {
        i++; // never loop in place
      }
    }
    boolean text = bestSpecificity[TEXT] != NONE && bestQ[TEXT] > 0;
    boolean om = bestSpecificity[OPENMETRICS] != NONE && bestQ[OPENMETRICS] > 0;
    if (om
        && (!text
            || bestQ[OPENMETRICS] > bestQ[TEXT]
            || (bestQ[OPENMETRICS] == bestQ[TEXT]
                && bestIndex[OPENMETRICS] < bestIndex[TEXT]))) {
      return ExpositionFormat.OPENMETRICS_1_0_0;
    }
    return ExpositionFormat.PROMETHEUS_TEXT_0_0_4;
  }

  /** Records what the parsed entry matches. */
  private void consider(int index) {
    int textSpec = NONE;
    int omSpec = NONE;
    boolean anyType = is(typeStart, typeEnd, "*");
    boolean anySub = is(subtypeStart, subtypeEnd, "*");
    if (anyType) {
      if (!anySub) {
        return; // "*/plain" is not a valid media range
      }
      textSpec = ANY_TYPE;
      omSpec = ANY_TYPE;
    } else if (is(typeStart, typeEnd, "text")) {
      if (anySub) {
        textSpec = ANY_SUBTYPE;
      } else if (is(subtypeStart, subtypeEnd, "plain")) {
        if (!sawVersion) {
          textSpec = TYPE;
        } else if (is(versionStart, versionEnd, "0.0.4") || is(versionStart, versionEnd, "1.0.0")) {
          textSpec = TYPE_AND_VERSION;
        }
      }
    } else if (is(typeStart, typeEnd, "application")) {
      if (anySub) {
        omSpec = ANY_SUBTYPE;
      } else if (is(subtypeStart, subtypeEnd, "openmetrics-text")) {
        if (!sawVersion) {
          omSpec = TYPE;
        } else if (is(versionStart, versionEnd, "1.0.0") || is(versionStart, versionEnd, "0.0.1")) {
          omSpec = TYPE_AND_VERSION;
        }
      }
    }
    offer(TEXT, textSpec, index);
    offer(OPENMETRICS, omSpec, index);
  }

  private void offer(int format, int specificity, int index) {
    if (specificity == NONE) {
      return;
    }
    if (specificity > bestSpecificity[format]
        || (specificity == bestSpecificity[format] && qThousandths > bestQ[format])) {
      bestSpecificity[format] = specificity;
      bestQ[format] = qThousandths;
      bestIndex[format] = index;
    }
  }

  /** Case-insensitive comparison of s[from, to) with an ASCII literal. */
  private boolean is(int from, int to, String literal) {
    return to - from == literal.length() && s.regionMatches(true, from, literal, 0, to - from);
  }

  // ---------------------------------------------------------------------------------------------
  // Scanning. Grammar (RFC 9110): media-range = type "/" subtype parameters [weight],
  // parameters = *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] ).

  /** Parses one entry from i; false if it is malformed (i is then somewhere inside it). */
  private boolean parseEntry() {
    skipWhitespace();
    typeStart = i;
    skipToken();
    typeEnd = i;
    if (typeEnd == typeStart || i >= n || s.charAt(i) != '/') {
      return false;
    }
    i++;
    subtypeStart = i;
    skipToken();
    subtypeEnd = i;
    if (subtypeEnd == subtypeStart) {
      return false;
    }
    versionStart = -1;
    versionEnd = -1;
    qThousandths = 1000;
    sawVersion = false;
    paramCount = 0;
    while (true) {
      skipWhitespace();
      if (i >= n || s.charAt(i) == ',') {
        return true;
      }
      if (s.charAt(i) != ';') {
        return false;
      }
      i++;
      skipWhitespace();
      if (i >= n || s.charAt(i) == ',' || s.charAt(i) == ';') {
        continue; // empty parameter
      }
      int nameStart = i;
      skipToken();
      int nameEnd = i;
      if (nameEnd == nameStart) {
        return false;
      }
      skipWhitespace();
      if (i >= n || s.charAt(i) != '=') {
        return false;
      }
      i++;
      skipWhitespace();
      int valueStart;
      int valueEnd;
      if (i < n && s.charAt(i) == '"') {
        i++;
        valueStart = i;
        while (i < n && s.charAt(i) != '"') {
          if (s.charAt(i) == '\\') {
            i++;
          }
          i++;
        }
        if (i >= n) {
          return false; // unterminated quoted string
        }
        valueEnd = i;
        i++;
      } else {
        valueStart = i;
        skipToken();
        valueEnd = i;
        if (valueEnd == valueStart) {
          return false;
        }
      }
      if (!rememberParam(nameStart, nameEnd)) {
        return false; // a repeated parameter is ambiguous
      }
      if (is(nameStart, nameEnd, "q")) {
        qThousandths = parseQ(valueStart, valueEnd);
        if (qThousandths < 0) {
          return false;
        }
      } else if (is(nameStart, nameEnd, "version")) {
        sawVersion = true;
        versionStart = valueStart;
        versionEnd = valueEnd;
      }
    }
  }

  private boolean rememberParam(int from, int to) {
    for (int k = 0; k < paramCount; k++) {
      int a = paramNames[2 * k];
      int b = paramNames[2 * k + 1];
      if (b - a == to - from && s.regionMatches(true, a, s, from, to - from)) {
        return false;
      }
    }
    if (2 * paramCount + 2 > paramNames.length) {
      int[] grown = new int[paramNames.length * 2];
      System.arraycopy(paramNames, 0, grown, 0, paramNames.length);
      paramNames = grown;
    }
    paramNames[2 * paramCount] = from;
    paramNames[2 * paramCount + 1] = to;
    paramCount++;
    return true;
  }

  /** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths; -1 if bad. */
  private int parseQ(int from, int to) {
    int len = to - from;
    if (len == 0 || len > 5) {
      return -1;
    }
    char first = s.charAt(from);
    if (first != '0' && first != '1') {
      return -1;
    }
    int q = (first - '0') * 1000;
    if (len == 1) {
      return q;
    }
    if (s.charAt(from + 1) != '.') {
      return -1;
    }
    int scale = 100;
    for (int k = from + 2; k < to; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      q += (c - '0') * scale;
      scale /= 10;
    }
    return q > 1000 ? -1 : q;
  }

  private void skipWhitespace() {
    while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
  }

  private void skipToken() {
    while (i < n && isTokenChar(s.charAt(i))) {
      i++;
    }
  }

  private static boolean isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return switch (c) {
      case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
      default -> false;
    };
  }

  /** Moves i past the next comma that is not inside a quoted string (or to the end). */
  private void skipToNextEntry() {
    boolean quoted = false;
    while (i < n) {
      char c = s.charAt(i++);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        return;
      }
    }
  }
}

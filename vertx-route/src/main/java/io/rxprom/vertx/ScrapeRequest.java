package io.rxprom.vertx;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parses what a scrape request asks for: {@code name[]} parameters and gzip. Stateless. */
final class ScrapeRequest {

  static final String NAME_PARAM = "name[]";

  private ScrapeRequest() {}

  /**
   * The non-empty values of the {@code name[]} parameters of a raw query string (keys and values
   * percent-decoded, {@code +} as space, as {@code application/x-www-form-urlencoded}).
   *
   * @param rawQuery the query string without {@code ?}, or null
   * @throws IllegalArgumentException if a {@code %} is not followed by two hex digits or the
   *     decoded bytes are not UTF-8; the message says where
   */
  static List<String> names(String rawQuery) {
    List<String> names = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return names;
    }
    int start = 0;
    while (start <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = rawQuery.length();
      }
      if (end > start) {
        int eq = rawQuery.indexOf('=', start);
        int keyEnd = eq >= 0 && eq < end ? eq : end;
        String key = decode(rawQuery, start, keyEnd);
        String value = keyEnd < end ? decode(rawQuery, keyEnd + 1, end) : "";
        if (NAME_PARAM.equals(key) && !value.isEmpty()) {
          names.add(value);
        }
      }
      start = end + 1;
    }
    return names;
  }

  private static String decode(String s, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to && plain; i++) {
      char c = s.charAt(i);
      plain = c != '%' && c != '+' && c < 0x80;
    }
    if (plain) {
      return s.substring(from, to);
    }
    ByteBuffer bytes = ByteBuffer.allocate((to - from) * 3);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < to ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < to ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException(
              "malformed query string: '%' at offset " + i + " is not followed by two hex digits");
        }
        bytes.put((byte) (hi << 4 | lo));
        i += 2;
      } else if (c == '+') {
        bytes.put((byte) ' ');
      } else {
        bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    bytes.flip();
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "malformed query string: the bytes of '" + s.substring(from, to) + "' are not UTF-8");
    }
  }

  /**
   * Whether an {@code Accept-Encoding} header accepts gzip (RFC 9110 section 12.5.3): {@code
   * gzip} or {@code x-gzip} with a q above 0, or {@code *} with a q above 0 when gzip is not
   * listed. Unparsable entries are ignored.
   */
  static boolean acceptsGzip(String header) {
    if (header == null || header.isEmpty()) {
      return false;
    }
    double gzipQ = -1;
    double starQ = -1;
    for (String entry : header.split(",")) {
      String[] parts = entry.split(";");
      String coding = parts[0].trim();
      double q = 1;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
          try {
            q = Double.parseDouble(p.substring(2).trim());
          } catch (NumberFormatException e) {
            q = -1;
          }
        }
      }
      if (!(q >= 0 && q <= 1)) {
        continue;
      }
      if (coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip")) {
        gzipQ = Math.max(gzipQ, q);
      } else if (coding.equals("*")) {
        starQ = Math.max(starQ, q);
      }
    }
    return gzipQ >= 0 ? gzipQ > 0 : starQ > 0;
  }
}

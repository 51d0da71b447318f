package io.rxprom.core.exposition;

import java.nio.charset.StandardCharsets;

/** The fixed byte strings of the text formats. Thread-safe: constants, never written to. */
final class Ascii {
  private Ascii() {}

  static final byte[] EMPTY = {};
  static final byte[] HELP = bytes("# HELP ");
  static final byte[] TYPE = bytes("# TYPE ");
  static final byte[] UNIT = bytes("# UNIT ");
  static final byte[] EOF = bytes("# EOF\n");
  static final byte[] TOTAL = bytes("_total");
  static final byte[] CREATED = bytes("_created");
  static final byte[] BUCKET = bytes("_bucket");
  static final byte[] SUM = bytes("_sum");
  static final byte[] COUNT = bytes("_count");
  static final byte[] INFO = bytes("_info");
  static final byte[] ONE = bytes("1\n");
  static final byte[] ZERO = bytes("0\n");
  static final byte[] EQ_QUOTE = bytes("=\"");
  static final byte[] QUOTE_CLOSE_SPACE = bytes("\"} ");

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

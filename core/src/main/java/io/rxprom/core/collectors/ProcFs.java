package io.rxprom.core.collectors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reading and parsing Linux {@code /proc} files as bytes: no {@code String} per line or field,
 * no regular expressions. A read allocates its buffer (grown only if the file is larger than
 * the hint) and the stream that reads it.
 *
 * <p>Thread-safe: stateless.
 */
final class ProcFs {

  /** {@code AT_PAGESZ} in {@code <elf.h>}: the page size in bytes. */
  static final long AT_PAGESZ = 6;

  /** {@code AT_CLKTCK} in {@code <elf.h>}: clock ticks per second ({@code USER_HZ}). */
  static final long AT_CLKTCK = 17;

  private ProcFs() {}

  /** The bytes of a file and how many of them are valid. */
  static final class Content {
    final byte[] bytes;
    final int length;

    Content(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }
  }

  /**
   * Reads a whole file. {@code /proc} files report a size of 0, so this reads until end of
   * file, starting with a buffer of {@code sizeHint} bytes.
   */
  static Content read(Path file, int sizeHint) throws IOException {
    byte[] buf = new byte[Math.max(64, sizeHint)];
    int n = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int r; (r = in.read(buf, n, buf.length - n)) >= 0; ) {
        n += r;
        if (n == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
      }
    }
    return new Content(buf, n);
  }

  /**
   * The number of entries in a directory. Listing {@code /proc/self/fd} counts the descriptor
   * this method opens to list it. Allocates one small object per entry (the JDK's directory
   * stream creates a path for each).
   */
  static long countEntries(Path dir) throws IOException {
    long n = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path ignored : entries) {
        n++;
      }
    }
    return n;
  }

  /**
   * The value of an auxiliary vector entry in {@code /proc/self/auxv} ({@code AT_CLKTCK},
   * {@code AT_PAGESZ}), or -1 if absent. The vector is pairs of native words in native byte
   * order, ending with {@code AT_NULL}.
   */
  static long auxv(Content auxv, long type, int wordSize) {
    boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    for (int i = 0; i + 2 * wordSize <= auxv.length; i += 2 * wordSize) {
      long key = word(auxv.bytes, i, wordSize, little);
      if (key == 0) {
        return -1;
      }
      if (key == type) {
        return word(auxv.bytes, i + wordSize, wordSize, little);
      }
    }
    return -1;
  }

  private static long word(byte[] b, int at, int size, boolean little) {
    long v = 0;
    for (int k = 0; k < size; k++) {
      int shift = little ? 8 * k : 8 * (size - 1 - k);
      v |= (b[at + k] & 0xFFL) << shift;
    }
    return v;
  }

  /** The native word size in bytes: 8 on a 64-bit JVM, 4 on a 32-bit one. */
  static int wordSize() {
    String model = System.getProperty("sun.arch.data.model", "");
    if (model.equals("32")) {
      return 4;
    }
    if (model.equals("64")) {
      return 8;
    }
    return System.getProperty("os.arch", "").contains("64") ? 8 : 4;
  }

  /**
   * The offsets of the fields of {@code /proc/<pid>/stat}, indexed by field number as in
   * proc(5) (field 1 is the pid, 2 the command in parentheses). The command may contain spaces
   * and parentheses, so fields from 3 on are counted from the last {@code ')'}. Entries of
   * fields beyond the end are -1.
   *
   * @throws IllegalArgumentException if the content has no {@code ')'}
   */
  static int[] statFields(Content stat, int maxField) {
    int close = -1;
    for (int i = stat.length - 1; i >= 0; i--) {
      if (stat.bytes[i] == ')') {
        close = i;
        break;
      }
    }
    if (close < 0) {
      throw new IllegalArgumentException("/proc stat: no ')' after the command name");
    }
    int[] at = new int[maxField + 1];
    Arrays.fill(at, -1);
    int field = 2;
    int i = close + 1;
    while (field < maxField) {
      while (i < stat.length && stat.bytes[i] == ' ') {
        i++;
      }
      if (i >= stat.length || stat.bytes[i] == '\n') {
        break;
      }
      at[++field] = i;
      while (i < stat.length && stat.bytes[i] != ' ' && stat.bytes[i] != '\n') {
        i++;
      }
    }
    return at;
  }

  /**
   * The unsigned decimal number starting at {@code at}, or -1 if there is none there.
   * Values beyond {@code Long.MAX_VALUE} (such as {@code RLIM_INFINITY} written as a number)
   * saturate at {@code Long.MAX_VALUE}.
   */
  static long parseNumber(Content c, int at) {
    if (at < 0 || at >= c.length || !isDigit(c.bytes[at])) {
      return -1;
    }
    long v = 0;
    for (int i = at; i < c.length && isDigit(c.bytes[i]); i++) {
      int d = c.bytes[i] - '0';
      if (v > (Long.MAX_VALUE - d) / 10) {
        return Long.MAX_VALUE;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** The offset of the first line that starts with {@code prefix} (ASCII), or -1. */
  static int lineStartingWith(Content c, String prefix) {
    int i = 0;
    while (i < c.length) {
      if (startsWith(c, i, prefix)) {
        return i;
      }
      while (i < c.length && c.bytes[i] != '\n') {
        i++;
      }
      i++;
    }
    return -1;
  }

  /** The offset of the next non-blank byte at or after {@code at} on the same line. */
  static int skipBlanks(Content c, int at) {
    int i = at;
    while (i < c.length && (c.bytes[i] == ' ' || c.bytes[i] == '\t')) {
      i++;
    }
    return i;
  }

  static boolean startsWith(Content c, int at, String prefix) {
    if (at + prefix.length() > c.length) {
      return false;
    }
    for (int k = 0; k < prefix.length(); k++) {
      if (c.bytes[at + k] != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}

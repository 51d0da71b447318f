package io.rxprom.core.snapshot;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable list of label name and value pairs, in the order the family declared its label
 * names. Names are shared by every series of a family; values belong to one series.
 *
 * <p>Thread-safe: immutable.
 */
public final class Labels {
  /** No labels. */
  public static final Labels EMPTY = new Labels(new String[0], new String[0]);

  private final String[] names;
  private final String[] values;

  private Labels(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /**
   * Labels from names and values of the same length. The arrays are copied.
   *
   * @throws IllegalArgumentException if the lengths differ or an entry is null
   */
  public static Labels of(String[] names, String[] values) {
    if (names.length != values.length) {
      throw new IllegalArgumentException(
          "labels: " + names.length + " names but " + values.length + " values");
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i] == null || values[i] == null) {
        throw new IllegalArgumentException("labels: null name or value at index " + i);
      }
      if (!Names.isValidLabelName(names[i])) {
        throw new IllegalArgumentException(
            "labels: invalid label name '" + names[i] + "', must match [a-zA-Z_][a-zA-Z0-9_]*");
      }
    }
    return names.length == 0 ? EMPTY : new Labels(names.clone(), values.clone());
  }

  /** Labels from alternating names and values: {@code Labels.of("path", "/foo", "code", "200")}. */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("labels: odd number of names and values");
    }
    String[] n = new String[namesAndValues.length / 2];
    String[] v = new String[n.length];
    for (int i = 0; i < n.length; i++) {
      n[i] = namesAndValues[2 * i];
      v[i] = namesAndValues[2 * i + 1];
    }
    return of(n, v);
  }

  public int size() {
    return names.length;
  }

  public boolean isEmpty() {
    return names.length == 0;
  }

  public String name(int i) {
    return names[i];
  }

  public String value(int i) {
    return values[i];
  }

  /** The value of the label {@code name}, or null if there is no such label. */
  public String get(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return values[i];
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Labels other
        && Arrays.equals(names, other.names)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(names), Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(names[i]).append("=\"").append(values[i]).append('"');
    }
    return sb.append('}').toString();
  }
}

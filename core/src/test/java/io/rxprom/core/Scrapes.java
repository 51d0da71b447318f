package io.rxprom.core;

import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Finds families and series in snapshots, failing loudly when they are missing. */
final class Scrapes {
  private Scrapes() {}

  static MetricFamilySnapshot family(MetricSnapshots snapshots, String name) {
    for (MetricFamilySnapshot f : snapshots) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no family '" + name + "' in " + snapshots.families());
  }

  static boolean has(MetricSnapshots snapshots, String name) {
    for (MetricFamilySnapshot f : snapshots) {
      if (f.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The series whose label values are {@code values}, in label-name order. */
  static <T extends DataPointSnapshot> T point(
      MetricFamilySnapshot family, Class<T> type, String... values) {
    for (DataPointSnapshot p : family.dataPoints()) {
      if (Arrays.equals(values(p.labels()), values)) {
        return type.cast(p);
      }
    }
    throw new AssertionError(
        "no series " + Arrays.toString(values) + " in " + family.name() + ": " + labelSets(family));
  }

  static <T extends DataPointSnapshot> T only(MetricFamilySnapshot family, Class<T> type) {
    if (family.dataPoints().size() != 1) {
      throw new AssertionError(
          family.name() + " has " + family.dataPoints().size() + " series, expected one");
    }
    return type.cast(family.dataPoints().get(0));
  }

  static String[] values(Labels labels) {
    String[] v = new String[labels.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = labels.value(i);
    }
    return v;
  }

  static List<List<String>> labelSets(MetricFamilySnapshot family) {
    List<List<String>> out = new ArrayList<>();
    for (DataPointSnapshot p : family.dataPoints()) {
      out.add(List.of(values(p.labels())));
    }
    return out;
  }
}

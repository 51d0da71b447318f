package io.rxprom.core.collectors;

import io.rxprom.core.Collector;
import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.SummaryDataPoint;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading values out of a collector's snapshots in tests. */
final class Scrapes {
  private final Map<String, MetricFamilySnapshot> families = new LinkedHashMap<>();

  private Scrapes(Collector c) {
    c.collect(f -> {
      if (families.put(f.name(), f) != null) {
        throw new AssertionError("family " + f.name() + " collected twice");
      }
    });
  }

  static Scrapes of(Collector c) {
    return new Scrapes(c);
  }

  Map<String, MetricFamilySnapshot> families() {
    return families;
  }

  MetricFamilySnapshot family(String name) {
    MetricFamilySnapshot f = families.get(name);
    if (f == null) {
      throw new AssertionError("no family " + name + " in " + families.keySet());
    }
    return f;
  }

  /** The value of the gauge or counter series whose labels are {@code namesAndValues}. */
  double value(String family, String... namesAndValues) {
    DataPointSnapshot p = point(family, namesAndValues);
    if (p instanceof GaugeDataPoint g) {
      return g.value();
    }
    if (p instanceof CounterDataPoint c) {
      return c.value();
    }
    throw new AssertionError(family + " is not a gauge or counter");
  }

  SummaryDataPoint summary(String family, String... namesAndValues) {
    return (SummaryDataPoint) point(family, namesAndValues);
  }

  DataPointSnapshot point(String family, String... namesAndValues) {
    io.rxprom.core.snapshot.Labels wanted = io.rxprom.core.snapshot.Labels.of(namesAndValues);
    for (DataPointSnapshot p : family(family).dataPoints()) {
      if (p.labels().equals(wanted)) {
        return p;
      }
    }
    throw new AssertionError("no series " + wanted + " in " + family);
  }
}

package io.rxprom.core.collectors;

import io.rxprom.core.Collector;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Several collectors registered, scraped and unregistered as one.
 *
 * <p>Thread-safe if its members are: immutable after construction.
 */
final class CollectorGroup implements Collector {
  private final List<Collector> members;
  private final Map<String, MetricType> families;

  /** @throws IllegalArgumentException if two members produce a family of the same name */
  CollectorGroup(List<Collector> members) {
    this.members = List.copyOf(members);
    Map<String, MetricType> f = new LinkedHashMap<>();
    for (Collector c : this.members) {
      for (Map.Entry<String, MetricType> e : c.families().entrySet()) {
        if (f.putIfAbsent(e.getKey(), e.getValue()) != null) {
          throw new IllegalArgumentException(
              "metric '" + e.getKey() + "': produced by two collectors of one group");
        }
      }
    }
    this.families = Collections.unmodifiableMap(f);
  }

  @Override
  public Map<String, MetricType> families() {
    return families;
  }

  @Override
  public void collect(Consumer<MetricFamilySnapshot> sink) {
    for (Collector c : members) {
      c.collect(sink);
    }
  }
}

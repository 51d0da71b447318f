package io.rxprom.core.snapshot;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The result of one scrape: metric families in the order they are written ({@code
 * MetricRegistry.scrape()} gives ascending name order).
 *
 * <p>Thread-safe: immutable.
 */
public final class MetricSnapshots implements Iterable<MetricFamilySnapshot> {
  private final List<MetricFamilySnapshot> families;

  /** @param families families in the order they are to be written (the list is kept) */
  public MetricSnapshots(List<MetricFamilySnapshot> families) {
    this.families = Collections.unmodifiableList(families);
  }

  public List<MetricFamilySnapshot> families() {
    return families;
  }

  public int size() {
    return families.size();
  }

  @Override
  public Iterator<MetricFamilySnapshot> iterator() {
    return families.iterator();
  }
}

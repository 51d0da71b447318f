package io.rxprom.core;

/**
 * What a family does when a new label set would take it past its maximum number of series.
 * Either way the refusal is counted in {@code rxprom_cardinality_overflow_total{metric="..."}}.
 */
public enum CardinalityPolicy {
  /**
   * The label set gets the family's overflow series, whose every label value is
   * {@value MetricFamily#OVERFLOW_LABEL_VALUE}: observations are kept, totals stay exact, only
   * the breakdown is lost. The default.
   */
  OVERFLOW_SERIES,
  /** {@code labels(...)} throws {@link IllegalStateException} naming the metric and the limit. */
  REJECT
}

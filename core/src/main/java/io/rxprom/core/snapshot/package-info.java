/**
 * Immutable snapshots of metric families: the only thing the exposition writers, the push
 * clients and the bridges ever see. A snapshot is taken by {@code MetricRegistry.scrape()} and
 * never changes afterwards; it may be shared between threads freely.
 *
 * <p>Naming follows OpenMetrics: a counter family is named without {@code _total}, an info
 * family without {@code _info}. The writers add the suffixes each format asks for.
 */
package io.rxprom.core.snapshot;

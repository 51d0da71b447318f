/**
 * Exposition: turning the snapshots of a scrape into the bytes a scraper reads.
 *
 * <ul>
 *   <li>{@link io.rxprom.core.exposition.ExpositionFormat}: the Prometheus text format 0.0.4 and
 *       OpenMetrics 1.0.0 text, their exact content types, and {@code Accept} header
 *       negotiation.
 *   <li>{@link io.rxprom.core.exposition.ExpositionWriter}: one writer per format, shared,
 *       thread-safe, writing UTF-8 straight into an {@code OutputStream} through its own buffer
 *       without per-sample allocation.
 *   <li>{@link io.rxprom.core.exposition.GoFloat}: Go's shortest {@code %g} rendering of doubles,
 *       which both formats use, allocation-free.
 * </ul>
 *
 * <pre>{@code
 * ExpositionFormat format = ExpositionFormat.negotiate(acceptHeader);
 * response.putHeader("Content-Type", format.contentType());
 * format.writer().write(out, registry.scrape());
 * }</pre>
 *
 * <p>Families are written in the order of {@code MetricSnapshots.families()}; names follow
 * OpenMetrics in the snapshots, and the writers add the suffixes each format wants ({@code _total}
 * in both formats' counter samples and in the 0.0.4 counter family name, {@code _info},
 * {@code _bucket}, {@code _sum}, {@code _count}, {@code _created}).
 */
package io.rxprom.core.exposition;

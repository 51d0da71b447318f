package io.rxprom.core.exposition;

import io.rxprom.core.snapshot.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Turns the snapshots of one scrape into the bytes of one exposition format.
 *
 * <pre>{@code
 * ExpositionFormat format = ExpositionFormat.negotiate(request.getHeader("Accept"));
 * response.setHeader("Content-Type", format.contentType());
 * format.writer().write(response.getOutputStream(), registry.scrape());
 * }</pre>
 *
 * <p>Thread-safe: the writers returned by the factories below are immutable and hold no per-scrape
 * state, so one instance may serve any number of concurrent scrapes. Each {@link #write} call
 * allocates its own working buffers once (about 17 KiB) and nothing per family or per sample
 * (a histogram's or summary's {@code le}/{@code quantile} values are encoded once per distinct
 * set of bounds, not once per series). It writes UTF-8 bytes into the stream in chunks of
 * {@value ExpositionBuffer#CAPACITY} bytes, flushes it at the end and never closes it.
 */
public interface ExpositionWriter {

  /**
   * The format this writer produces.
   *
   * @return the format, whose {@link ExpositionFormat#contentType()} is the response's header
   */
  ExpositionFormat format();

  /**
   * Writes {@code snapshots} into {@code out}, in the order of {@link MetricSnapshots#families()}.
   * Not atomic: if the stream fails part-way, part of the body has been written.
   *
   * @param out where the UTF-8 bytes go; flushed at the end, never closed
   * @param snapshots the families of one scrape
   *
   * @throws IOException if {@code out} throws
   */
  void write(OutputStream out, MetricSnapshots snapshots) throws IOException;

  /**
   * The writer for {@code format}, with the format's defaults (OpenMetrics: {@code _created}
   * samples on). Returns a shared instance; allocation-free.
   *
   * @param format the format to write
   * @return the shared, thread-safe writer
   */
  static ExpositionWriter of(ExpositionFormat format) {
    return switch (format) {
      case PROMETHEUS_TEXT_0_0_4 -> PrometheusTextWriter.INSTANCE;
      case OPENMETRICS_1_0_0 -> OpenMetricsTextWriter.WITH_CREATED;
    };
  }

  /**
   * The OpenMetrics 1.0.0 writer, with or without the {@code _created} samples of counters,
   * histograms and summaries (written only for series whose creation time is known). Returns a
   * shared instance; allocation-free.
   *
   * @param createdTimestamps whether to write {@code _created} samples
   * @return the shared, thread-safe writer
   */
  static ExpositionWriter openMetrics(boolean createdTimestamps) {
    return createdTimestamps
        ? OpenMetricsTextWriter.WITH_CREATED
        : OpenMetricsTextWriter.WITHOUT_CREATED;
  }
}

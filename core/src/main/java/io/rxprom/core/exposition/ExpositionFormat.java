package io.rxprom.core.exposition;

/**
 * The exposition formats rxprom writes, with their exact {@code Content-Type} values, and the
 * {@code Accept} header negotiation that chooses between them.
 *
 * <p>Thread-safe: an enum; {@link #negotiate(String)} is stateless.
 */
public enum ExpositionFormat {
  /** The Prometheus text format 0.0.4, understood by every Prometheus version and by promtool. */
  PROMETHEUS_TEXT_0_0_4("text/plain; version=0.0.4; charset=utf-8"),
  /** OpenMetrics 1.0.0 text, which Prometheus 2.34 and later ask for first. */
  OPENMETRICS_1_0_0("application/openmetrics-text; version=1.0.0; charset=utf-8");

  private final String contentType;

  ExpositionFormat(String contentType) {
    this.contentType = contentType;
  }

  /**
   * The exact {@code Content-Type} header value of a response in this format.
   *
   * @return {@code text/plain; version=0.0.4; charset=utf-8} or {@code
   *     application/openmetrics-text; version=1.0.0; charset=utf-8}
   */
  public String contentType() {
    return contentType;
  }

  /**
   * The shared writer of this format with its defaults; same as {@link
   * ExpositionWriter#of(ExpositionFormat)}. Allocation-free.
   *
   * @return the shared, thread-safe writer
   */
  public ExpositionWriter writer() {
    return ExpositionWriter.of(this);
  }

  /**
   * The format to answer a request with, from its {@code Accept} header (RFC 9110 section 12.5.1).
   *
   * <ul>
   *   <li>Each format takes the q of the most specific media range that matches it: {@code
   *       type/subtype} with a supported {@code version} beats {@code type/subtype} without one,
   *       which beats {@code type/*}, which beats {@code *}{@code /*}; among equally specific
   *       ranges, the highest q. So {@code text/plain;q=0, *}{@code /*} refuses the text format.
   *   <li>{@code application/openmetrics-text} with {@code version} 1.0.0, 0.0.1 or none, and
   *       {@code application/*}, match OpenMetrics 1.0.0. Other versions match nothing.
   *   <li>{@code text/plain} with {@code version} 0.0.4, 1.0.0 or none, and {@code text/*},
   *       match the text format 0.0.4. Version 1.0.0 is Prometheus 3's text format, which only
   *       adds UTF-8 names; rxprom never writes those, so its 0.0.4 body is valid 1.0.0 too. For
   *       the same reason the {@code escaping} parameter is ignored.
   *   <li>{@code *}{@code /*} matches both.
   *   <li>The format with the higher q wins; on equal q, the one whose deciding range comes
   *       first in the header (the client's own order; Prometheus lists its preference first);
   *       if that is the same range ({@code *}{@code /*}), the text format. A q of 0 means "not
   *       acceptable".
   *   <li>When nothing acceptable matches, or the header is null, empty or unparsable, the
   *       answer is the text format 0.0.4: every scraper reads it, and a 406 would only lose a
   *       scrape.
   *   <li>Parsing: media types and parameter names are case-insensitive; whitespace around
   *       separators is allowed; parameter values may be quoted strings; parameters may come in
   *       any order (a {@code version} after {@code q} still counts). An entry that does not
   *       parse, has a q outside the RFC grammar ({@code 0} to {@code 1}, at most three
   *       decimals) or repeats a parameter name is ignored and the rest of the header still
   *       counts.
   *   <li>Protobuf ({@code application/vnd.google.protobuf}) is not supported and never chosen.
   * </ul>
   *
   * <p>Allocates one small scanner object per call; the header is scanned in place, never split
   * or copied.
   *
   * @param acceptHeader the header's value, or null when the request had none
   * @return the format to write and to name in the {@code Content-Type} header
   */
  public static ExpositionFormat negotiate(String acceptHeader) {
    return AcceptNegotiation.negotiate(acceptHeader);
  }
}

package io.rxprom.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The live view: one self-contained HTML page (no CDN, no build step) that reads the metrics
 * endpoint next to it every second and shows, per path, the request rate, the error ratio and
 * the latency, as a table with sparklines.
 *
 * <p>The page reads {@code metrics} relative to its own URL, so it belongs at the root of the
 * metrics server. Query parameters choose other metric names ({@code ?latency=...&errors=...}),
 * the label ({@code &label=...}), the endpoint ({@code &source=...}) and the refresh period in
 * milliseconds ({@code &interval=...}).
 *
 * <p>Thread-safe: the page is read once from the jar and immutable.
 */
final class LiveView {

  private static final String RESOURCE = "live.html";
  private static final String HTML = load();

  private LiveView() {}

  /** The page, UTF-8 HTML. */
  static String html() {
    return HTML;
  }

  private static String load() {
    try (InputStream in = LiveView.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the demo jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
    }
  }
}

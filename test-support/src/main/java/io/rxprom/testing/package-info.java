/**
 * Starts the real peers of rxprom's tests on loopback and talks to them: Prometheus and promtool,
 * the Pushgateway, Graphite carbon, the Prometheus Python client's parsers and headless Chromium.
 *
 * <p>Every peer listens on 127.0.0.1 on a free port, keeps its data in a temporary folder, logs to a
 * file there (the tail of which is in every start-up error) and is stopped by its own process id;
 * a JVM shutdown hook kills whatever a test left running. A missing peer fails the test under
 * {@code CI=true} and skips it elsewhere, see {@link io.rxprom.testing.Peers}.
 */
package io.rxprom.testing;

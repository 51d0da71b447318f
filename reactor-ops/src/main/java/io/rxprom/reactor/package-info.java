/**
 * Reactor operators that time {@code Mono} and {@code Flux} pipelines into rxprom metrics:
 * {@link io.rxprom.reactor.Metrics#timed(String)} on the default registry, {@link
 * io.rxprom.reactor.ReactorMetrics} for everything configurable.
 */
package io.rxprom.reactor;

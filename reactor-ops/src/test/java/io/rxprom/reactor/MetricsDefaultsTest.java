package io.rxprom.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.snapshot.HistogramDataPoint;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@link Metrics#timed(String)}: the documented default metrics on the default registry. */
class MetricsDefaultsTest {

  private static MetricFamilySnapshot family(String name) {
    return MetricRegistry.defaultRegistry().scrape(name::equals).families().stream()
        .filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no family " + name));
  }

  @Test
  void defaultsAreAHistogramByPathAndOutcomeAndAnErrorCounterByPath() {
    Mono<String> mono = Mono.just("x").transform(Metrics.timed("/defaults"));
    Flux<Integer> flux = Flux.range(1, 3).transform(Metrics.timed("/defaults-flux"));
    StepVerifier.create(mono).expectNext("x").verifyComplete();
    StepVerifier.create(flux).expectNext(1, 2, 3).verifyComplete();
    StepVerifier.create(Mono.error(new IOException()).transform(Metrics.timed("/defaults")))
        .expectError(IOException.class).verify();

    MetricFamilySnapshot latency = family("rxprom_reactor_duration_seconds");
    assertThat(latency.type()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(latency.help()).contains("subscription to the terminal signal");
    HistogramDataPoint success = (HistogramDataPoint) latency.dataPoints().stream()
        .filter(p -> p.labels().get("path").equals("/defaults")
            && p.labels().get("outcome").equals("success"))
        .findFirst().orElseThrow();
    assertThat(success.count()).isEqualTo(1);
    double[] bounds = new double[success.bucketCount()];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = success.upperBound(i);
    }
    double[] expected = java.util.Arrays.copyOf(Histogram.DEFAULT_BUCKETS, Histogram.DEFAULT_BUCKETS.length + 1);
    expected[expected.length - 1] = Double.POSITIVE_INFINITY;
    assertThat(bounds).containsExactly(expected);
    List<String> paths = latency.dataPoints().stream()
        .map(p -> p.labels().get("path") + " " + p.labels().get("outcome")).collect(Collectors.toList());
    assertThat(paths).contains("/defaults success", "/defaults empty", "/defaults error",
        "/defaults cancelled", "/defaults-flux success");

    MetricFamilySnapshot errors = family("rxprom_reactor_exceptions");
    assertThat(errors.type()).isEqualTo(MetricType.COUNTER);
    assertThat(Fixture.value(MetricRegistry.defaultRegistry(), "rxprom_reactor_exceptions", "path", "/defaults"))
        .isEqualTo(1);
    assertThat(Fixture.value(MetricRegistry.defaultRegistry(), "rxprom_reactor_exceptions", "path", "/defaults-flux"))
        .isZero();

    assertThat(Metrics.defaults()).isSameAs(Metrics.defaults());
    assertThat(Metrics.timed("/defaults")).isSameAs(Metrics.defaults().timed("/defaults"));
  }
}

package io.rxprom.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxprom.core.CardinalityPolicy;
import io.rxprom.core.Counter;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A failure inside the metrics code never reaches the pipeline, and is reported once per path
 * through Reactor's onErrorDropped.
 */
class TimedFailureTest {

  private final List<Throwable> dropped = new CopyOnWriteArrayList<>();

  @AfterEach
  void resetHooks() {
    Hooks.resetOnErrorDropped();
  }

  @Test
  void aSeriesRefusedAtResolutionIsReportedOnceAndThePipelineRuns() {
    Hooks.onErrorDropped(dropped::add);
    MetricRegistry registry = MetricRegistry.builder()
        .maxSeriesPerFamily(4).cardinalityPolicy(CardinalityPolicy.REJECT).build();
    ReactorMetrics metrics = ReactorMetrics.builder(registry)
        .latency(Histogram.builder("op_seconds").help("h").labelNames("path", "outcome"))
        .errors(Counter.builder("op_errors_total").help("e").labelNames("path"))
        .build();

    metrics.timed("/a"); // its four outcome series fill the latency family
    assertThat(dropped).isEmpty();

    for (int i = 0; i < 3; i++) {
      StepVerifier.create(Mono.just(i).transform(metrics.timed("/b"))).expectNext(i).verifyComplete();
      StepVerifier.create(Mono.error(new IOException("io")).transform(metrics.timed("/b")))
          .expectError(IOException.class)
          .verify();
    }

    assertThat(dropped).hasSize(1);
    assertThat(dropped.get(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("path '/b'")
        .hasMessageContaining("pipeline is not affected")
        .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("op_seconds");
    // the series that did resolve still record
    assertThat(Fixture.value(registry, "op_errors", "path", "/b")).isEqualTo(3);
    assertThat(Fixture.count(registry, "op_seconds", "path", "/b", "outcome", "success")).isZero();
  }

  @Test
  void aSeriesRefusedAtSignalTimeIsReportedOnceThroughThePipelinesHook() {
    ReactorMetrics metrics = ReactorMetrics.builder(new MetricRegistry())
        .errors(Counter.builder("op_errors_total").help("e").labelNames("path", "exception")
            .maxSeries(1).cardinalityPolicy(CardinalityPolicy.REJECT))
        .build();

    StepVerifier.create(Mono.error(new IOException()).transform(metrics.timed("/x")))
        .expectError(IOException.class)
        .verifyThenAssertThat()
        .hasNotDroppedErrors();
    IllegalStateException second = new IllegalStateException("second class");
    StepVerifier.create(Mono.error(second).transform(metrics.timed("/x")))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(second))
        .verifyThenAssertThat()
        .hasDroppedErrorsSatisfying(errors -> assertThat(errors).singleElement()
            .satisfies(e -> assertThat(e).hasMessageContaining("path '/x'")
                .cause().hasMessageContaining("op_errors")));
    StepVerifier.create(Flux.error(new IllegalArgumentException()).transform(metrics.timed("/x")))
        .expectError(IllegalArgumentException.class)
        .verifyThenAssertThat()
        .hasNotDroppedErrors();
  }

  @Test
  void aThrowingClockIsReportedOnceAndOnlyTheLatencyIsLost() {
    Hooks.onErrorDropped(dropped::add);
    AtomicLong calls = new AtomicLong();
    Fixture f = new Fixture(() -> {
      calls.incrementAndGet();
      throw new ArithmeticException("clock broke");
    });

    for (int i = 0; i < 5; i++) {
      StepVerifier.create(Flux.range(1, 3).transform(f.metrics.timed("/clk"))).expectNext(1, 2, 3)
          .verifyComplete();
      StepVerifier.create(Mono.error(new IOException()).transform(f.metrics.timed("/clk")))
          .expectError(IOException.class).verify();
    }

    assertThat(calls.get()).as("the clock was really called").isEqualTo(10);
    assertThat(dropped).hasSize(1);
    assertThat(dropped.get(0).getCause()).isInstanceOf(ArithmeticException.class);
    assertThat(f.total("/clk")).isZero();
    assertThat(f.errors("/clk")).isEqualTo(5);
    assertThat(f.elements("/clk")).isEqualTo(15);
    assertThat(f.inFlight("/clk")).isZero();
  }

  @Test
  void aClockFailingOnlyAtTheEndIsReportedOnce() {
    Hooks.onErrorDropped(dropped::add);
    AtomicLong calls = new AtomicLong();
    Fixture f = new Fixture(() -> {
      if (calls.incrementAndGet() % 2 == 0) {
        throw new ArithmeticException("end");
      }
      return 0;
    });
    for (int i = 0; i < 4; i++) {
      StepVerifier.create(Mono.just(i).transform(f.metrics.timed("/end"))).expectNext(i).verifyComplete();
    }
    assertThat(calls.get()).isEqualTo(8);
    assertThat(dropped).hasSize(1);
    assertThat(f.total("/end")).isZero();
  }

  @Test
  void aThrowingDroppedErrorHookDoesNotBreakThePipeline() {
    Hooks.onErrorDropped(e -> {
      throw new IllegalStateException("hook throws");
    });
    Fixture f = new Fixture(() -> {
      throw new ArithmeticException("clock broke");
    });
    StepVerifier.create(Flux.just(1, 2).transform(f.metrics.timed("/hook"))).expectNext(1, 2)
        .verifyComplete();
    assertThat(f.elements("/hook")).isEqualTo(2);
  }

  @Test
  void pathsBeyondTheCacheStillWorkAndTheirFailuresAreReportedOnce() {
    Hooks.onErrorDropped(dropped::add);
    MetricRegistry registry = MetricRegistry.builder()
        .maxSeriesPerFamily(ReactorMetrics.MAX_CACHED_PATHS)
        .cardinalityPolicy(CardinalityPolicy.REJECT).build();
    ReactorMetrics metrics = ReactorMetrics.builder(registry)
        .latency(io.rxprom.core.Summary.builder("op_seconds").help("s").labelNames("path"))
        .build();
    for (int i = 0; i < ReactorMetrics.MAX_CACHED_PATHS; i++) {
      metrics.timed("/cached" + i);
    }
    assertThat(dropped).isEmpty();
    assertThat(metrics.timed("/cached7")).isSameAs(metrics.timed("/cached7"));

    for (int i = 0; i < 3; i++) {
      StepVerifier.create(Mono.just(i).transform(metrics.timed("/beyond" + i))).expectNext(i)
          .verifyComplete();
    }
    assertThat(metrics.timed("/beyond0")).as("not cached").isNotSameAs(metrics.timed("/beyond0"));
    assertThat(dropped).hasSize(1);
    assertThat(dropped.get(0)).hasMessageContaining("paths beyond the cache");
    StepVerifier.create(Mono.just(1).transform(metrics.timed("/cached3"))).expectNext(1).verifyComplete();
    assertThat(Fixture.count(registry, "op_seconds", "path", "/cached3")).isEqualTo(1);
  }
}

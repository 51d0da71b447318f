package io.rxprom.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Every signal path, with latencies asserted exactly: the operator's clock is the virtual-time
 * scheduler's, so a Mono.delay of 1.5 s is observed as exactly 1.5.
 */
class TimedSignalTest {

  private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
  private final Fixture f = new Fixture(() -> vts.now(TimeUnit.NANOSECONDS));

  private <T> StepVerifier.FirstStep<T> virtual(java.util.function.Supplier<? extends org.reactivestreams.Publisher<? extends T>> p) {
    return StepVerifier.withVirtualTime(p, () -> vts, Long.MAX_VALUE);
  }

  @Test
  void monoValueIsSuccessTimedToTheValue() {
    virtual(() -> Mono.delay(Duration.ofMillis(1500)).transform(f.metrics.timed("/v")))
        .expectSubscription()
        .thenAwait(Duration.ofMillis(1500))
        .expectNext(0L)
        .verifyComplete();

    assertThat(f.count("/v", "success")).isEqualTo(1);
    assertThat(f.sum("/v", "success")).isEqualTo(1.5);
    assertThat(f.count("/v", "empty") + f.count("/v", "error") + f.count("/v", "cancelled")).isZero();
    assertThat(f.errors("/v")).isZero();
    assertThat(f.inFlight("/v")).isZero();
    assertThat(f.elements("/v")).isEqualTo(1);
  }

  @Test
  void monoValueEndsTheMeasurementEvenIfCompletionComesLater() {
    Fixture manual = new Fixture();
    TestPublisher<String> source = TestPublisher.createNoncompliant(TestPublisher.Violation.CLEANUP_ON_TERMINATE);
    StepVerifier.create(Mono.fromDirect(source).transform(manual.metrics.timed("/late")))
        .expectSubscription()
        .then(() -> {
          manual.advanceMillis(1000);
          source.next("a");
          manual.advanceMillis(4000);
          source.complete();
        })
        .expectNext("a")
        .verifyComplete();

    assertThat(manual.count("/late", "success")).isEqualTo(1);
    assertThat(manual.sum("/late", "success")).isEqualTo(1.0);
    assertThat(manual.total("/late")).isEqualTo(1);
  }

  @Test
  void emptyMonoIsEmpty() {
    virtual(() -> Mono.delay(Duration.ofSeconds(2)).then().transform(f.metrics.timed("/e")))
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(2))
        .verifyComplete();

    assertThat(f.count("/e", "empty")).isEqualTo(1);
    assertThat(f.sum("/e", "empty")).isEqualTo(2.0);
    assertThat(f.total("/e")).isEqualTo(1);
    assertThat(f.elements("/e")).isZero();
  }

  @Test
  void errorIsTimedAndCounted() {
    IOException boom = new IOException("boom");
    virtual(() -> Mono.delay(Duration.ofMillis(250)).then(Mono.<String>error(boom))
            .transform(f.metrics.timed("/err")))
        .expectSubscription()
        .thenAwait(Duration.ofMillis(250))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
        .verify();

    assertThat(f.count("/err", "error")).isEqualTo(1);
    assertThat(f.sum("/err", "error")).isEqualTo(0.25);
    assertThat(f.errors("/err")).isEqualTo(1);
    assertThat(f.total("/err")).isEqualTo(1);
    assertThat(f.inFlight("/err")).isZero();
  }

  @Test
  void cancelIsTimedAndNotAnError() {
    virtual(() -> Mono.never().transform(f.metrics.timed("/c")))
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(3))
        .thenCancel()
        .verify();

    assertThat(f.count("/c", "cancelled")).isEqualTo(1);
    assertThat(f.sum("/c", "cancelled")).isEqualTo(3.0);
    assertThat(f.errors("/c")).isZero();
    assertThat(f.total("/c")).isEqualTo(1);
    assertThat(f.inFlight("/c")).isZero();
  }

  @Test
  void inFlightCountsOpenSubscriptions() {
    virtual(() -> Mono.delay(Duration.ofSeconds(1)).transform(f.metrics.timed("/if")))
        .expectSubscription()
        .then(() -> assertThat(f.inFlight("/if")).isEqualTo(1))
        .thenAwait(Duration.ofSeconds(1))
        .expectNext(0L)
        .then(() -> assertThat(f.inFlight("/if")).isZero())
        .verifyComplete();
  }

  @Test
  void timeoutBelowTheOperatorIsACancellation() {
    virtual(() -> Mono.delay(Duration.ofSeconds(10)).transform(f.metrics.timed("/t"))
            .timeout(Duration.ofSeconds(2)))
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(2))
        .expectError(TimeoutException.class)
        .verify();

    assertThat(f.count("/t", "cancelled")).isEqualTo(1);
    assertThat(f.sum("/t", "cancelled")).isEqualTo(2.0);
    assertThat(f.errors("/t")).isZero();
  }

  @Test
  void timeoutAboveTheOperatorIsAnError() {
    virtual(() -> Mono.delay(Duration.ofSeconds(10)).timeout(Duration.ofSeconds(2))
            .transform(f.metrics.timed("/t2")))
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(2))
        .expectError(TimeoutException.class)
        .verify();

    assertThat(f.count("/t2", "error")).isEqualTo(1);
    assertThat(f.sum("/t2", "error")).isEqualTo(2.0);
    assertThat(f.errors("/t2")).isEqualTo(1);
  }

  @Test
  void retryAfterTheOperatorMeasuresEachAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    virtual(() -> Mono.defer(() -> attempts.incrementAndGet() <= 2
                ? Mono.delay(Duration.ofSeconds(1)).then(Mono.<Long>error(new IllegalStateException()))
                : Mono.delay(Duration.ofMillis(500)))
            .transform(f.metrics.timed("/r"))
            .retry(2))
        .expectSubscription()
        .thenAwait(Duration.ofMillis(2500))
        .expectNext(0L)
        .verifyComplete();

    assertThat(f.count("/r", "error")).isEqualTo(2);
    assertThat(f.sum("/r", "error")).isEqualTo(2.0);
    assertThat(f.errors("/r")).isEqualTo(2);
    assertThat(f.count("/r", "success")).isEqualTo(1);
    assertThat(f.sum("/r", "success")).isEqualTo(0.5);
    assertThat(f.inFlight("/r")).isZero();
  }

  @Test
  void retryBeforeTheOperatorIsOneMeasurement() {
    AtomicInteger attempts = new AtomicInteger();
    virtual(() -> Mono.defer(() -> attempts.incrementAndGet() <= 2
                ? Mono.delay(Duration.ofSeconds(1)).then(Mono.<Long>error(new IllegalStateException()))
                : Mono.delay(Duration.ofMillis(500)))
            .retry(2)
            .transform(f.metrics.timed("/r1")))
        .expectSubscription()
        .thenAwait(Duration.ofMillis(2500))
        .expectNext(0L)
        .verifyComplete();

    assertThat(f.total("/r1")).isEqualTo(1);
    assertThat(f.sum("/r1", "success")).isEqualTo(2.5);
    assertThat(f.errors("/r1")).isZero();
  }

  @Test
  void repeatMeasuresEachSubscription() {
    virtual(() -> Mono.delay(Duration.ofSeconds(1)).transform(f.metrics.timed("/rep")).repeat(2))
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(3))
        .expectNext(0L, 0L, 0L)
        .verifyComplete();

    assertThat(f.count("/rep", "success")).isEqualTo(3);
    assertThat(f.sum("/rep", "success")).isEqualTo(3.0);
    assertThat(f.total("/rep")).isEqualTo(3);
  }

  @Test
  void fluxWithValuesIsSuccessTimedToCompletion() {
    virtual(() -> Flux.interval(Duration.ofSeconds(1)).take(3).transform(f.metrics.timed("/fx")))
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(3))
        .expectNext(0L, 1L, 2L)
        .verifyComplete();

    assertThat(f.count("/fx", "success")).isEqualTo(1);
    assertThat(f.sum("/fx", "success")).isEqualTo(3.0);
    assertThat(f.elements("/fx")).isEqualTo(3);
    assertThat(f.total("/fx")).isEqualTo(1);
  }

  @Test
  void emptyFluxIsEmpty() {
    virtual(() -> Flux.<Long>empty().delaySubscription(Duration.ofMillis(1250))
            .transform(f.metrics.timed("/fe")))
        .expectSubscription()
        .thenAwait(Duration.ofMillis(1250))
        .verifyComplete();

    assertThat(f.count("/fe", "empty")).isEqualTo(1);
    assertThat(f.sum("/fe", "empty")).isEqualTo(1.25);
  }

  @Test
  void fluxErrorAfterValues() {
    virtual(() -> Flux.interval(Duration.ofSeconds(1)).take(2)
            .concatWith(Flux.error(new IllegalArgumentException("bad")))
            .transform(f.metrics.timed("/fer")))
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(2))
        .expectNext(0L, 1L)
        .expectError(IllegalArgumentException.class)
        .verify();

    assertThat(f.count("/fer", "error")).isEqualTo(1);
    assertThat(f.sum("/fer", "error")).isEqualTo(2.0);
    assertThat(f.errors("/fer")).isEqualTo(1);
    assertThat(f.elements("/fer")).isEqualTo(2);
  }

  @Test
  void takeBelowTheOperatorCancelsTheFlux() {
    virtual(() -> Flux.interval(Duration.ofSeconds(1)).transform(f.metrics.timed("/take")).take(2))
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(2))
        .expectNext(0L, 1L)
        .verifyComplete();

    assertThat(f.count("/take", "cancelled")).isEqualTo(1);
    assertThat(f.sum("/take", "cancelled")).isEqualTo(2.0);
    assertThat(f.errors("/take")).isZero();
    assertThat(f.elements("/take")).isEqualTo(2);
  }

  @Test
  void fluxCancelledBySubscriber() {
    virtual(() -> Flux.interval(Duration.ofSeconds(1)).transform(f.metrics.timed("/fc")))
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(2))
        .expectNext(0L, 1L)
        .thenAwait(Duration.ofMillis(500))
        .thenCancel()
        .verify();

    assertThat(f.count("/fc", "cancelled")).isEqualTo(1);
    assertThat(f.sum("/fc", "cancelled")).isEqualTo(2.5);
    assertThat(f.inFlight("/fc")).isZero();
  }

  @Test
  void fluxRepeatMeasuresEachSubscription() {
    virtual(() -> Flux.interval(Duration.ofMillis(100)).take(2).transform(f.metrics.timed("/frep"))
            .repeat(1))
        .expectSubscription()
        .thenAwait(Duration.ofMillis(400))
        .expectNextCount(4)
        .verifyComplete();

    assertThat(f.count("/frep", "success")).isEqualTo(2);
    assertThat(f.sum("/frep", "success")).isEqualTo(0.4);
    assertThat(f.elements("/frep")).isEqualTo(4);
  }

  @Test
  void cancelAfterCompletionRecordsNothingMore() {
    TestPublisher<Integer> source = TestPublisher.create();
    StepVerifier.create(source.flux().transform(f.metrics.timed("/cc")))
        .then(() -> source.emit(1, 2))
        .expectNext(1, 2)
        .verifyComplete();
    // verifyComplete has completed; a late cancel (as from a disposed subscriber) is a no-op
    assertThat(f.count("/cc", "success")).isEqualTo(1);
    assertThat(f.total("/cc")).isEqualTo(1);
  }
}

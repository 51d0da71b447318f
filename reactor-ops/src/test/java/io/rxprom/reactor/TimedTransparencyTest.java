package io.rxprom.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.StepVerifierOptions;
import reactor.test.publisher.TestPublisher;
import reactor.util.context.Context;

/** The operator changes nothing in the pipeline: type, values, order, demand, errors, cancel, Context. */
class TimedTransparencyTest {

  private final Fixture f = new Fixture();

  @Test
  void monoStaysAMonoAndFluxAFlux() {
    Mono<Integer> mono = Mono.just(1).transform(f.metrics.timed("/m"));
    Mono<Integer> hiddenMono = Mono.just(1).hide().transform(f.metrics.timed("/m"));
    Flux<Integer> flux = Flux.range(1, 3).transform(f.metrics.timed("/f"));
    Flux<Integer> hiddenFlux = Flux.range(1, 3).hide().transform(f.metrics.timed("/f"));

    // Mono.transform returns the operator itself: no Mono.from wrapper that would cancel after the value
    assertThat(mono).isInstanceOf(MonoTimedFuseable.class);
    assertThat(hiddenMono).isInstanceOf(MonoTimed.class);
    assertThat(flux).isInstanceOf(FluxTimedFuseable.class);
    assertThat(hiddenFlux).isInstanceOf(FluxTimed.class);
  }

  @Test
  void aMonoSourceIsNotCancelledAfterItsValue() {
    TestPublisher<String> source = TestPublisher.createNoncompliant(TestPublisher.Violation.CLEANUP_ON_TERMINATE);
    StepVerifier.create(Mono.fromDirect(source).transform(f.metrics.timed("/nc")))
        .expectSubscription()
        .then(() -> source.next("a"))
        .expectNext("a")
        .then(source::assertNotCancelled)
        .then(source::complete)
        .verifyComplete();
    source.assertNotCancelled();
  }

  @Test
  void valuesAndOrderPassUnchanged() {
    List<Integer> expected = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
    StepVerifier.create(Flux.fromIterable(expected).hide().transform(f.metrics.timed("/o")))
        .expectNextSequence(expected)
        .verifyComplete();
    assertThat(f.elements("/o")).isEqualTo(1000);
  }

  @Test
  void demandPassesUnchanged() {
    TestPublisher<Integer> source = TestPublisher.create();
    StepVerifier.create(source.flux().transform(f.metrics.timed("/d")), 0)
        .expectSubscription()
        .then(() -> source.assertMinRequested(0).assertMaxRequested(0))
        .thenRequest(3)
        .then(() -> source.assertMinRequested(3).assertMaxRequested(3))
        .then(() -> source.next(1, 2, 3))
        .expectNext(1, 2, 3)
        .thenRequest(5)
        .then(() -> source.assertMinRequested(5).assertMaxRequested(5))
        .then(() -> source.emit(4))
        .expectNext(4)
        .verifyComplete();
  }

  @Test
  void cancellationReachesTheSource() {
    TestPublisher<Integer> source = TestPublisher.create();
    StepVerifier.create(source.flux().transform(f.metrics.timed("/x")))
        .then(() -> source.next(1))
        .expectNext(1)
        .thenCancel()
        .verify();
    source.assertCancelled();
    assertThat(f.count("/x", "cancelled")).isEqualTo(1);
  }

  @Test
  void theSameErrorInstanceReachesTheSubscriber() {
    IllegalStateException boom = new IllegalStateException("boom");
    StepVerifier.create(Flux.just(1).concatWith(Flux.error(boom)).transform(f.metrics.timed("/e")))
        .expectNext(1)
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
        .verify();
  }

  @Test
  void contextReachesTheSourceOfAMono() {
    Mono<String> m = Mono.deferContextual(c -> Mono.just(c.<String>get("user")))
        .transform(f.metrics.timed("/ctx"))
        .contextWrite(Context.of("user", "ada"));
    StepVerifier.create(m).expectNext("ada").verifyComplete();
  }

  @Test
  void contextReachesTheSourceOfAFlux() {
    Flux<String> flux = Flux.deferContextual(c -> Flux.just(c.<String>get("user"), "x"))
        .transform(f.metrics.timed("/ctx"));
    StepVerifier.create(flux, StepVerifierOptions.create().withInitialContext(Context.of("user", "bob")))
        .expectNext("bob", "x")
        .verifyComplete();
  }

  @Test
  void oneAssembledPipelineMeasuresEverySubscriptionOnItsOwn() {
    Flux<Integer> flux = Flux.range(1, 5).transform(f.metrics.timed("/twice"));
    StepVerifier.create(flux).expectNextCount(5).verifyComplete();
    StepVerifier.create(flux.take(2)).expectNextCount(2).verifyComplete();
    StepVerifier.create(flux.filter(i -> false)).verifyComplete();

    assertThat(f.count("/twice", "success")).isEqualTo(2);
    assertThat(f.count("/twice", "cancelled")).isEqualTo(1);
    assertThat(f.elements("/twice")).isEqualTo(12);
  }

  @Test
  void transformDeferredAndAsWorkToo() {
    StepVerifier.create(Mono.just("v").transformDeferred(f.metrics.timed("/td")))
        .expectNext("v")
        .verifyComplete();
    StepVerifier.create(Flux.just(1, 2).as(f.metrics.timed("/as")))
        .expectNext(1, 2)
        .verifyComplete();
    assertThat(f.count("/td", "success")).isEqualTo(1);
    assertThat(f.count("/as", "success")).isEqualTo(1);
  }
}

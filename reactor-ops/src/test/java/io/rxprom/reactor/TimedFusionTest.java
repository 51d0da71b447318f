package io.rxprom.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Fuseable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Fusion: SYNC is passed through (values, completion and errors are then seen in poll/isEmpty),
 * ASYNC is refused, a hidden source offers none. Every case asserts exactly one measurement.
 */
class TimedFusionTest {

  private final Fixture f = new Fixture();
  private final Scheduler single = Schedulers.newSingle("fusion-test");

  @AfterEach
  void dispose() {
    single.dispose();
  }

  @Test
  void rangeFusesSync() {
    StepVerifier.create(Flux.range(1, 5).transform(f.metrics.timed("/r")))
        .expectFusion(Fuseable.SYNC)
        .expectNext(1, 2, 3, 4, 5)
        .verifyComplete();
    assertThat(f.count("/r", "success")).isEqualTo(1);
    assertThat(f.total("/r")).isEqualTo(1);
    assertThat(f.elements("/r")).isEqualTo(5);
    assertThat(f.inFlight("/r")).isZero();
  }

  @Test
  void syncFusionAcrossAThreadBarrierIsAllowed() {
    StepVerifier.create(Flux.range(1, 3).transform(f.metrics.timed("/tb")))
        .expectFusion(Fuseable.SYNC | Fuseable.THREAD_BARRIER, Fuseable.SYNC)
        .expectNext(1, 2, 3)
        .verifyComplete();
    assertThat(f.count("/tb", "success")).isEqualTo(1);
  }

  @Test
  void asyncFusionIsRefused() {
    StepVerifier.create(Flux.range(1, 5).transform(f.metrics.timed("/a")))
        .expectFusion(Fuseable.ASYNC, Fuseable.NONE)
        .expectNext(1, 2, 3, 4, 5)
        .verifyComplete();
    assertThat(f.count("/a", "success")).isEqualTo(1);
    assertThat(f.elements("/a")).isEqualTo(5);
  }

  @Test
  void hiddenSourceOffersNoFusion() {
    StepVerifier.create(Flux.range(1, 5).hide().transform(f.metrics.timed("/h")))
        .expectNoFusionSupport()
        .expectNext(1, 2, 3, 4, 5)
        .verifyComplete();
    StepVerifier.create(Mono.just(1).hide().transform(f.metrics.timed("/h")))
        .expectNoFusionSupport()
        .expectNext(1)
        .verifyComplete();
    assertThat(f.count("/h", "success")).isEqualTo(2);
  }

  @Test
  void monoJustFusesSyncAndItsValueIsTheSuccess() {
    StepVerifier.create(Mono.just("v").transform(f.metrics.timed("/mj")))
        .expectFusion(Fuseable.SYNC)
        .expectNext("v")
        .verifyComplete();
    assertThat(f.count("/mj", "success")).isEqualTo(1);
    assertThat(f.total("/mj")).isEqualTo(1);
    assertThat(f.elements("/mj")).isEqualTo(1);
  }

  @Test
  void syncFusedEmptyIsEmpty() {
    StepVerifier.create(Flux.range(1, 5).filter(i -> false).transform(f.metrics.timed("/fe")))
        .expectFusion(Fuseable.SYNC)
        .verifyComplete();
    assertThat(f.count("/fe", "empty")).isEqualTo(1);
    assertThat(f.total("/fe")).isEqualTo(1);
  }

  @Test
  void syncFusedErrorThrownFromPollIsAnError() {
    Flux<Integer> failing = Flux.range(1, 3).map(i -> {
      if (i == 2) {
        throw new IllegalStateException("two");
      }
      return i;
    });
    StepVerifier.create(failing.transform(f.metrics.timed("/pe")))
        .expectFusion(Fuseable.SYNC)
        .expectNext(1)
        .expectErrorMessage("two")
        .verify();
    assertThat(f.count("/pe", "error")).isEqualTo(1);
    assertThat(f.errors("/pe")).isEqualTo(1);
    assertThat(f.total("/pe")).isEqualTo(1);
  }

  @Test
  void syncFusedCancel() {
    StepVerifier.create(Flux.range(1, 100).transform(f.metrics.timed("/sc")))
        .expectFusion(Fuseable.SYNC)
        .expectNext(1, 2)
        .thenCancel()
        .verify();
    assertThat(f.count("/sc", "cancelled")).isEqualTo(1);
    assertThat(f.total("/sc")).isEqualTo(1);
  }

  @Test
  void fusedMapDownstreamStillFusesThroughTheOperator() {
    StepVerifier.create(Flux.range(1, 3).transform(f.metrics.timed("/map")).map(i -> i * 10))
        .expectFusion(Fuseable.SYNC)
        .expectNext(10, 20, 30)
        .verifyComplete();
    assertThat(f.count("/map", "success")).isEqualTo(1);
  }

  @Test
  void publishOnFusesSyncWithTheOperator() {
    AtomicReference<Subscription> publishOn = new AtomicReference<>();
    StepVerifier.create(Flux.range(1, 1000).transform(f.metrics.timed("/po"))
            .publishOn(single)
            .doOnSubscribe(publishOn::set))
        .expectNextCount(1000)
        .verifyComplete();

    Object upstreamOfPublishOn = Scannable.from(publishOn.get()).scanUnsafe(Scannable.Attr.PARENT);
    assertThat(upstreamOfPublishOn).isInstanceOf(FluxTimed.TimedFuseableSubscriber.class);
    assertThat(((FluxTimed.TimedFuseableSubscriber<?>) upstreamOfPublishOn).syncFused).isTrue();
    assertThat(f.count("/po", "success")).isEqualTo(1);
    assertThat(f.elements("/po")).isEqualTo(1000);
    assertThat(f.inFlight("/po")).isZero();
  }

  /** publishOn ends a SYNC-fused source on isEmpty() when the demand is exactly the size. */
  @Test
  void publishOnEndingOnIsEmptyRecordsTheCompletion() {
    StepVerifier.create(Flux.range(1, 10).transform(f.metrics.timed("/ie")).publishOn(single), 0)
        .expectSubscription()
        .thenRequest(10)
        .expectNextCount(10)
        .verifyComplete();
    assertThat(f.count("/ie", "success")).isEqualTo(1);
    assertThat(f.inFlight("/ie")).isZero();
  }

  @Test
  void publishOnOverAHiddenSourceUsesItsOwnQueue() {
    StepVerifier.create(Flux.range(1, 1000).hide().transform(f.metrics.timed("/poh")).publishOn(single))
        .expectNextCount(1000)
        .verifyComplete();
    assertThat(f.count("/poh", "success")).isEqualTo(1);
    assertThat(f.elements("/poh")).isEqualTo(1000);
  }

  @Test
  void anAsyncOnlyUpstreamIsNotFused() {
    Flux<Integer> asyncSource = Flux.range(1, 100).publishOn(single);
    StepVerifier.create(asyncSource.transform(f.metrics.timed("/async")))
        .expectFusion(Fuseable.ANY, Fuseable.NONE)
        .expectNextCount(100)
        .verifyComplete();
    StepVerifier.create(asyncSource.transform(f.metrics.timed("/async"))
            .publishOn(Schedulers.parallel()))
        .expectNextCount(100)
        .verifyComplete();
    assertThat(f.count("/async", "success")).isEqualTo(2);
    assertThat(f.elements("/async")).isEqualTo(200);
  }

  @Test
  void monoJustThenPublishOn() {
    StepVerifier.create(Mono.just(7).transform(f.metrics.timed("/mpo")).publishOn(single))
        .expectNext(7)
        .verifyComplete();
    assertThat(f.count("/mpo", "success")).isEqualTo(1);
  }
}

package io.rxprom.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Sinks;
import reactor.test.publisher.TestPublisher;
import reactor.test.util.RaceTestUtils;

/**
 * A terminal signal racing a cancel on another thread: each subscription is recorded exactly
 * once, under one outcome, and the in-flight gauge returns to zero.
 */
class TimedRaceTest {

  private static final int ROUNDS = 10_000;

  private final Fixture f = new Fixture();

  @BeforeEach
  void quiet() {
    // an error that loses the race reaches a disposed subscriber, which drops it: not a failure
    Hooks.onErrorDropped(e -> { });
  }

  @AfterEach
  void resetHooks() {
    Hooks.resetOnErrorDropped();
  }

  @Test
  void completeRacingCancelIsRecordedOnce() {
    for (int i = 0; i < ROUNDS; i++) {
      Sinks.Empty<Void> sink = Sinks.empty();
      Disposable d = sink.asMono().transform(f.metrics.timed("/ec")).subscribe();
      RaceTestUtils.race(sink::tryEmitEmpty, d::dispose);
    }
    assertThat(f.count("/ec", "empty") + f.count("/ec", "cancelled")).isEqualTo(ROUNDS);
    assertThat(f.total("/ec")).isEqualTo(ROUNDS);
    assertThat(f.inFlight("/ec")).isZero();
  }

  @Test
  void monoValueRacingCancelIsRecordedOnce() {
    for (int i = 0; i < ROUNDS; i++) {
      Sinks.One<Integer> sink = Sinks.one();
      Disposable d = sink.asMono().transform(f.metrics.timed("/vc")).subscribe();
      int value = i;
      RaceTestUtils.race(() -> sink.tryEmitValue(value), d::dispose);
    }
    assertThat(f.count("/vc", "success") + f.count("/vc", "cancelled")).isEqualTo(ROUNDS);
    assertThat(f.total("/vc")).isEqualTo(ROUNDS);
    assertThat(f.inFlight("/vc")).isZero();
  }

  @Test
  void errorRacingCancelIsRecordedOnceAndCountedOnlyWhenItWins() {
    for (int i = 0; i < ROUNDS; i++) {
      TestPublisher<Integer> source = TestPublisher.create();
      BaseSubscriber<Integer> subscriber = new BaseSubscriber<>() {
        @Override
        protected void hookOnError(Throwable throwable) {
          // expected in half the rounds
        }
      };
      source.flux().transform(f.metrics.timed("/xc")).subscribe(subscriber);
      source.next(1);
      RaceTestUtils.race(() -> source.error(new IllegalStateException()), subscriber::dispose);
    }
    long errors = f.count("/xc", "error");
    assertThat(errors + f.count("/xc", "cancelled")).isEqualTo(ROUNDS);
    assertThat(f.total("/xc")).isEqualTo(ROUNDS);
    assertThat(f.errors("/xc")).isEqualTo(errors);
    assertThat(f.inFlight("/xc")).isZero();
    assertThat(f.elements("/xc")).isEqualTo(ROUNDS);
  }

  @Test
  void cancelRacingCancelIsRecordedOnce() {
    for (int i = 0; i < ROUNDS; i++) {
      Sinks.One<Integer> sink = Sinks.one();
      Disposable d = sink.asMono().transform(f.metrics.timed("/cc")).subscribe();
      RaceTestUtils.race(d::dispose, d::dispose);
    }
    assertThat(f.count("/cc", "cancelled")).isEqualTo(ROUNDS);
    assertThat(f.total("/cc")).isEqualTo(ROUNDS);
    assertThat(f.inFlight("/cc")).isZero();
  }
}

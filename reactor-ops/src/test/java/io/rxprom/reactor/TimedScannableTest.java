package io.rxprom.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Scannable;
import reactor.core.Scannable.Attr;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;

/** What the operators and their subscriber answer to Scannable, as Reactor's own operators do. */
class TimedScannableTest {

  private final Fixture f = new Fixture();

  private TimedPath path(String p) {
    Object fn = f.metrics.timed(p);
    return (TimedPath) fn;
  }

  @Test
  void scanFluxOperator() {
    Flux<Integer> source = Flux.range(1, 3);
    Flux<Integer> timed = source.transform(f.metrics.timed("/s"));
    Scannable s = Scannable.from(timed);

    assertThat(s.scanUnsafe(Attr.PARENT)).isSameAs(source);
    assertThat(s.scan(Attr.RUN_STYLE)).isEqualTo(Attr.RunStyle.SYNC);
    assertThat(s.scan(Attr.PREFETCH)).isEqualTo(source.getPrefetch());
    assertThat(s.scan(Attr.ACTUAL)).isNull();
  }

  @Test
  void scanFluxOperatorPassesTheSourcePrefetchThrough() {
    Flux<Integer> source = Flux.range(1, 3).publishOn(Schedulers.immediate(), 32).hide();
    Flux<Integer> withPrefetch = Flux.range(1, 3).publishOn(Schedulers.immediate(), 32);
    assertThat(Scannable.from(withPrefetch.transform(f.metrics.timed("/s"))).scan(Attr.PREFETCH))
        .isEqualTo(32);
    assertThat(Scannable.from(source.transform(f.metrics.timed("/s"))).scanUnsafe(Attr.PARENT))
        .isSameAs(source);
  }

  @Test
  void scanMonoOperator() {
    Mono<Integer> source = Mono.just(1);
    Mono<Integer> hiddenSource = Mono.just(1).hide();
    Scannable fuseable = Scannable.from(source.transform(f.metrics.timed("/s")));
    Scannable plain = Scannable.from(hiddenSource.transform(f.metrics.timed("/s")));

    assertThat(fuseable.scanUnsafe(Attr.PARENT)).isSameAs(source);
    assertThat(plain.scanUnsafe(Attr.PARENT)).isSameAs(hiddenSource);
    assertThat(fuseable.scan(Attr.RUN_STYLE)).isEqualTo(Attr.RunStyle.SYNC);
    assertThat(plain.scan(Attr.RUN_STYLE)).isEqualTo(Attr.RunStyle.SYNC);
    assertThat(plain.scan(Attr.PREFETCH)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void scanSubscriberTerminated() {
    BaseSubscriber<Integer> actual = new BaseSubscriber<>() {};
    FluxTimed.TimedSubscriber<Integer> test = new FluxTimed.TimedSubscriber<>(actual, path("/t"), false);
    Subscription parent = Operators.emptySubscription();
    test.onSubscribe(parent);

    assertThat(test.scanUnsafe(Attr.PARENT)).isSameAs(parent);
    assertThat(test.scanUnsafe(Attr.ACTUAL)).isSameAs(actual);
    assertThat(test.scan(Attr.RUN_STYLE)).isEqualTo(Attr.RunStyle.SYNC);
    assertThat(test.scan(Attr.TERMINATED)).isFalse();
    assertThat(test.scan(Attr.CANCELLED)).isFalse();

    test.onComplete();
    assertThat(test.scan(Attr.TERMINATED)).isTrue();
    assertThat(test.scan(Attr.CANCELLED)).isFalse();
    test.cancel();
    assertThat(test.scan(Attr.CANCELLED)).as("cancel after the end changes nothing").isFalse();
    assertThat(f.count("/t", "empty")).isEqualTo(1);
    assertThat(f.total("/t")).isEqualTo(1);
  }

  @Test
  void scanSubscriberCancelled() {
    BaseSubscriber<Integer> actual = new BaseSubscriber<>() {};
    FluxTimed.TimedFuseableSubscriber<Integer> test =
        new FluxTimed.TimedFuseableSubscriber<>(actual, path("/c"), true);
    Subscription parent = Operators.emptySubscription();
    test.onSubscribe(parent);

    test.cancel();
    assertThat(test.scan(Attr.CANCELLED)).isTrue();
    assertThat(test.scan(Attr.TERMINATED)).isFalse();
    assertThat(test.scanUnsafe(Attr.PARENT)).isSameAs(parent);
    assertThat(test.scanUnsafe(Attr.ACTUAL)).isSameAs(actual);
    assertThat(test.scan(Attr.RUN_STYLE)).isEqualTo(Attr.RunStyle.SYNC);
    assertThat(test.scan(Attr.BUFFERED)).as("unanswered attribute").isZero();
    assertThat(f.count("/c", "cancelled")).isEqualTo(1);
  }

  @Test
  void aLiveChainCanBeWalkedThroughTheOperator() {
    AtomicReference<Subscription> last = new AtomicReference<>();
    BaseSubscriber<Integer> d = new BaseSubscriber<>() {
      @Override
      protected void hookOnSubscribe(Subscription subscription) {
        // no request: the chain stays live
      }
    };
    Flux.range(1, 3).hide().transform(f.metrics.timed("/w")).map(i -> i)
        .doOnSubscribe(last::set)
        .subscribe(d);

    List<Scannable> parents = Scannable.from(last.get()).parents().collect(Collectors.toList());
    assertThat(parents).anyMatch(p -> p instanceof FluxTimed.TimedSubscriber);
    Scannable timed = parents.stream().filter(p -> p instanceof FluxTimed.TimedSubscriber)
        .findFirst().orElseThrow();
    assertThat(timed.scan(Attr.ACTUAL)).isNotNull();
    assertThat(timed.scan(Attr.CANCELLED)).isFalse();
    d.dispose();
    assertThat(timed.scan(Attr.CANCELLED)).isTrue();
    assertThat(f.count("/w", "cancelled")).isEqualTo(1);
  }
}

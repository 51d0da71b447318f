package io.rxprom.reactor;

import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;

/**
 * {@link MonoTimed} over a {@link Fuseable} source such as {@code Mono.just}: it passes SYNC
 * fusion through and refuses ASYNC (see {@link FluxTimed.TimedFuseableSubscriber}).
 *
 * @param <T> the value type
 */
final class MonoTimedFuseable<T> extends MonoOperator<T, T> implements Fuseable {

  final TimedPath metrics;

  MonoTimedFuseable(Mono<? extends T> source, TimedPath metrics) {
    super(source);
    this.metrics = metrics;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    source.subscribe(new FluxTimed.TimedFuseableSubscriber<>(actual, metrics, true));
  }

  @Override
  @SuppressWarnings("rawtypes") // Scannable declares the raw type
  public Object scanUnsafe(Attr key) {
    if (key == Attr.RUN_STYLE) {
      return Attr.RunStyle.SYNC;
    }
    return super.scanUnsafe(key);
  }
}

package io.rxprom.reactor;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;

/**
 * Times each subscription of a Mono whose source is not {@link reactor.core.Fuseable}: from
 * {@code onSubscribe} to the value, the completion, the error or the cancellation, whichever
 * comes first; recorded once.
 *
 * @param <T> the value type
 */
final class MonoTimed<T> extends MonoOperator<T, T> {

  final TimedPath metrics;

  MonoTimed(Mono<? extends T> source, TimedPath metrics) {
    super(source);
    this.metrics = metrics;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    source.subscribe(new FluxTimed.TimedSubscriber<>(actual, metrics, true));
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

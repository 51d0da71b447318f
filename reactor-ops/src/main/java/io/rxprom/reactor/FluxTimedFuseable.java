package io.rxprom.reactor;

import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;

/**
 * {@link FluxTimed} over a {@link Fuseable} source: it passes SYNC fusion through and refuses
 * ASYNC (see {@link FluxTimed.TimedFuseableSubscriber}).
 *
 * @param <T> the value type
 */
final class FluxTimedFuseable<T> extends FluxOperator<T, T> implements Fuseable {

  final TimedPath metrics;

  FluxTimedFuseable(Flux<? extends T> source, TimedPath metrics) {
    super(source);
    this.metrics = metrics;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    source.subscribe(new FluxTimed.TimedFuseableSubscriber<>(actual, metrics, false));
  }

  @Override
  public int getPrefetch() {
    return source.getPrefetch();
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

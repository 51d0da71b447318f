package io.rxprom.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rxprom.core.Counter;
import io.rxprom.core.Histogram;
import io.rxprom.core.MetricRegistry;
import io.rxprom.reactor.Metrics;
import io.rxprom.reactor.ReactorMetrics;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.observability.SignalListenerFactory;
import reactor.core.observability.micrometer.Micrometer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The cost of metrics on a Reactor pipeline, per subscription: {@code Mono.just(1)} and {@code
 * Flux.range(1, 100)} bare, with rxprom's {@code transform(Metrics.timed(path))}, and with
 * {@code tap(Micrometer.metrics(registry))} (reactor-core-micrometer). Each op assembles the
 * pipeline (as a handler does per request; the metrics function or listener factory is made
 * once) and subscribes a minimal subscriber that requests everything and sends every value to
 * the Blackhole. The overhead of an instrumentation is its time and B/op minus bare's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReactorBenchmark {

  /** Requests everything, consumes every value; one per subscription. */
  static final class Sink implements CoreSubscriber<Integer> {
    private final Blackhole bh;

    Sink(Blackhole bh) {
      this.bh = bh;
    }

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Integer v) {
      bh.consume(v);
    }

    @Override
    public void onError(Throwable t) {
      bh.consume(t);
    }

    @Override
    public void onComplete() {
      bh.consume(this);
    }
  }

  /**
   * rxprom reactor-ops: {@code Metrics.timed(path)} on the default registry, made once; and, to
   * split the clock's cost from the operator's, the same default metrics on a registry of their
   * own with a clock that only counts ({@code timedFakeClock}).
   */
  @State(Scope.Benchmark)
  public static class Rxprom {
    Function<Publisher<Integer>, Publisher<Integer>> timed;
    Function<Publisher<Integer>, Publisher<Integer>> timedFakeClock;

    @Setup
    public void setup() {
      timed = Metrics.timed("/bench");
      Metrics.defaults().init("/bench");
      java.util.concurrent.atomic.AtomicLong ticks = new java.util.concurrent.atomic.AtomicLong();
      ReactorMetrics fake = ReactorMetrics.builder(new MetricRegistry())
          .latency(Histogram.builder(ReactorMetrics.DEFAULT_LATENCY_NAME)
              .labelNames(ReactorMetrics.PATH_LABEL, ReactorMetrics.OUTCOME_LABEL))
          .errors(Counter.builder(ReactorMetrics.DEFAULT_ERRORS_NAME)
              .labelNames(ReactorMetrics.PATH_LABEL))
          .clock(() -> ticks.getPlain() + 1000) // no clock read, no shared write
          .build();
      fake.init("/bench");
      timedFakeClock = fake.timed("/bench");
    }
  }

  /** reactor-core-micrometer with a Micrometer Prometheus registry. */
  @State(Scope.Benchmark)
  public static class MicrometerTap {
    SignalListenerFactory<Integer, ?> listener;

    @Setup
    public void setup() {
      listener = Micrometer.<Integer>metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }
  }

  @Benchmark
  public void mono_bare(Blackhole bh) {
    Mono.just(1).subscribe(new Sink(bh));
  }

  @Benchmark
  public void mono_micrometerTap(MicrometerTap s, Blackhole bh) {
    Mono.just(1).tap(s.listener).subscribe(new Sink(bh));
  }

  @Benchmark
  public void mono_rxprom(Rxprom s, Blackhole bh) {
    Mono.just(1).transform(s.timed).subscribe(new Sink(bh));
  }

  @Benchmark
  public void mono_rxpromFakeClock(Rxprom s, Blackhole bh) {
    Mono.just(1).transform(s.timedFakeClock).subscribe(new Sink(bh));
  }

  @Benchmark
  public void flux_bare(Blackhole bh) {
    Flux.range(1, 100).subscribe(new Sink(bh));
  }

  @Benchmark
  public void flux_rxprom(Rxprom s, Blackhole bh) {
    Flux.range(1, 100).transform(s.timed).subscribe(new Sink(bh));
  }

  @Benchmark
  public void flux_micrometerTap(MicrometerTap s, Blackhole bh) {
    Flux.range(1, 100).tap(s.listener).subscribe(new Sink(bh));
  }
}

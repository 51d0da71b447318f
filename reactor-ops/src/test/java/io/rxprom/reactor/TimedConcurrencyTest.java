package io.rxprom.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Many subscriptions at once on the parallel scheduler: every count is exact. */
class TimedConcurrencyTest {

  private static final int SUBSCRIPTIONS = 32_000;
  private static final int PATHS = 8;

  private final Fixture f = new Fixture(System::nanoTime);

  private static String path(int i) {
    return "/p" + (i / 4) % PATHS;
  }

  private Publisher<Integer> pipeline(int i) {
    Function<Publisher<Integer>, Publisher<Integer>> timed = f.metrics.timed(path(i));
    switch (i % 4) {
      case 0:
        return Mono.fromCallable(() -> i).subscribeOn(Schedulers.parallel()).transform(timed);
      case 1:
        return Mono.<Integer>empty().subscribeOn(Schedulers.parallel()).transform(timed);
      case 2:
        return Mono.<Integer>error(new IOException("io")).subscribeOn(Schedulers.parallel())
            .transform(timed)
            .onErrorResume(e -> Mono.empty());
      default:
        return Flux.range(0, 10).subscribeOn(Schedulers.parallel()).transform(timed).take(1);
    }
  }

  @Test
  void thousandsOfConcurrentSubscriptionsAreCountedExactly() {
    Long emitted = Flux.range(0, SUBSCRIPTIONS)
        .flatMap(this::pipeline, 1024)
        .count()
        .block(Duration.ofMinutes(2));

    assertThat(emitted).isEqualTo(SUBSCRIPTIONS / 2);
    long each = SUBSCRIPTIONS / 4 / PATHS;
    for (int p = 0; p < PATHS; p++) {
      String path = "/p" + p;
      assertThat(f.count(path, "success")).as(path).isEqualTo(each);
      assertThat(f.count(path, "empty")).as(path).isEqualTo(each);
      assertThat(f.count(path, "error")).as(path).isEqualTo(each);
      assertThat(f.count(path, "cancelled")).as(path).isEqualTo(each);
      assertThat(f.errors(path)).as(path).isEqualTo(each);
      assertThat(f.elements(path)).as(path).isEqualTo(2 * each);
      assertThat(f.inFlight(path)).as(path).isZero();
    }
  }

  @Test
  void concurrentFirstCallsForAPathShareOneResolution() {
    Set<Object> functions = ConcurrentHashMap.newKeySet();
    List<Integer> n = Flux.range(0, 2_000)
        .parallel(4)
        .runOn(Schedulers.parallel())
        .flatMap(i -> {
          Function<Publisher<Integer>, Publisher<Integer>> timed = f.metrics.timed("/shared" + (i % 10));
          if (i % 10 == 0) {
            functions.add(timed);
          }
          return Mono.just(i).transform(timed);
        })
        .sequential()
        .collectList()
        .block(Duration.ofMinutes(1));

    assertThat(n).hasSize(2_000);
    assertThat(functions).hasSize(1);
    for (int p = 0; p < 10; p++) {
      assertThat(f.count("/shared" + p, "success")).isEqualTo(200);
    }
  }
}

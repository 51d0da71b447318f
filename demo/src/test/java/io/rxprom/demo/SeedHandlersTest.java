package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class SeedHandlersTest {

  private static final Pattern ANSWER = Pattern.compile("(/\\w+) answered after (\\d+) ms\n");

  /** One subscription, driven in virtual time: what it signalled and after how many ms. */
  record Outcome(String value, Throwable error, long millis) {}

  static Outcome run(Mono<String> mono, VirtualTimeScheduler time) {
    AtomicReference<String> value = new AtomicReference<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    long start = time.now(TimeUnit.MILLISECONDS);
    mono.subscribe(value::set, error::set);
    while (value.get() == null && error.get() == null) {
      time.advanceTimeBy(Duration.ofMillis(1));
    }
    return new Outcome(value.get(), error.get(), time.now(TimeUnit.MILLISECONDS) - start);
  }

  @Test
  void eachHandlerAnswersAfterItsStatedLatencyOrFailsNamingItsPath() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    SeedHandlers handlers = new SeedHandlers(SeedHandlers.DEFAULT_SEED, time);
    checkProfile(handlers.foo(), SeedHandlers.FOO, SeedHandlers.FOO_PROFILE, time);
    checkProfile(handlers.bar(), SeedHandlers.BAR, SeedHandlers.BAR_PROFILE, time);
  }

  private static void checkProfile(
      Mono<String> handler, String path, SeedHandlers.Profile p, VirtualTimeScheduler time) {
    int n = 2_000;
    int errors = 0;
    int slow = 0;
    for (int i = 0; i < n; i++) {
      Outcome o = run(handler, time);
      assertThat(o.millis()).isBetween(p.minMillis(), 3 * p.maxMillis());
      if (o.millis() > p.maxMillis()) {
        slow++;
      }
      if (o.error() != null) {
        errors++;
        assertThat(o.error())
            .isInstanceOf(SeedHandlers.HandlerFailure.class)
            .hasMessage("simulated failure in " + path);
      } else {
        Matcher m = ANSWER.matcher(o.value());
        assertThat(m.matches()).as(o.value()).isTrue();
        assertThat(m.group(1)).isEqualTo(path);
        // The answer states the latency it waited, exactly.
        assertThat(Long.parseLong(m.group(2))).isEqualTo(o.millis());
      }
    }
    // Binomial(2000, p): the seeded draws land within 4 standard deviations of the stated ratio.
    double sd = Math.sqrt(n * p.errorRatio() * (1 - p.errorRatio()));
    assertThat((double) errors).isBetween(n * p.errorRatio() - 4 * sd, n * p.errorRatio() + 4 * sd);
    assertThat(slow).isPositive();
  }

  @Test
  void sameSeedSameSequence() {
    List<String> first = sequence(7);
    List<String> second = sequence(7);
    List<String> other = sequence(8);
    assertThat(first).hasSize(200).isEqualTo(second).isNotEqualTo(other);
  }

  private static List<String> sequence(long seed) {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    SeedHandlers handlers = new SeedHandlers(seed, time);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      for (Mono<String> m : List.of(handlers.foo(), handlers.bar())) {
        Outcome o = run(m, time);
        out.add(o.error() != null ? "error after " + o.millis() : o.value());
      }
    }
    return out;
  }

  @Test
  void everySubscriptionIsANewDraw() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    SeedHandlers handlers = new SeedHandlers(SeedHandlers.DEFAULT_SEED, time);
    Mono<String> bar = handlers.bar();
    // Retrying the same Mono re-subscribes, which draws again: it ends in a value eventually.
    StepVerifier.withVirtualTime(() -> bar.retry(50), () -> time, Long.MAX_VALUE)
        .thenAwait(Duration.ofHours(1))
        .assertNext(v -> assertThat(v).startsWith("/bar answered after "))
        .verifyComplete();
  }
}

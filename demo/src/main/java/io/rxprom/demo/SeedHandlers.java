package io.rxprom.demo;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The seed's two request handlers, {@code /foo} and {@code /bar}, as Reactor pipelines: each waits
 * a variable time on a timer (never sleeping on a thread) and then answers, or now and then fails.
 *
 * <p>The randomness comes from one seeded {@link Random}, so a run is reproducible when requests
 * arrive in the same order. Thread-safe: {@link Random} is, and nothing else is mutable.
 */
final class SeedHandlers {

  static final String FOO = "/foo";
  static final String BAR = "/bar";
  static final List<String> PATHS = List.of(FOO, BAR);
  static final long DEFAULT_SEED = 20_240_501L;

  /**
   * How a handler behaves.
   *
   * @param minMillis the shortest latency
   * @param maxMillis the longest usual latency; one request in {@code slowOneIn} takes up to three
   *     times as long
   * @param slowOneIn how rare a slow request is
   * @param errorRatio the share of requests that fail, 0 to 1
   */
  record Profile(long minMillis, long maxMillis, int slowOneIn, double errorRatio) {}

  static final Profile FOO_PROFILE = new Profile(5, 120, 50, 0.04);
  static final Profile BAR_PROFILE = new Profile(20, 300, 20, 0.10);

  /** The failure a handler simulates; its message names the path. */
  static final class HandlerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HandlerFailure(String path) {
      super("simulated failure in " + path, null, false, false);
    }
  }

  private final Random random;
  private final Scheduler timer;

  /**
   * @param seed the seed of the random latencies and failures
   * @param timer where the delays run; it must support time-based scheduling
   */
  SeedHandlers(long seed, Scheduler timer) {
    this.random = new Random(seed);
    this.timer = timer;
  }

  /** {@code /foo}: fast, rarely fails. */
  Mono<String> foo() {
    return handle(FOO, FOO_PROFILE);
  }

  /** {@code /bar}: slower, fails more often. */
  Mono<String> bar() {
    return handle(BAR, BAR_PROFILE);
  }

  /**
   * The pipeline of one handler. The latency and the outcome are drawn when a request subscribes,
   * so each subscription (each request, each retry) is a new draw.
   */
  Mono<String> handle(String path, Profile p) {
    return Mono.defer(
        () -> {
          long millis = latencyMillis(p);
          boolean fail = random.nextDouble() < p.errorRatio();
          Mono<Long> wait = Mono.delay(Duration.ofMillis(millis), timer);
          return fail
              ? wait.then(Mono.error(new HandlerFailure(path)))
              : wait.map(x -> path + " answered after " + millis + " ms\n");
        });
  }

  private long latencyMillis(Profile p) {
    long max = random.nextInt(p.slowOneIn()) == 0 ? 3 * p.maxMillis() : p.maxMillis();
    return p.minMillis() + (long) (random.nextDouble() * (max - p.minMillis()));
  }
}

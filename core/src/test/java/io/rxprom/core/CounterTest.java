package io.rxprom.core;

import static io.rxprom.core.Scrapes.family;
import static io.rxprom.core.Scrapes.only;
import static io.rxprom.core.Scrapes.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class CounterTest {

  private final MetricRegistry registry = new MetricRegistry();

  @Test
  void incrementsAddUpInTheSnapshot() {
    Counter c = Counter.builder("requests_total").help("Requests").register(registry);
    c.inc();
    c.inc(2L);
    c.inc(0.5);
    c.inc(3.0);
    assertThat(c.get()).isEqualTo(6.5);
    MetricFamilySnapshot f = family(registry.scrape(), "requests");
    assertThat(f.type()).isEqualTo(MetricType.COUNTER);
    assertThat(f.help()).isEqualTo("Requests");
    assertThat(only(f, CounterDataPoint.class).value()).isEqualTo(6.5);
  }

  @Test
  void nameWithOrWithoutTotalIsTheSameFamily() {
    assertThat(Counter.builder("a_total").build().name()).isEqualTo("a");
    assertThat(Counter.builder("a").build().name()).isEqualTo("a");
    Counter.builder("jobs_total").register(registry);
    assertThatThrownBy(() -> Counter.builder("jobs").register(registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'jobs'")
        .hasMessageContaining("name clash");
  }

  @Test
  void unitBecomesTheNameSuffixBeforeTotal() {
    Counter plain = Counter.builder("transferred").unit("bytes").register(registry);
    Counter already = Counter.builder("cpu_seconds_total").unit("seconds").register(registry);
    Counter stripped = Counter.builder("busy_total").unit("seconds").register(registry);
    assertThat(plain.name()).isEqualTo("transferred_bytes");
    assertThat(already.name()).isEqualTo("cpu_seconds");
    assertThat(stripped.name()).isEqualTo("busy_seconds");
    MetricFamilySnapshot f = family(registry.scrape(), "cpu_seconds");
    assertThat(f.unit()).isEqualTo("seconds");
  }

  @Test
  void labelsWithoutIncrementingInitialiseTheSeriesAtZero() {
    Counter c = Counter.builder("errors_total").labelNames("path").register(registry);
    c.labels("/foo");
    c.labels("/bar").inc();
    MetricFamilySnapshot f = family(registry.scrape(), "errors");
    assertThat(point(f, CounterDataPoint.class, "/foo").value()).isZero();
    assertThat(point(f, CounterDataPoint.class, "/bar").value()).isEqualTo(1.0);
  }

  @Test
  void snapshotCarriesTheCreationTimeOfEachSeries() throws InterruptedException {
    Counter c = Counter.builder("created_demo").labelNames("k").register(registry);
    long before = System.currentTimeMillis();
    c.labels("a");
    long after = System.currentTimeMillis();
    Thread.sleep(5);
    c.labels("b");
    MetricFamilySnapshot f = family(registry.scrape(), "created_demo");
    long a = point(f, CounterDataPoint.class, "a").createdEpochMillis();
    long b = point(f, CounterDataPoint.class, "b").createdEpochMillis();
    assertThat(a).isBetween(before, after);
    assertThat(b).isGreaterThan(a);
    c.labels("a").inc();
    assertThat(point(family(registry.scrape(), "created_demo"), CounterDataPoint.class, "a")
        .createdEpochMillis()).as("incrementing does not reset _created").isEqualTo(a);
  }

  @Test
  void recreatedSeriesStartsAtZeroWithANewCreationTime() throws InterruptedException {
    Counter c = Counter.builder("recreated").labelNames("k").register(registry);
    c.labels("a").inc(5);
    long created = c.labels("a").createdEpochMillis;
    Thread.sleep(5);
    c.remove("a");
    Counter.Child again = c.labels("a");
    assertThat(again.get()).isZero();
    assertThat(again.createdEpochMillis).isGreaterThan(created);
  }

  @Test
  void negativeIncrementIsRejectedNamingMetricValueAndRule() {
    Counter c = Counter.builder("jobs_total").labelNames("queue").register(registry);
    Counter.Child child = c.labels("q1");
    assertThatThrownBy(() -> child.inc(-1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'jobs'")
        .hasMessageContaining("queue=\"q1\"")
        .hasMessageContaining("got -1")
        .hasMessageContaining(">= 0");
    assertThatThrownBy(() -> child.inc(-0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'jobs'")
        .hasMessageContaining("got -0.5")
        .hasMessageContaining(">= 0");
    assertThat(child.get()).isZero();
  }

  @Test
  void nanAndInfiniteIncrementsAreRejected() {
    Counter c = Counter.builder("bytes_total").build();
    assertThatThrownBy(() -> c.inc(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bytes'")
        .hasMessageContaining("got NaN")
        .hasMessageContaining("finite number >= 0");
    assertThatThrownBy(() -> c.inc(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got Infinity");
    assertThat(c.get()).isZero();
  }

  @Test
  void largeAndFractionalIncrementsKeepTheTotal() {
    Counter c = Counter.builder("big").build();
    c.inc(0x1p53); // beyond exact long steps: goes to the double adder
    c.inc(2L);
    assertThat(c.get()).isEqualTo(0x1p53 + 2.0);
    Counter f = Counter.builder("fractional").build();
    f.inc(0.25);
    f.inc(0.25);
    f.inc(1L);
    f.inc(1.0);
    assertThat(f.get()).isEqualTo(2.5);
  }

  @Test
  void countExceptionsCountsAndRethrows() throws Exception {
    Counter c = Counter.builder("failures_total").labelNames("path").register(registry);
    Counter.Child foo = c.labels("/foo");
    assertThatThrownBy(() -> foo.countExceptions((Runnable) () -> {
      throw new IllegalStateException("boom");
    })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThatThrownBy(() -> foo.countExceptions(() -> {
      throw new IOException("io");
    })).isInstanceOf(IOException.class).hasMessage("io");
    foo.countExceptions(() -> { });
    assertThat(foo.countExceptions(() -> 42)).isEqualTo(42);
    assertThat(foo.get()).isEqualTo(2.0);
  }

  @Test
  void unlabelledCountExceptionsOnTheFamily() {
    Counter c = Counter.builder("plain_failures").build();
    assertThatThrownBy(() -> c.countExceptions((Runnable) () -> {
      throw new UncheckedIOException(new IOException("x"));
    })).isInstanceOf(UncheckedIOException.class);
    assertThat(c.get()).isEqualTo(1.0);
  }

  @Test
  void familyMethodsOfALabelledCounterPointToLabels() {
    Counter c = Counter.builder("labelled").labelNames("path").build();
    assertThatThrownBy(c::inc)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'labelled'")
        .hasMessageContaining("[path]")
        .hasMessageContaining("labels(...)");
  }

  @Test
  void counterNameEndingInCreatedIsRejected() {
    assertThatThrownBy(() -> Counter.builder("job_created").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'job_created'")
        .hasMessageContaining("_created");
  }
}

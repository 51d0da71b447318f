package io.rxprom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every builder applies the same naming rules; each rule's message names metric, value and rule. */
class NameAndLabelValidationTest {

  /** One builder per metric type, configured so that only the name and labels can be wrong. */
  static Stream<Arguments> builders() {
    List<Function<String, MetricFamily.Builder<?, ?>>> all = List.of(
        Counter::builder,
        Gauge::builder,
        Histogram::builder,
        Summary::builder,
        Info::builder,
        name -> StateSet.builder(name).states("a", "b"),
        name -> CallbackMetric.gauge(name).callback(sink -> { }),
        name -> CallbackMetric.counter(name).callback(sink -> { }));
    return all.stream().map(Arguments::of);
  }

  @ParameterizedTest
  @MethodSource("builders")
  void invalidMetricNamesAreRejected(Function<String, MetricFamily.Builder<?, ?>> builder) {
    for (String bad : new String[] {"", "1abc", "with-dash", "sp ace", "dot.ted", "ünïcode"}) {
      assertThatThrownBy(() -> builder.apply(bad).build())
          .as("name '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("metric '" + bad + "'")
          .hasMessageContaining("invalid metric name")
          .hasMessageContaining("[a-zA-Z_][a-zA-Z0-9_]*");
    }
    assertThatThrownBy(() -> builder.apply(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metric 'null'");
  }

  @ParameterizedTest
  @MethodSource("builders")
  void colonsAreReservedForRecordingRules(Function<String, MetricFamily.Builder<?, ?>> builder) {
    assertThatThrownBy(() -> builder.apply("job:requests:rate5m").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'job:requests:rate5m'")
        .hasMessageContaining("colons are reserved for recording rules");
  }

  @ParameterizedTest
  @MethodSource("builders")
  void doubleUnderscoreMetricNamesAreReserved(Function<String, MetricFamily.Builder<?, ?>> builder) {
    assertThatThrownBy(() -> builder.apply("__internal").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'__internal'")
        .hasMessageContaining("starting with '__' are reserved");
  }

  @ParameterizedTest
  @MethodSource("builders")
  void doubleUnderscoreLabelNamesAreReserved(Function<String, MetricFamily.Builder<?, ?>> builder) {
    assertThatThrownBy(() -> builder.apply("m").labelNames("path", "__x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'m")
        .hasMessageContaining("'__x'")
        .hasMessageContaining("starting with '__'");
  }

  @ParameterizedTest
  @MethodSource("builders")
  void invalidLabelNamesAreRejected(Function<String, MetricFamily.Builder<?, ?>> builder) {
    for (String bad : new String[] {"", "1st", "a-b", "a:b", "é"}) {
      assertThatThrownBy(() -> builder.apply("m").labelNames(bad).build())
          .as("label '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'m")
          .hasMessageContaining("invalid label name '" + bad + "'")
          .hasMessageContaining("[a-zA-Z_][a-zA-Z0-9_]*");
    }
    assertThatThrownBy(() -> builder.apply("m").labelNames("ok", null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid label name 'null'");
    assertThatThrownBy(() -> builder.apply("m").labelNames((String[]) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'m'")
        .hasMessageContaining("null");
  }

  @ParameterizedTest
  @MethodSource("builders")
  void duplicateLabelNamesAreRejected(Function<String, MetricFamily.Builder<?, ?>> builder) {
    assertThatThrownBy(() -> builder.apply("m").labelNames("path", "code", "path").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'m")
        .hasMessageContaining("duplicate label name 'path'");
  }

  @ParameterizedTest
  @MethodSource("builders")
  void validNamesAreAccepted(Function<String, MetricFamily.Builder<?, ?>> builder) {
    MetricRegistry registry = new MetricRegistry();
    registry.register(builder.apply("_Valid_name9").labelNames("_a", "B2").build());
    assertThat(registry.scrape().families()).hasSize(2); // it and the overflow counter
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1s", "-", "_seconds"})
  void invalidUnitsAreRejected(String unit) {
    assertThatThrownBy(() -> Gauge.builder("g").unit(unit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'g'")
        .hasMessageContaining("invalid unit '" + unit + "'")
        .hasMessageContaining("[a-zA-Z][a-zA-Z0-9_]*");
  }

  @ParameterizedTest
  @ValueSource(strings = {"seconds", "bytes", "celsius"})
  void unitIsTheNameSuffix(String unit) {
    assertThat(Gauge.builder("temperature").unit(unit).build().name()).isEqualTo("temperature_" + unit);
    assertThat(Gauge.builder("temperature_" + unit).unit(unit).build().name())
        .isEqualTo("temperature_" + unit);
    assertThat(Histogram.builder("size").unit(unit).build().snapshot().unit()).isEqualTo(unit);
  }

  @ParameterizedTest
  @MethodSource("builders")
  void badHelpAndLimitsAreRejected(Function<String, MetricFamily.Builder<?, ?>> builder) {
    assertThatThrownBy(() -> builder.apply("m").help(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'m'")
        .hasMessageContaining("help is null");
    assertThatThrownBy(() -> builder.apply("m").maxSeries(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'m'")
        .hasMessageContaining("got 0")
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> builder.apply("m").cardinalityPolicy(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'m'");
  }

  /** Names that used to pass registration and then made every scrape of the registry throw. */
  static Stream<Arguments> namesStillEndingWithTheStrippedSuffix() {
    return Stream.of(
        Arguments.of("bytes_total_total", (Supplier<MetricFamily.Builder<?, ?>>) () -> Counter.builder("bytes_total_total")),
        Arguments.of("_total", (Supplier<MetricFamily.Builder<?, ?>>) () -> Counter.builder("_total")),
        Arguments.of("bytes", (Supplier<MetricFamily.Builder<?, ?>>) () -> Counter.builder("bytes").unit("total")),
        Arguments.of("build_info_info", (Supplier<MetricFamily.Builder<?, ?>>) () -> Info.builder("build_info_info")),
        Arguments.of("_info", (Supplier<MetricFamily.Builder<?, ?>>) () -> Info.builder("_info")),
        Arguments.of("bytes_total_total", (Supplier<MetricFamily.Builder<?, ?>>)
            () -> CallbackMetric.counter("bytes_total_total").callback(() -> 1)),
        Arguments.of("_total", (Supplier<MetricFamily.Builder<?, ?>>)
            () -> CallbackMetric.counter("_total").callback(() -> 1)),
        Arguments.of("bytes", (Supplier<MetricFamily.Builder<?, ?>>)
            () -> CallbackMetric.counter("bytes").unit("total").callback(() -> 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("namesStillEndingWithTheStrippedSuffix")
  void aNameThatWouldBreakEveryScrapeIsRejectedAtRegistration(
      String badName, Supplier<MetricFamily.Builder<?, ?>> builder) {
    MetricRegistry registry = new MetricRegistry();
    Counter.builder("good_total").help("Still scraped.").register(registry).inc();
    assertThatThrownBy(() -> builder.get().register(registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metric '" + badName + "'")
        .hasMessageContaining("still ends with")
        .hasMessageContaining("must not end with");
    assertThat(registry.scrape(n -> !n.startsWith("rxprom_")).families()).extracting(f -> f.name()).containsExactly("good");
  }

  @ParameterizedTest
  @MethodSource("builders")
  void registrationChecksWhatEveryScrapeChecks(Function<String, MetricFamily.Builder<?, ?>> builder) {
    // whatever a builder accepts, the registry can scrape
    for (String name : new String[] {"a_total", "a_info", "a_total_total", "a_info_info", "_total", "_info", "x_total_info"}) {
      MetricRegistry registry = new MetricRegistry();
      try {
        builder.apply(name).register(registry);
      } catch (IllegalArgumentException rejected) {
        assertThat(rejected).hasMessageContaining("metric '");
        continue;
      }
      assertThat(registry.scrape(n -> !n.startsWith("rxprom_")).families()).hasSize(1);
    }
  }
}

package io.rxprom.core;

import static io.rxprom.core.Scrapes.family;
import static io.rxprom.core.Scrapes.labelSets;
import static io.rxprom.core.Scrapes.only;
import static io.rxprom.core.Scrapes.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.InfoDataPoint;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.StateSetDataPoint;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InfoStateSetCallbackTest {

  enum Mode { CLOSED, OPEN, HALF_OPEN }

  private final MetricRegistry registry = new MetricRegistry();

  // ---------------------------------------------------------------- Info

  @Test
  void infoSetReplacesTheSingleSeries() {
    Info build = Info.builder("build_info").help("Build information").labelNames("version", "commit")
        .register(registry);
    build.set("1.4.2", "9f1c2e");
    build.set("1.4.3", "0a0b0c");
    build.set("1.4.3", "0a0b0c");
    MetricFamilySnapshot f = family(registry.scrape(), "build");
    assertThat(f.type()).isEqualTo(MetricType.INFO);
    assertThat(labelSets(f)).containsExactly(List.of("1.4.3", "0a0b0c"));
    assertThat(only(f, InfoDataPoint.class).labels().get("commit")).isEqualTo("0a0b0c");
  }

  @Test
  void infoSetChecksArityAndNulls() {
    Info build = Info.builder("build").labelNames("version").build();
    assertThatThrownBy(() -> build.set("1", "2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'build'")
        .hasMessageContaining("expected 1");
    assertThatThrownBy(() -> build.set((String) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 'version' is null");
  }

  @Test
  void infoWithoutLabelsHasOneSeries() {
    Info plain = Info.builder("target").register(registry);
    plain.set();
    assertThat(family(registry.scrape(), "target").dataPoints()).hasSize(1);
  }

  @Test
  void infoHasNoUnit() {
    assertThatThrownBy(() -> Info.builder("build").unit("seconds").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'build'")
        .hasMessageContaining("'seconds'")
        .hasMessageContaining("no unit");
  }

  // ---------------------------------------------------------------- StateSet

  @Test
  void stateSetAsAnEnumHasExactlyOneStateOn() {
    StateSet breaker = StateSet.builder("breaker").states(Mode.class).labelNames("backend")
        .register(registry);
    breaker.labels("db").setState(Mode.OPEN);
    breaker.labels("db").setState(Mode.HALF_OPEN);
    breaker.labels("cache");
    MetricFamilySnapshot f = family(registry.scrape(), "breaker");
    assertThat(f.type()).isEqualTo(MetricType.STATESET);
    StateSetDataPoint db = point(f, StateSetDataPoint.class, "db");
    assertThat(db.size()).isEqualTo(3);
    assertThat(List.of(db.state(0), db.state(1), db.state(2))).containsExactly("CLOSED", "OPEN", "HALF_OPEN");
    assertThat(List.of(db.isEnabled(0), db.isEnabled(1), db.isEnabled(2))).containsExactly(false, false, true);
    StateSetDataPoint cache = point(f, StateSetDataPoint.class, "cache");
    assertThat(List.of(cache.isEnabled(0), cache.isEnabled(1), cache.isEnabled(2)))
        .as("a new series starts with every state off").containsExactly(false, false, false);
  }

  @Test
  void stateSetFlagsAreIndependent() {
    StateSet features = StateSet.builder("features").states("a", "b", "c").build();
    features.set("a", true);
    features.set("c", true);
    features.set("a", false);
    StateSet.Child child = features.labels();
    assertThat(child.isSet("a")).isFalse();
    assertThat(child.isSet("c")).isTrue();
    features.setState("b");
    assertThat(child.isSet("b")).isTrue();
    assertThat(child.isSet("c")).isFalse();
  }

  @Test
  void unknownStateIsRejectedListingTheKnownOnes() {
    StateSet s = StateSet.builder("mode").states("on", "off").build();
    assertThatThrownBy(() -> s.setState("dim"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'mode'")
        .hasMessageContaining("'dim'")
        .hasMessageContaining("[on, off]");
  }

  @Test
  void badStatesAreRejected() {
    assertThatThrownBy(() -> StateSet.builder("s").states())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'s'")
        .hasMessageContaining("1 to 64 states");
    assertThatThrownBy(() -> StateSet.builder("s").states("a", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a'")
        .hasMessageContaining("repeated");
    assertThatThrownBy(() -> StateSet.builder("s").states(new String[65]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 65");
    assertThatThrownBy(() -> StateSet.builder("s").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("states(...) is required");
    assertThatThrownBy(() -> StateSet.builder("s").states("a").labelNames("s").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label name 's' is reserved");
    assertThatThrownBy(() -> StateSet.builder("s").states("a").unit("seconds").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("state set 's'")
        .hasMessageContaining("no unit");
  }

  // ---------------------------------------------------------------- CallbackMetric

  @Test
  void callbackGaugeIsReadAtEveryScrape() {
    AtomicLong active = new AtomicLong(3);
    CallbackMetric.gauge("pool_connections_active").help("Active connections")
        .callback(active::get).register(registry);
    assertThat(only(family(registry.scrape(), "pool_connections_active"), GaugeDataPoint.class).value())
        .isEqualTo(3.0);
    active.set(5);
    MetricFamilySnapshot f = family(registry.scrape(), "pool_connections_active");
    assertThat(f.type()).isEqualTo(MetricType.GAUGE);
    assertThat(f.help()).isEqualTo("Active connections");
    assertThat(only(f, GaugeDataPoint.class).value()).isEqualTo(5.0);
  }

  @Test
  void callbackCounterWithLabels() {
    Map<String, Long> hits = Map.of("users", 10L, "orders", 4L);
    CallbackMetric.counter("cache_hits_total").help("Cache hits").labelNames("cache")
        .callback(sink -> hits.forEach((name, n) -> sink.record(n, name))).register(registry);
    MetricFamilySnapshot f = family(registry.scrape(), "cache_hits");
    assertThat(f.type()).isEqualTo(MetricType.COUNTER);
    assertThat(point(f, CounterDataPoint.class, "users").value()).isEqualTo(10.0);
    assertThat(point(f, CounterDataPoint.class, "orders").value()).isEqualTo(4.0);
  }

  @Test
  void callbackMistakesFailTheScrapeNamingTheMetric() {
    CallbackMetric.counter("bad_total").labelNames("a")
        .callback(sink -> sink.record(1, "x", "y")).register(registry);
    assertThatThrownBy(registry::scrape)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'bad'")
        .hasMessageContaining("expected 1 label value(s)")
        .hasRootCauseInstanceOf(IllegalArgumentException.class);
    MetricRegistry other = new MetricRegistry();
    CallbackMetric.counter("negative").callback(() -> -1).register(other);
    assertThatThrownBy(other::scrape)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'negative'")
        .hasMessageContaining("-1.0");
  }

  @Test
  void callbackRecordingOneLabelSetTwiceFailsTheScrapeInsteadOfWritingDuplicateSeries() {
    CallbackMetric.gauge("pool_active").labelNames("pool")
        .callback(sink -> {
          sink.record(1, "a");
          sink.record(2, "b");
          sink.record(3, "a");
        })
        .register(registry);
    assertThatThrownBy(registry::scrape)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("metric 'pool_active'")
        .hasRootCauseInstanceOf(IllegalArgumentException.class)
        .rootCause()
        .hasMessage("metric 'pool_active': label set {pool=\"a\"} recorded twice by the callback");
    // each collect starts afresh: a callback that records each label set once still scrapes
    MetricRegistry other = new MetricRegistry();
    CallbackMetric.gauge("pool_active").labelNames("pool")
        .callback(sink -> {
          sink.record(1, "a");
          sink.record(2, "b");
        })
        .register(other);
    assertThat(family(other.scrape(), "pool_active").dataPoints()).hasSize(2);
    assertThat(family(other.scrape(), "pool_active").dataPoints()).hasSize(2);
  }

  @Test
  void unlabelledCallbackOnALabelledMetricIsRejected() {
    assertThatThrownBy(() -> CallbackMetric.gauge("g").labelNames("pool").callback(() -> 1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'g'")
        .hasMessageContaining("[pool]")
        .hasMessageContaining("without labels");
  }

  @Test
  void callbackIsRequired() {
    assertThatThrownBy(() -> CallbackMetric.gauge("g").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'g'")
        .hasMessageContaining("callback(...) is required");
  }
}

package io.rxprom.core;

import static io.rxprom.core.Scrapes.family;
import static io.rxprom.core.Scrapes.labelSets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.snapshot.CounterDataPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelsLookupTest {

  private final MetricRegistry registry = new MetricRegistry();

  @Test
  void sameValuesReturnTheSameCachedChildWhicheverOverloadIsUsed() {
    Counter one = Counter.builder("one").labelNames("a").build();
    assertThat(one.labels("x")).isSameAs(one.labels("x")).isSameAs(one.labels(new String[] {"x"}));
    Counter two = Counter.builder("two").labelNames("a", "b").build();
    assertThat(two.labels("x", "y")).isSameAs(two.labels(new String[] {"x", "y"}));
    assertThat(two.labels("x", "y")).isNotSameAs(two.labels("y", "x"));
    Counter three = Counter.builder("three").labelNames("a", "b", "c").build();
    assertThat(three.labels("x", "y", "z")).isSameAs(three.labels(new String[] {"x", "y", "z"}));
    Counter four = Counter.builder("four").labelNames("a", "b", "c", "d").build();
    assertThat(four.labels("1", "2", "3", "4")).isSameAs(four.labels("1", "2", "3", "4"));
    Counter none = Counter.builder("none").build();
    assertThat(none.labels()).isSameAs(none.labels());
  }

  @Test
  void equalButDistinctStringsFindTheSameChild() {
    Counter c = Counter.builder("c").labelNames("a", "b").build();
    Counter.Child child = c.labels("path", "GET");
    assertThat(c.labels(new String("path"), new String("GET"))).isSameAs(child);
  }

  @Test
  void childCarriesItsLabels() {
    Counter c = Counter.builder("c").labelNames("path", "method").build();
    assertThat(c.labels("/foo", "GET").labels().get("method")).isEqualTo("GET");
    assertThat(c.labelNames()).containsExactly("path", "method");
  }

  @Test
  void seriesAppearInCreationOrderAndAtZero() {
    Counter c = Counter.builder("c").labelNames("path").register(registry);
    c.labels("/b");
    c.labels("/a");
    c.labels("/c").inc();
    assertThat(labelSets(family(registry.scrape(), "c")))
        .containsExactly(List.of("/b"), List.of("/a"), List.of("/c"));
    assertThat(family(registry.scrape(), "c").dataPoints())
        .extracting(p -> ((CounterDataPoint) p).value()).containsExactly(0.0, 0.0, 1.0);
  }

  @Test
  void removeDropsOneSeriesAndLaterLookupsStartAtZero() {
    Counter c = Counter.builder("c").labelNames("a", "b").register(registry);
    c.labels("x", "1").inc(5);
    c.labels("x", "2").inc(7);
    c.remove("x", "1");
    c.remove("x", "nope"); // absent: nothing happens
    c.remove("nope", "1");
    assertThat(labelSets(family(registry.scrape(), "c"))).containsExactly(List.of("x", "2"));
    assertThat(c.labels("x", "1").get()).isZero();
    assertThat(c.labels("x", "2").get()).isEqualTo(7);
  }

  @Test
  void removeAfterLabelChurnLeavesNoEmptyTrieLevels() {
    Counter two = Counter.builder("churn_total").labelNames("pod", "code").maxSeries(200_000).build();
    Counter three = Counter.builder("churn3_total").labelNames("pod", "code", "method").build();
    for (int i = 0; i < 100_000; i++) {
      String pod = "pod-" + i;
      two.labels(pod, "200").inc();
      two.remove(pod, "200");
      three.labels(pod, "200", "GET").inc();
      three.remove(pod, "200", "GET");
    }
    assertThat(two.trieEntryCount()).isZero();
    assertThat(three.trieEntryCount()).isZero();
    assertThat(two.snapshot().dataPoints()).isEmpty();

    // a level still in use is kept, and a pruned path is rebuilt on the next lookup
    three.labels("a", "200", "GET").inc();
    three.labels("a", "500", "GET").inc();
    three.remove("a", "200", "GET");
    assertThat(three.trieEntryCount()).isEqualTo(3); // a -> 500 -> GET
    assertThat(three.labels("a", "500", "GET").get()).isEqualTo(1.0);
    three.remove("a", "500", "GET");
    assertThat(three.trieEntryCount()).isZero();
    three.labels("a", "500", "GET").inc();
    assertThat(three.labels("a", "500", "GET").get()).isEqualTo(1.0);
    assertThat(three.trieEntryCount()).isEqualTo(3);
  }

  @Test
  void clearDropsEverySeries() {
    Gauge g = Gauge.builder("g").labelNames("a").register(registry);
    g.labels("x").set(1);
    g.labels("y").set(2);
    g.clear();
    assertThat(family(registry.scrape(), "g").dataPoints()).isEmpty();
    assertThat(g.labels("x").get()).isZero();
  }

  @Test
  void unlabelledFamilyKeepsItsSeriesOnClearAndRemove() {
    Counter c = Counter.builder("c").register(registry);
    c.inc();
    c.clear();
    c.remove();
    assertThat(family(registry.scrape(), "c").dataPoints()).hasSize(1);
    assertThat(c.get()).isEqualTo(1.0);
  }

  @Test
  void wrongArityIsRejectedNamingMetricLabelsAndValues() {
    Counter c = Counter.builder("requests").labelNames("path", "method").build();
    assertThatThrownBy(() -> c.labels("/foo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'requests'")
        .hasMessageContaining("expected 2 label value(s) for [path, method]")
        .hasMessageContaining("got 1: [/foo]");
    assertThatThrownBy(() -> c.labels("/foo", "GET", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 3: [/foo, GET, x]");
    assertThatThrownBy(() -> c.labels("a", "b", "c", "d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 4");
    assertThatThrownBy(() -> c.labels())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> c.labels((String[]) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got null");
    assertThatThrownBy(() -> c.remove("/foo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'requests'")
        .hasMessageContaining("got 1");
    Counter none = Counter.builder("plain").build();
    assertThatThrownBy(() -> none.labels("x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'plain'")
        .hasMessageContaining("expected 0 label value(s)");
  }

  @Test
  void nullValuesAreRejectedNamingMetricAndLabel() {
    Counter one = Counter.builder("one").labelNames("path").build();
    assertThatThrownBy(() -> one.labels((String) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'one'")
        .hasMessageContaining("label 'path' is null")
        .hasMessageContaining("must not be null");
    Counter three = Counter.builder("three").labelNames("a", "b", "c").build();
    assertThatThrownBy(() -> three.labels("x", null, "z"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'three'")
        .hasMessageContaining("label 'b' is null")
        .hasMessageContaining("[x, null, z]");
    three.labels("x", "y", "z");
    assertThatThrownBy(() -> three.labels("x", "y", null))
        .as("an existing prefix does not skip the check")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 'c' is null");
    assertThatThrownBy(() -> three.remove("x", null, "z"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 'b' is null");
    Counter two = Counter.builder("two").labelNames("a", "b").build();
    assertThatThrownBy(() -> two.labels(null, "y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 'a' is null");
    Counter four = Counter.builder("four").labelNames("a", "b", "c", "d").build();
    assertThatThrownBy(() -> four.labels("1", "2", "3", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 'd' is null");
  }

  @Test
  void emptyAndUnusualLabelValuesAreAllowed() {
    Counter c = Counter.builder("c").labelNames("v").register(registry);
    c.labels("").inc();
    c.labels("a\"b\\c\nd").inc();
    c.labels("ünïcødé 🚀").inc();
    assertThat(labelSets(family(registry.scrape(), "c")))
        .containsExactly(List.of(""), List.of("a\"b\\c\nd"), List.of("ünïcødé 🚀"));
  }
}

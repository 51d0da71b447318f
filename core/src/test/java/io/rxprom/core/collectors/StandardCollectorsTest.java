package io.rxprom.core.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxprom.core.Collector;
import io.rxprom.core.MetricRegistry;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Registering the standard set, alone or together, and scraping it. */
class StandardCollectorsTest {

  @Test
  void oneCallRegistersProcessAndJvmMetricsAndUnregisterRemovesThemAll() {
    MetricRegistry registry = new MetricRegistry();
    Collector standard = StandardCollectors.register(registry);
    Set<String> names = names(registry);
    assertThat(names).containsAll(standard.families().keySet());
    assertThat(names).contains("process_cpu_seconds", "process_resident_memory_bytes",
        "jvm_memory_used_bytes", "jvm_gc_collection_seconds", "jvm_threads_state", "jvm_runtime");

    registry.unregister(standard);
    assertThat(names(registry)).containsExactly(MetricRegistry.OVERFLOW_METRIC);
    StandardCollectors.register(registry); // the names are free again
  }

  @Test
  void registeringTheStandardSetTwiceIsRefusedByName() {
    MetricRegistry registry = new MetricRegistry();
    StandardCollectors.register(registry);
    assertThatThrownBy(() -> StandardCollectors.register(registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name clash")
        .hasMessageMatching("(?s).*metric '(process|jvm)_[a-z_]+'.*");
    assertThatThrownBy(() -> StandardCollectors.register(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registry is null");
  }

  @Test
  void eachCollectorCanBeRegisteredAlone() {
    MetricRegistry processOnly = new MetricRegistry();
    processOnly.register(StandardCollectors.process());
    assertThat(names(processOnly)).allMatch(n -> n.startsWith("process_") || n.equals(MetricRegistry.OVERFLOW_METRIC));

    MetricRegistry jvmOnly = new MetricRegistry();
    jvmOnly.register(StandardCollectors.jvm());
    assertThat(names(jvmOnly)).allMatch(n -> n.startsWith("jvm_") || n.equals(MetricRegistry.OVERFLOW_METRIC));

    MetricRegistry both = new MetricRegistry();
    both.register(StandardCollectors.process());
    both.register(StandardCollectors.jvm());
    assertThat(names(both)).hasSize(names(processOnly).size() + names(jvmOnly).size() - 1);
    assertThatThrownBy(() -> both.register(StandardCollectors.all())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyCollectorProducesExactlyTheFamiliesAndTypesItDeclares() {
    for (Collector c : List.of(StandardCollectors.process(), StandardCollectors.jvm(), StandardCollectors.all())) {
      List<MetricFamilySnapshot> produced = new ArrayList<>();
      c.collect(produced::add);
      assertThat(produced.stream().map(MetricFamilySnapshot::name)).doesNotHaveDuplicates();
      assertThat(produced.stream().collect(Collectors.toMap(MetricFamilySnapshot::name, MetricFamilySnapshot::type)))
          .isEqualTo(c.families());
    }
  }

  @Test
  void aNameFilterReadsOnlyTheFamiliesAsked() {
    MetricRegistry registry = new MetricRegistry();
    StandardCollectors.register(registry);
    Set<String> names = registry.scrape(MetricRegistry.nameFilter(List.of("process_cpu_seconds_total", "jvm_runtime_info")))
        .families().stream().map(MetricFamilySnapshot::name).collect(Collectors.toSet());
    assertThat(names).containsExactlyInAnyOrder("process_cpu_seconds", "jvm_runtime");
  }

  @Test
  void concurrentScrapesAllSucceedAndAgree() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    StandardCollectors.register(registry);
    Set<String> expected = names(registry);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Set<String>>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(pool.submit(() -> {
          Set<String> last = null;
          for (int k = 0; k < 100; k++) {
            last = names(registry);
          }
          return last;
        }));
      }
      for (Future<Set<String>> r : results) {
        assertThat(r.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Set<String> names(MetricRegistry registry) {
    return registry.scrape().families().stream().map(MetricFamilySnapshot::name).collect(Collectors.toSet());
  }
}

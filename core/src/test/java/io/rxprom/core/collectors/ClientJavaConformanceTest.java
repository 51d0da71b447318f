package io.rxprom.core.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The standard collectors against the real official Java client ({@code client_java} 1.10,
 * {@code JvmMetrics}) run in this JVM: every family it exposes, we expose under the same name,
 * type, help text, unit and label names, so dashboards built for it keep working.
 */
class ClientJavaConformanceTest {

  /** What the official client has and we leave out on purpose (see StandardCollectors). */
  private static final Set<String> NOT_OURS = Set.of(
      "jvm_memory_pool_allocated_bytes", // needs GC notification listeners; appears after a GC
      "jvm_native_memory_committed_bytes", // needs -XX:NativeMemoryTracking
      "jvm_native_memory_reserved_bytes");

  @Test
  void sameFamiliesTypesHelpUnitsAndLabelNamesAsClientJava() {
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    Map<String, String> theirs = new TreeMap<>();
    for (MetricSnapshot m : registry.scrape()) {
      if (!NOT_OURS.contains(m.getMetadata().getName())) {
        theirs.put(m.getMetadata().getName(), describe(m));
      }
    }

    Map<String, String> ours = new TreeMap<>();
    StandardCollectors.all().collect(f -> ours.put(f.name(), describe(f)));

    assertThat(ours).isEqualTo(theirs);
    assertThat(theirs).hasSizeGreaterThan(30);
  }

  private static String describe(MetricSnapshot m) {
    String type = m instanceof CounterSnapshot ? "counter"
        : m instanceof GaugeSnapshot ? "gauge"
        : m instanceof SummarySnapshot ? "summary"
        : m instanceof InfoSnapshot ? "info"
        : m.getClass().getSimpleName();
    Set<String> labelNames = new TreeSet<>();
    m.getDataPoints().forEach(p -> {
      for (Label l : p.getLabels()) {
        labelNames.add(l.getName());
      }
    });
    String unit = m.getMetadata().getUnit() == null ? "" : m.getMetadata().getUnit().toString();
    return type + " unit=" + unit + " labels=" + labelNames + " help=" + m.getMetadata().getHelp();
  }

  private static String describe(MetricFamilySnapshot f) {
    String type = f.type() == MetricType.INFO ? "info" : f.type().openMetricsName();
    Set<String> labelNames = new TreeSet<>();
    for (DataPointSnapshot p : f.dataPoints()) {
      for (int i = 0; i < p.labels().size(); i++) {
        labelNames.add(p.labels().name(i));
      }
    }
    return type + " unit=" + f.unit() + " labels=" + labelNames + " help=" + f.help();
  }
}

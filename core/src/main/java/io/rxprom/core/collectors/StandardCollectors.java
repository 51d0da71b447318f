package io.rxprom.core.collectors;

import io.rxprom.core.Collector;
import io.rxprom.core.MetricRegistry;
import java.util.List;

/**
 * The collectors every Prometheus client ships: process metrics ({@code process_*}) and JVM
 * metrics ({@code jvm_*}), under the names of the official clients, read when scraped.
 *
 * <pre>{@code
 * MetricRegistry registry = new MetricRegistry();
 * Collector standard = StandardCollectors.register(registry);   // process and JVM
 * // or one of them alone:
 * registry.register(StandardCollectors.process());
 * }</pre>
 *
 * <p>Process metrics: {@code process_cpu_seconds_total}, {@code process_resident_memory_bytes},
 * {@code process_virtual_memory_bytes}, {@code process_start_time_seconds}, {@code
 * process_open_fds}, {@code process_max_fds}. They come from {@code /proc/self} on Linux; on
 * other systems CPU time and descriptors come from the JDK's operating-system bean where it has
 * them, and a metric that cannot be read is left out rather than given a made-up value.
 *
 * <p>JVM metrics: memory by area and pool, buffer pools, garbage collection
 * ({@code jvm_gc_collection_seconds}, a summary with count and sum per collector), threads by
 * state and thread counts, classes, JIT compilation time and {@code jvm_runtime_info}, with the
 * names, types, labels, units and help texts of {@code client_java} 1.x's
 * {@code prometheus-metrics-instrumentation-jvm} (except {@code
 * jvm_memory_pool_allocated_bytes_total}, which needs GC notification listeners, and {@code
 * jvm_native_memory_*}, which needs native memory tracking).
 *
 * <p>Each call returns a new collector. Thread-safe: the collectors are immutable and may be
 * scraped from several threads at once; a scrape takes no lock of rxprom's (reading the JVM's
 * deadlock detector briefly stops the JVM at a safepoint, as the official client does).
 */
public final class StandardCollectors {

  private StandardCollectors() {}

  /** A collector of the process metrics. */
  public static Collector process() {
    return new ProcessCollector();
  }

  /** A collector of the JVM metrics. */
  public static Collector jvm() {
    return new JvmCollector();
  }

  /** One collector of the process and the JVM metrics. */
  public static Collector all() {
    return new CollectorGroup(List.of(process(), jvm()));
  }

  /**
   * Registers the process and JVM metrics with {@code registry}.
   *
   * @return the registered collector, for {@link MetricRegistry#unregister}
   * @throws IllegalArgumentException if {@code registry} is null or already has a family of one
   *     of these names (registering the standard set twice, for example)
   */
  public static Collector register(MetricRegistry registry) {
    if (registry == null) {
      throw new IllegalArgumentException("StandardCollectors.register: registry is null");
    }
    Collector all = all();
    registry.register(all);
    return all;
  }

  /** Registers the process and JVM metrics with {@link MetricRegistry#defaultRegistry()}. */
  public static Collector register() {
    return register(MetricRegistry.defaultRegistry());
  }
}

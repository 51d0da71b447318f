package io.rxprom.core.collectors;

import io.rxprom.core.Collector;
import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.InfoDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.SummaryDataPoint;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * JVM metrics read from the platform MXBeans at scrape time, under the names, types, labels,
 * units and help texts of the official Java client ({@code client_java} 1.x, module {@code
 * prometheus-metrics-instrumentation-jvm}), so that dashboards built for it work unchanged:
 *
 * <ul>
 *   <li>memory by area ({@code jvm_memory_{used,committed,max,init}_bytes{area}}), by pool
 *       ({@code jvm_memory_pool_*_bytes{pool}}) and after the last collection ({@code
 *       jvm_memory_pool_collection_*_bytes{pool}}), objects pending finalization;
 *   <li>buffer pools ({@code jvm_buffer_pool_used_bytes}, {@code _capacity_bytes}, {@code
 *       _used_buffers}, by {@code pool});
 *   <li>garbage collection: {@code jvm_gc_collection_seconds{gc}}, a summary without quantiles
 *       whose count is the number of collections and whose sum the time spent;
 *   <li>threads: current, daemon, peak, started, deadlocked, and {@code jvm_threads_state{state}};
 *   <li>classes: currently loaded, loaded and unloaded since start;
 *   <li>JIT: {@code jvm_compilation_time_seconds_total}, where the JVM measures it;
 *   <li>{@code jvm_runtime_info{runtime,vendor,version}}.
 * </ul>
 *
 * <p>The JVM reports -1 for a maximum it does not define (a pool without a limit); that value
 * is exposed as the JVM gives it, as the official client does.
 *
 * <p>Thread-safe: immutable after construction; {@code collect} keeps no state and takes no
 * lock of its own. Counting deadlocked threads makes the JVM reach a safepoint, as in the
 * official client; everything else reads counters the JVM keeps.
 */
final class JvmCollector implements Collector {

  private static final String[] POOL = {"pool"};
  private static final Labels HEAP = Labels.of("area", "heap");
  private static final Labels NONHEAP = Labels.of("area", "nonheap");

  private final MemoryMXBean memory;
  private final List<MemoryPoolMXBean> pools;
  private final Labels[] poolLabels;
  private final List<BufferPoolMXBean> bufferPools;
  private final Labels[] bufferPoolLabels;
  private final List<GarbageCollectorMXBean> collectors;
  private final Labels[] collectorLabels;
  private final ThreadMXBean threads;
  private final Labels[] stateLabels;
  private final ClassLoadingMXBean classes;
  private final CompilationMXBean compilation; // null if the JVM does not time compilation
  private final Labels runtime;
  private final Map<String, MetricType> families;

  JvmCollector() {
    this.memory = ManagementFactory.getMemoryMXBean();
    this.pools = List.copyOf(ManagementFactory.getMemoryPoolMXBeans());
    this.poolLabels = labels(POOL, pools, MemoryPoolMXBean::getName);
    this.bufferPools = List.copyOf(ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class));
    this.bufferPoolLabels = labels(POOL, bufferPools, BufferPoolMXBean::getName);
    this.collectors = List.copyOf(ManagementFactory.getGarbageCollectorMXBeans());
    this.collectorLabels = labels(new String[] {"gc"}, collectors, GarbageCollectorMXBean::getName);
    this.threads = ManagementFactory.getThreadMXBean();
    Thread.State[] states = Thread.State.values();
    this.stateLabels = new Labels[states.length];
    for (Thread.State s : states) {
      stateLabels[s.ordinal()] = Labels.of("state", s.name());
    }
    this.classes = ManagementFactory.getClassLoadingMXBean();
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    this.compilation = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit : null;
    this.runtime = Labels.of(
        "runtime", System.getProperty("java.runtime.name", "unknown"),
        "vendor", System.getProperty("java.vm.vendor", "unknown"),
        "version", System.getProperty("java.runtime.version", "unknown"));

    Map<String, MetricType> f = new LinkedHashMap<>();
    for (String n : new String[] {
        "jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
        "jvm_memory_init_bytes", "jvm_memory_objects_pending_finalization",
        "jvm_memory_pool_used_bytes", "jvm_memory_pool_committed_bytes",
        "jvm_memory_pool_max_bytes", "jvm_memory_pool_init_bytes",
        "jvm_memory_pool_collection_used_bytes", "jvm_memory_pool_collection_committed_bytes",
        "jvm_memory_pool_collection_max_bytes", "jvm_memory_pool_collection_init_bytes",
        "jvm_buffer_pool_used_bytes", "jvm_buffer_pool_capacity_bytes",
        "jvm_buffer_pool_used_buffers",
        "jvm_threads_current", "jvm_threads_daemon", "jvm_threads_peak",
        "jvm_threads_deadlocked", "jvm_threads_deadlocked_monitor", "jvm_threads_state",
        "jvm_classes_currently_loaded"}) {
      f.put(n, MetricType.GAUGE);
    }
    f.put("jvm_gc_collection_seconds", MetricType.SUMMARY);
    f.put("jvm_threads_started", MetricType.COUNTER);
    f.put("jvm_classes_loaded", MetricType.COUNTER);
    f.put("jvm_classes_unloaded", MetricType.COUNTER);
    if (compilation != null) {
      f.put("jvm_compilation_time_seconds", MetricType.COUNTER);
    }
    f.put("jvm_runtime", MetricType.INFO);
    this.families = Collections.unmodifiableMap(f);
  }

  private static <T> Labels[] labels(String[] name, List<T> beans, Function<T, String> value) {
    Labels[] l = new Labels[beans.size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = Labels.of(name, new String[] {value.apply(beans.get(i))});
    }
    return l;
  }

  @Override
  public Map<String, MetricType> families() {
    return families;
  }

  @Override
  public void collect(Consumer<MetricFamilySnapshot> sink) {
    collectMemory(sink);
    collectBufferPools(sink);
    collectGc(sink);
    collectThreads(sink);
    collectClasses(sink);
  }

  // ------------------------------------------------------------------ memory

  private void collectMemory(Consumer<MetricFamilySnapshot> sink) {
    // One call per area: used, committed, max and init of a series come from one reading.
    MemoryUsage heap = memory.getHeapMemoryUsage();
    MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
    sink.accept(areaGauge("jvm_memory_used_bytes", "Used bytes of a given JVM memory area.",
        heap.getUsed(), nonHeap.getUsed()));
    sink.accept(areaGauge("jvm_memory_committed_bytes", "Committed (bytes) of a given JVM memory area.",
        heap.getCommitted(), nonHeap.getCommitted()));
    sink.accept(areaGauge("jvm_memory_max_bytes", "Max (bytes) of a given JVM memory area.",
        heap.getMax(), nonHeap.getMax()));
    sink.accept(areaGauge("jvm_memory_init_bytes", "Initial bytes of a given JVM memory area.",
        heap.getInit(), nonHeap.getInit()));
    sink.accept(gauge("jvm_memory_objects_pending_finalization",
        "The number of objects waiting in the finalizer queue.", "",
        memory.getObjectPendingFinalizationCount()));

    int n = pools.size();
    MemoryUsage[] usage = new MemoryUsage[n];
    MemoryUsage[] afterGc = new MemoryUsage[n];
    for (int i = 0; i < n; i++) {
      MemoryPoolMXBean p = pools.get(i);
      usage[i] = p.getUsage(); // null once a pool is no longer valid
      afterGc[i] = p.getCollectionUsage(); // null for pools no collector manages
    }
    sink.accept(poolGauge("jvm_memory_pool_used_bytes", "Used bytes of a given JVM memory pool.",
        usage, MemoryUsage::getUsed));
    sink.accept(poolGauge("jvm_memory_pool_committed_bytes", "Committed bytes of a given JVM memory pool.",
        usage, MemoryUsage::getCommitted));
    sink.accept(poolGauge("jvm_memory_pool_max_bytes", "Max bytes of a given JVM memory pool.",
        usage, MemoryUsage::getMax));
    sink.accept(poolGauge("jvm_memory_pool_init_bytes", "Initial bytes of a given JVM memory pool.",
        usage, MemoryUsage::getInit));
    sink.accept(poolGauge("jvm_memory_pool_collection_used_bytes",
        "Used bytes after last collection of a given JVM memory pool.", afterGc, MemoryUsage::getUsed));
    sink.accept(poolGauge("jvm_memory_pool_collection_committed_bytes",
        "Committed after last collection bytes of a given JVM memory pool.", afterGc,
        MemoryUsage::getCommitted));
    sink.accept(poolGauge("jvm_memory_pool_collection_max_bytes",
        "Max bytes after last collection of a given JVM memory pool.", afterGc, MemoryUsage::getMax));
    sink.accept(poolGauge("jvm_memory_pool_collection_init_bytes",
        "Initial after last collection bytes of a given JVM memory pool.", afterGc,
        MemoryUsage::getInit));
  }

  private static MetricFamilySnapshot areaGauge(String name, String help, long heap, long nonHeap) {
    return new MetricFamilySnapshot(name, MetricType.GAUGE, help, "bytes",
        List.of(new GaugeDataPoint(HEAP, heap), new GaugeDataPoint(NONHEAP, nonHeap)));
  }

  private MetricFamilySnapshot poolGauge(
      String name, String help, MemoryUsage[] usage, ToLongFunction<MemoryUsage> value) {
    List<DataPointSnapshot> points = new ArrayList<>(usage.length);
    for (int i = 0; i < usage.length; i++) {
      if (usage[i] != null) {
        points.add(new GaugeDataPoint(poolLabels[i], value.applyAsLong(usage[i])));
      }
    }
    return new MetricFamilySnapshot(name, MetricType.GAUGE, help, "bytes", points);
  }

  // ------------------------------------------------------------ buffer pools

  private void collectBufferPools(Consumer<MetricFamilySnapshot> sink) {
    int n = bufferPools.size();
    List<DataPointSnapshot> used = new ArrayList<>(n);
    List<DataPointSnapshot> capacity = new ArrayList<>(n);
    List<DataPointSnapshot> count = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      BufferPoolMXBean p = bufferPools.get(i);
      used.add(new GaugeDataPoint(bufferPoolLabels[i], p.getMemoryUsed()));
      capacity.add(new GaugeDataPoint(bufferPoolLabels[i], p.getTotalCapacity()));
      count.add(new GaugeDataPoint(bufferPoolLabels[i], p.getCount()));
    }
    sink.accept(new MetricFamilySnapshot("jvm_buffer_pool_used_bytes", MetricType.GAUGE,
        "Used bytes of a given JVM buffer pool.", "bytes", used));
    sink.accept(new MetricFamilySnapshot("jvm_buffer_pool_capacity_bytes", MetricType.GAUGE,
        "Bytes capacity of a given JVM buffer pool.", "bytes", capacity));
    sink.accept(new MetricFamilySnapshot("jvm_buffer_pool_used_buffers", MetricType.GAUGE,
        "Used buffers of a given JVM buffer pool.", "", count));
  }

  // ---------------------------------------------------------------------- GC

  private void collectGc(Consumer<MetricFamilySnapshot> sink) {
    List<DataPointSnapshot> points = new ArrayList<>(collectors.size());
    for (int i = 0; i < collectors.size(); i++) {
      GarbageCollectorMXBean gc = collectors.get(i);
      long count = gc.getCollectionCount();
      long millis = gc.getCollectionTime();
      if (count >= 0 && millis >= 0) { // -1: this collector does not report it
        points.add(new SummaryDataPoint(
            collectorLabels[i], count, millis / 1000.0, DataPointSnapshot.NO_CREATED));
      }
    }
    sink.accept(new MetricFamilySnapshot("jvm_gc_collection_seconds", MetricType.SUMMARY,
        "Time spent in a given JVM garbage collector in seconds.", "seconds", points));
  }

  // ----------------------------------------------------------------- threads

  private void collectThreads(Consumer<MetricFamilySnapshot> sink) {
    sink.accept(gauge("jvm_threads_current", "Current thread count of a JVM", "",
        threads.getThreadCount()));
    sink.accept(gauge("jvm_threads_daemon", "Daemon thread count of a JVM", "",
        threads.getDaemonThreadCount()));
    sink.accept(gauge("jvm_threads_peak", "Peak thread count of a JVM", "",
        threads.getPeakThreadCount()));
    sink.accept(counter("jvm_threads_started", "Started thread count of a JVM", "",
        threads.getTotalStartedThreadCount()));
    sink.accept(gauge("jvm_threads_deadlocked",
        "Cycles of JVM-threads that are in deadlock waiting to acquire object monitors or "
            + "ownable synchronizers", "",
        length(threads.isSynchronizerUsageSupported() ? threads.findDeadlockedThreads()
            : threads.findMonitorDeadlockedThreads())));
    sink.accept(gauge("jvm_threads_deadlocked_monitor",
        "Cycles of JVM-threads that are in deadlock waiting to acquire object monitors", "",
        length(threads.findMonitorDeadlockedThreads())));

    int[] byState = threadStates();
    List<DataPointSnapshot> points = new ArrayList<>(byState.length);
    for (int s = 0; s < byState.length; s++) {
      points.add(new GaugeDataPoint(stateLabels[s], byState[s]));
    }
    sink.accept(new MetricFamilySnapshot("jvm_threads_state", MetricType.GAUGE,
        "Current count of threads by state", "", points));
  }

  /**
   * Live threads by state, counted over the root thread group: one array, no per-thread
   * object, and no safepoint (a {@code ThreadMXBean.getThreadInfo} would build an object per
   * thread). The root group holds every thread the thread bean counts.
   */
  static int[] threadStates() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] all;
    int n;
    do {
      all = new Thread[root.activeCount() * 2 + 16];
      n = root.enumerate(all, true);
    } while (n == all.length); // threads were started meanwhile: some may be missing
    int[] byState = new int[Thread.State.values().length];
    for (int i = 0; i < n; i++) {
      byState[all[i].getState().ordinal()]++;
    }
    return byState;
  }

  private static int length(long[] ids) {
    return ids == null ? 0 : ids.length;
  }

  // ----------------------------------------------------------------- classes

  private void collectClasses(Consumer<MetricFamilySnapshot> sink) {
    sink.accept(gauge("jvm_classes_currently_loaded",
        "The number of classes that are currently loaded in the JVM", "",
        classes.getLoadedClassCount()));
    sink.accept(counter("jvm_classes_loaded",
        "The total number of classes that have been loaded since the JVM has started execution",
        "", classes.getTotalLoadedClassCount()));
    sink.accept(counter("jvm_classes_unloaded",
        "The total number of classes that have been unloaded since the JVM has started execution",
        "", classes.getUnloadedClassCount()));
    if (compilation != null) {
      sink.accept(counter("jvm_compilation_time_seconds",
          "The total time in seconds taken for HotSpot class compilation", "seconds",
          compilation.getTotalCompilationTime() / 1000.0));
    }
    sink.accept(new MetricFamilySnapshot(
        "jvm_runtime", MetricType.INFO, "JVM runtime info", "", List.of(new InfoDataPoint(runtime))));
  }

  // ------------------------------------------------------------------ helpers

  private static MetricFamilySnapshot gauge(String name, String help, String unit, double value) {
    return new MetricFamilySnapshot(
        name, MetricType.GAUGE, help, unit, List.of(new GaugeDataPoint(Labels.EMPTY, value)));
  }

  private static MetricFamilySnapshot counter(String name, String help, String unit, double value) {
    return new MetricFamilySnapshot(name, MetricType.COUNTER, help, unit,
        List.of(new CounterDataPoint(Labels.EMPTY, value, DataPointSnapshot.NO_CREATED)));
  }
}

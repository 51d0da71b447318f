package io.rxprom.core.collectors;

import io.rxprom.core.Collector;
import io.rxprom.core.snapshot.CounterDataPoint;
import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.GaugeDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricFamilySnapshot;
import io.rxprom.core.snapshot.MetricType;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The process metrics every Prometheus client exposes, under the names of the Prometheus
 * client library guidelines: CPU time, resident and virtual memory, start time, open and
 * maximum file descriptors.
 *
 * <p>On Linux the values come from {@code /proc/self} (one read of {@code stat} for CPU and
 * memory, a listing of {@code fd}, a read of {@code limits}); elsewhere CPU time and descriptors
 * come from the JDK's operating-system bean where it offers them. What cannot be read on this
 * platform is left out of {@link #families()} and never written as a made-up value. A read that
 * fails at scrape time leaves that family out of that scrape.
 *
 * <p>Thread-safe: immutable after construction; {@code collect} keeps no state and takes no
 * lock.
 */
final class ProcessCollector implements Collector {

  static final String CPU = "process_cpu_seconds";
  static final String START_TIME = "process_start_time_seconds";
  static final String OPEN_FDS = "process_open_fds";
  static final String MAX_FDS = "process_max_fds";
  static final String VIRTUAL_MEMORY = "process_virtual_memory_bytes";
  static final String RESIDENT_MEMORY = "process_resident_memory_bytes";

  // Field numbers of /proc/<pid>/stat, as proc(5) counts them.
  private static final int STAT_UTIME = 14;
  private static final int STAT_STIME = 15;
  private static final int STAT_STARTTIME = 22;
  private static final int STAT_VSIZE = 23;
  private static final int STAT_RSS = 24;

  private final Path stat;
  private final Path fdDir;
  private final Path limits;
  private final long ticksPerSecond; // -1: unknown
  private final long pageSize; // -1: unknown
  private final boolean procStat;
  private final boolean procFds;
  private final boolean procLimits;
  private final MethodHandle beanCpuNanos; // ()long, or null
  private final MethodHandle beanOpenFds; // ()long, or null
  private final MethodHandle beanMaxFds; // ()long, or null
  private final double startTimeSeconds;
  private final Map<String, MetricType> families;

  /** Reads {@code /proc} on Linux and the JDK's operating-system bean elsewhere. */
  ProcessCollector() {
    this(System.getProperty("os.name", "").startsWith("Linux") ? Path.of("/proc") : null, true);
  }

  /**
   * @param procRoot the proc file system ({@code /proc}), or null to read none
   * @param useOsBean whether to fall back to the JDK's operating-system bean for what {@code
   *     procRoot} does not give
   */
  ProcessCollector(Path procRoot, boolean useOsBean) {
    Path self = procRoot == null ? null : procRoot.resolve("self");
    this.stat = self == null ? null : self.resolve("stat");
    this.fdDir = self == null ? null : self.resolve("fd");
    this.limits = self == null ? null : self.resolve("limits");

    long ticks = -1;
    long page = -1;
    if (self != null) {
      try {
        ProcFs.Content auxv = ProcFs.read(self.resolve("auxv"), 512);
        int word = ProcFs.wordSize();
        ticks = ProcFs.auxv(auxv, ProcFs.AT_CLKTCK, word);
        page = ProcFs.auxv(auxv, ProcFs.AT_PAGESZ, word);
      } catch (IOException | RuntimeException e) {
        // no auxiliary vector: CPU time and resident memory cannot be read from /proc
      }
    }
    this.ticksPerSecond = ticks > 0 ? ticks : -1;
    this.pageSize = page > 0 ? page : -1;

    boolean statOk = false;
    double start = Double.NaN;
    if (stat != null) {
      try {
        ProcFs.Content c = ProcFs.read(stat, 512);
        int[] at = ProcFs.statFields(c, STAT_RSS);
        statOk = ProcFs.parseNumber(c, at[STAT_VSIZE]) >= 0;
        long startTicks = ProcFs.parseNumber(c, at[STAT_STARTTIME]);
        long bootSeconds = bootTimeSeconds(procRoot);
        if (startTicks >= 0 && bootSeconds > 0 && ticksPerSecond > 0) {
          start = bootSeconds + (double) startTicks / ticksPerSecond;
        }
      } catch (IOException | RuntimeException e) {
        // no readable stat: CPU and memory come from elsewhere or are left out
      }
    }
    this.procStat = statOk;
    this.procFds = fdDir != null && readOpenFdsFromProc() >= 0;
    this.procLimits = limits != null && readMaxFdsFromProc() >= 0;

    OperatingSystemMXBean os = useOsBean ? ManagementFactory.getOperatingSystemMXBean() : null;
    this.beanCpuNanos = procStat && ticksPerSecond > 0
        ? null : longGetter(os, "com.sun.management.OperatingSystemMXBean", "getProcessCpuTime");
    this.beanOpenFds = procFds
        ? null : longGetter(os, "com.sun.management.UnixOperatingSystemMXBean", "getOpenFileDescriptorCount");
    this.beanMaxFds = procLimits
        ? null : longGetter(os, "com.sun.management.UnixOperatingSystemMXBean", "getMaxFileDescriptorCount");

    if (Double.isNaN(start)) {
      start = ProcessHandle.current().info().startInstant()
          .map(i -> i.toEpochMilli() / 1000.0)
          .orElseGet(() -> ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
    }
    this.startTimeSeconds = start;

    Map<String, MetricType> f = new LinkedHashMap<>();
    if ((procStat && ticksPerSecond > 0) || beanCpuNanos != null) {
      f.put(CPU, MetricType.COUNTER);
    }
    f.put(START_TIME, MetricType.GAUGE);
    if (procFds || beanOpenFds != null) {
      f.put(OPEN_FDS, MetricType.GAUGE);
    }
    if (procLimits || beanMaxFds != null) {
      f.put(MAX_FDS, MetricType.GAUGE);
    }
    if (procStat) {
      f.put(VIRTUAL_MEMORY, MetricType.GAUGE);
      if (pageSize > 0) {
        f.put(RESIDENT_MEMORY, MetricType.GAUGE);
      }
    }
    this.families = Collections.unmodifiableMap(f);
  }

  @Override
  public Map<String, MetricType> families() {
    return families;
  }

  @Override
  public void collect(Consumer<MetricFamilySnapshot> sink) {
    double cpu = Double.NaN;
    double virtual = Double.NaN;
    double resident = Double.NaN;
    if (procStat) {
      try {
        ProcFs.Content c = ProcFs.read(stat, 512);
        int[] at = ProcFs.statFields(c, STAT_RSS);
        long utime = ProcFs.parseNumber(c, at[STAT_UTIME]);
        long stime = ProcFs.parseNumber(c, at[STAT_STIME]);
        long vsize = ProcFs.parseNumber(c, at[STAT_VSIZE]);
        long rss = ProcFs.parseNumber(c, at[STAT_RSS]);
        if (utime >= 0 && stime >= 0 && ticksPerSecond > 0) {
          cpu = (double) (utime + stime) / ticksPerSecond;
        }
        if (vsize >= 0) {
          virtual = vsize;
        }
        if (rss >= 0 && pageSize > 0) {
          resident = (double) rss * pageSize;
        }
      } catch (IOException | RuntimeException e) {
        // left out of this scrape
      }
    }
    if (Double.isNaN(cpu) && beanCpuNanos != null) {
      long nanos = call(beanCpuNanos);
      if (nanos >= 0) {
        cpu = nanos / 1e9;
      }
    }
    if (!Double.isNaN(cpu)) {
      sink.accept(new MetricFamilySnapshot(
          CPU, MetricType.COUNTER, "Total user and system CPU time spent in seconds.", "seconds",
          List.of(new CounterDataPoint(Labels.EMPTY, cpu, DataPointSnapshot.NO_CREATED))));
    }
    sink.accept(gauge(START_TIME, "Start time of the process since unix epoch in seconds.",
        "seconds", startTimeSeconds));

    long open = procFds ? readOpenFdsFromProc() : beanOpenFds != null ? call(beanOpenFds) : -1;
    if (open >= 0) {
      sink.accept(gauge(OPEN_FDS, "Number of open file descriptors.", "", open));
    }
    double max = procLimits ? readMaxFdsFromProc() : beanMaxFds != null ? call(beanMaxFds) : -1;
    if (max >= 0) {
      sink.accept(gauge(MAX_FDS, "Maximum number of open file descriptors.", "", max));
    }
    if (!Double.isNaN(virtual)) {
      sink.accept(gauge(VIRTUAL_MEMORY, "Virtual memory size in bytes.", "bytes", virtual));
    }
    if (!Double.isNaN(resident)) {
      sink.accept(gauge(RESIDENT_MEMORY, "Resident memory size in bytes.", "bytes", resident));
    }
  }

  private static MetricFamilySnapshot gauge(String name, String help, String unit, double value) {
    return new MetricFamilySnapshot(
        name, MetricType.GAUGE, help, unit, List.of(new GaugeDataPoint(Labels.EMPTY, value)));
  }

  /**
   * Open descriptors: the entries of {@code /proc/self/fd} less the one opened to list them,
   * as the JDK's own count does. -1 if unreadable.
   */
  private long readOpenFdsFromProc() {
    try {
      return Math.max(0, ProcFs.countEntries(fdDir) - 1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The soft limit on open descriptors from {@code /proc/self/limits} (the limit the kernel
   * enforces on {@code open}); {@code +Inf} if unlimited, -1 if unreadable.
   */
  private double readMaxFdsFromProc() {
    try {
      ProcFs.Content c = ProcFs.read(limits, 2048);
      int line = ProcFs.lineStartingWith(c, "Max open files");
      if (line < 0) {
        return -1;
      }
      int at = ProcFs.skipBlanks(c, line + "Max open files".length());
      if (ProcFs.startsWith(c, at, "unlimited")) {
        return Double.POSITIVE_INFINITY;
      }
      return ProcFs.parseNumber(c, at);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** {@code btime} of {@code /proc/stat}: the boot time in seconds since the epoch, or -1. */
  private static long bootTimeSeconds(Path procRoot) {
    try {
      ProcFs.Content c = ProcFs.read(procRoot.resolve("stat"), 8192);
      int line = ProcFs.lineStartingWith(c, "btime ");
      return line < 0 ? -1 : ProcFs.parseNumber(c, ProcFs.skipBlanks(c, line + "btime ".length()));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * A getter of the JDK's extended operating-system bean, bound to {@code bean}, if the bean
   * has it and it answers with a value (not -1) now; otherwise null. Found by name so that
   * this class needs no compile-time link to {@code jdk.management}.
   */
  private static MethodHandle longGetter(OperatingSystemMXBean bean, String type, String method) {
    if (bean == null) {
      return null;
    }
    try {
      Class<?> iface = Class.forName(type, false, OperatingSystemMXBean.class.getClassLoader());
      if (!iface.isInstance(bean)) {
        return null;
      }
      MethodHandle h = MethodHandles.publicLookup()
          .findVirtual(iface, method, MethodType.methodType(long.class))
          .bindTo(bean);
      return call(h) >= 0 ? h : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static long call(MethodHandle getter) {
    try {
      return (long) getter.invokeExact();
    } catch (Error e) {
      throw e;
    } catch (Throwable t) {
      return -1; // the bean cannot answer: left out
    }
  }

  /** Whether {@code /proc/self} answered, for tests. */
  boolean readsProc() {
    return procStat;
  }
}

package io.rxprom.core.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.InfoDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.SummaryDataPoint;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The JVM collector against what the platform MXBeans report at the same moment. */
class JvmCollectorTest {

  private final JvmCollector jvm = new JvmCollector();

  @Test
  void collectsExactlyTheFamiliesItDeclaresWithTheirTypes() {
    Scrapes s = Scrapes.of(jvm);
    assertThat(s.families().keySet()).isEqualTo(jvm.families().keySet());
    s.families().forEach((name, f) -> assertThat(f.type()).as(name).isEqualTo(jvm.families().get(name)));
    assertThat(jvm.families()).containsEntry("jvm_gc_collection_seconds", MetricType.SUMMARY)
        .containsEntry("jvm_runtime", MetricType.INFO)
        .containsEntry("jvm_classes_loaded", MetricType.COUNTER)
        .containsEntry("jvm_threads_started", MetricType.COUNTER);
  }

  @Test
  void heapAndNonHeapMatchMemoryMXBean() {
    MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
    Scrapes s = Scrapes.of(jvm);
    MemoryUsage heap = bean.getHeapMemoryUsage();
    MemoryUsage nonHeap = bean.getNonHeapMemoryUsage();
    double mb = 1 << 20;
    assertThat(s.value("jvm_memory_used_bytes", "area", "heap")).isCloseTo(heap.getUsed(), within(32 * mb));
    assertThat(s.value("jvm_memory_committed_bytes", "area", "heap")).isCloseTo(heap.getCommitted(), within(32 * mb));
    assertThat(s.value("jvm_memory_max_bytes", "area", "heap")).isEqualTo((double) heap.getMax());
    assertThat(s.value("jvm_memory_init_bytes", "area", "heap")).isEqualTo((double) heap.getInit());
    assertThat(s.value("jvm_memory_used_bytes", "area", "nonheap")).isCloseTo(nonHeap.getUsed(), within(8 * mb));
    assertThat(s.value("jvm_memory_max_bytes", "area", "nonheap")).isEqualTo((double) nonHeap.getMax());
    assertThat(s.value("jvm_memory_used_bytes", "area", "heap"))
        .isLessThanOrEqualTo(s.value("jvm_memory_committed_bytes", "area", "heap"));
  }

  @Test
  void heapUsedFollowsALargeAllocation() {
    System.gc();
    double before = Scrapes.of(jvm).value("jvm_memory_used_bytes", "area", "heap");
    byte[][] keep = new byte[64][];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = new byte[1 << 20];
    }
    double after = Scrapes.of(jvm).value("jvm_memory_used_bytes", "area", "heap");
    assertThat(after - before).isGreaterThan(48.0 * (1 << 20));
    assertThat(keep[63]).hasSize(1 << 20);
  }

  @Test
  void everyPoolHasItsSeriesAndCollectedPoolsTheirAfterGcSeries() {
    Scrapes s = Scrapes.of(jvm);
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage u = p.getUsage();
      assertThat(s.value("jvm_memory_pool_max_bytes", "pool", p.getName())).as(p.getName())
          .isEqualTo((double) u.getMax());
      assertThat(s.value("jvm_memory_pool_committed_bytes", "pool", p.getName())).as(p.getName())
          .isCloseTo(u.getCommitted(), within(32.0 * (1 << 20)));
      boolean afterGc = p.getCollectionUsage() != null;
      assertThat(hasSeries(s, "jvm_memory_pool_collection_used_bytes", Labels.of("pool", p.getName())))
          .as(p.getName()).isEqualTo(afterGc);
    }
  }

  @Test
  void bufferPoolsFollowADirectBuffer() {
    Scrapes before = Scrapes.of(jvm);
    ByteBuffer buffer = ByteBuffer.allocateDirect(3 << 20);
    Scrapes after = Scrapes.of(jvm);
    BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
    assertThat(after.value("jvm_buffer_pool_used_bytes", "pool", "direct")).isEqualTo((double) direct.getMemoryUsed());
    assertThat(after.value("jvm_buffer_pool_capacity_bytes", "pool", "direct"))
        .isEqualTo((double) direct.getTotalCapacity());
    assertThat(after.value("jvm_buffer_pool_used_buffers", "pool", "direct"))
        .isEqualTo(before.value("jvm_buffer_pool_used_buffers", "pool", "direct") + 1);
    assertThat(after.value("jvm_buffer_pool_capacity_bytes", "pool", "direct")
        - before.value("jvm_buffer_pool_capacity_bytes", "pool", "direct")).isEqualTo(3.0 * (1 << 20));
    assertThat(buffer.capacity()).isEqualTo(3 << 20);
  }

  @Test
  void gcCountAndTimeMatchEachCollectorsBean() {
    System.gc();
    List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    long[] countBefore = gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).toArray();
    long[] timeBefore = gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).toArray();
    Scrapes s = Scrapes.of(jvm);
    long total = 0;
    for (int i = 0; i < gcs.size(); i++) {
      GarbageCollectorMXBean gc = gcs.get(i);
      SummaryDataPoint p = s.summary("jvm_gc_collection_seconds", "gc", gc.getName());
      assertThat(p.count()).as(gc.getName()).isBetween(countBefore[i], gc.getCollectionCount());
      assertThat(p.sum()).as(gc.getName())
          .isBetween(timeBefore[i] / 1000.0, gc.getCollectionTime() / 1000.0);
      assertThat(p.quantileCount()).isZero();
      total += p.count();
    }
    assertThat(total).isPositive(); // the System.gc() above
  }

  @Test
  void threadCountsMatchThreadMXBeanAndFollowParkedThreads() throws InterruptedException {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch parked = new CountDownLatch(8);
    List<Thread> started = new ArrayList<>();
    Scrapes before = Scrapes.of(jvm);
    for (int i = 0; i < 8; i++) {
      Thread t = new Thread(() -> {
        parked.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "parked-" + i);
      t.start();
      started.add(t);
    }
    try {
      parked.await();
      awaitState(started, Thread.State.WAITING);
      Scrapes s = Scrapes.of(jvm);
      int threadCount = bean.getThreadCount();
      assertThat(s.value("jvm_threads_current")).isCloseTo(threadCount, within(2.0));
      assertThat(s.value("jvm_threads_current") - before.value("jvm_threads_current")).isCloseTo(8, within(2.0));
      assertThat(s.value("jvm_threads_daemon")).isCloseTo(bean.getDaemonThreadCount(), within(2.0));
      assertThat(s.value("jvm_threads_peak")).isGreaterThanOrEqualTo(s.value("jvm_threads_current"));
      assertThat(s.value("jvm_threads_started") - before.value("jvm_threads_started")).isGreaterThanOrEqualTo(8);
      double byState = 0;
      for (Thread.State st : Thread.State.values()) {
        byState += s.value("jvm_threads_state", "state", st.name());
      }
      assertThat(byState).isCloseTo(threadCount, within(2.0));
      assertThat(s.value("jvm_threads_state", "state", "WAITING")
          - before.value("jvm_threads_state", "state", "WAITING")).isCloseTo(8, within(2.0));
    } finally {
      release.countDown();
      for (Thread t : started) {
        t.join();
      }
    }
  }

  @Test
  void aLockDeadlockIsCountedAndMonitorDeadlocksAreNot() throws InterruptedException {
    assertThat(Scrapes.of(jvm).value("jvm_threads_deadlocked")).isZero();
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    CountDownLatch bothHoldOne = new CountDownLatch(2);
    Thread t1 = new Thread(() -> lockBoth(a, b, bothHoldOne), "deadlock-1");
    Thread t2 = new Thread(() -> lockBoth(b, a, bothHoldOne), "deadlock-2");
    t1.start();
    t2.start();
    try {
      bothHoldOne.await();
      awaitState(List.of(t1, t2), Thread.State.WAITING);
      // a thread reports WAITING a moment before the JVM sees it own-and-wait; a deadlock, once
      // formed, is stable, so poll for it (bounded) instead of reading once
      Scrapes s = Scrapes.of(jvm);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (s.value("jvm_threads_deadlocked") != 2.0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
        s = Scrapes.of(jvm);
      }
      assertThat(s.value("jvm_threads_deadlocked")).isEqualTo(2.0);
      assertThat(s.value("jvm_threads_deadlocked_monitor")).isZero();
    } finally {
      t1.interrupt(); // lockInterruptibly: the deadlock ends
      t2.interrupt();
      t1.join();
      t2.join();
    }
    assertThat(Scrapes.of(jvm).value("jvm_threads_deadlocked")).isZero();
  }

  @Test
  void classCountsFollowANewClassLoader() throws Exception {
    Scrapes before = Scrapes.of(jvm);
    URL here = JvmCollectorTest.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {here}, null)) {
      Class<?> fresh = loader.loadClass(Scrapes.class.getName());
      assertThat(fresh).isNotSameAs(Scrapes.class);
      Scrapes after = Scrapes.of(jvm);
      assertThat(after.value("jvm_classes_loaded") - before.value("jvm_classes_loaded")).isGreaterThanOrEqualTo(1);
      assertThat(after.value("jvm_classes_currently_loaded"))
          .isCloseTo(ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(), within(50.0));
      assertThat(after.value("jvm_classes_unloaded"))
          .isEqualTo((double) ManagementFactory.getClassLoadingMXBean().getUnloadedClassCount());
    }
  }

  @Test
  void compilationTimeLiesBetweenTheBeansReadings() {
    var bean = ManagementFactory.getCompilationMXBean();
    double before = bean.getTotalCompilationTime() / 1000.0;
    double ours = Scrapes.of(jvm).value("jvm_compilation_time_seconds");
    assertThat(ours).isBetween(before, bean.getTotalCompilationTime() / 1000.0);
    assertThat(Scrapes.of(jvm).family("jvm_compilation_time_seconds").unit()).isEqualTo("seconds");
  }

  @Test
  void runtimeInfoCarriesVersionVendorAndRuntime() {
    List<DataPointSnapshot> points = Scrapes.of(jvm).family("jvm_runtime").dataPoints();
    assertThat(points).hasSize(1);
    Labels l = ((InfoDataPoint) points.get(0)).labels();
    assertThat(l.get("version")).isEqualTo(System.getProperty("java.runtime.version"));
    assertThat(l.get("vendor")).isEqualTo(System.getProperty("java.vm.vendor"));
    assertThat(l.get("runtime")).isEqualTo(System.getProperty("java.runtime.name"));
  }

  private static boolean hasSeries(Scrapes s, String family, Labels labels) {
    return s.family(family).dataPoints().stream().anyMatch(p -> p.labels().equals(labels));
  }

  private static void lockBoth(ReentrantLock first, ReentrantLock second, CountDownLatch bothHoldOne) {
    try {
      first.lockInterruptibly();
      try {
        bothHoldOne.countDown();
        bothHoldOne.await();
        second.lockInterruptibly();
        second.unlock();
      } finally {
        first.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitState(List<Thread> threads, Thread.State state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (threads.stream().anyMatch(t -> t.getState() != state)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("threads did not reach " + state);
      }
      Thread.sleep(5);
    }
  }
}

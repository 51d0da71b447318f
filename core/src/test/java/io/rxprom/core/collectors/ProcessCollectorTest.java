package io.rxprom.core.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import io.rxprom.core.snapshot.MetricType;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process collector against what the JDK and {@code /proc} (read here with plain string
 * parsing, independently of {@link ProcFs}) say at the same moment.
 */
class ProcessCollectorTest {

  private static final UnixOperatingSystemMXBean OS =
      (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  @BeforeAll
  static void linux() {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")),
        "these tests compare with /proc, which this system does not have");
  }

  @Test
  void onLinuxAllSixFamiliesAreReadFromProc() {
    ProcessCollector c = new ProcessCollector();
    assertThat(c.readsProc()).isTrue();
    assertThat(c.families()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "process_cpu_seconds", MetricType.COUNTER,
        "process_start_time_seconds", MetricType.GAUGE,
        "process_open_fds", MetricType.GAUGE,
        "process_max_fds", MetricType.GAUGE,
        "process_virtual_memory_bytes", MetricType.GAUGE,
        "process_resident_memory_bytes", MetricType.GAUGE));
    assertThat(Scrapes.of(c).families().keySet()).isEqualTo(c.families().keySet());
    assertThat(Scrapes.of(c).family("process_cpu_seconds").unit()).isEqualTo("seconds");
    assertThat(Scrapes.of(c).family("process_resident_memory_bytes").unit()).isEqualTo("bytes");
  }

  @Test
  void cpuSecondsLieBetweenTheJdksReadingsBeforeAndAfter() {
    ProcessCollector c = new ProcessCollector();
    burnCpu(200);
    double before = OS.getProcessCpuTime() / 1e9;
    double ours = Scrapes.of(c).value("process_cpu_seconds");
    double after = OS.getProcessCpuTime() / 1e9;
    // /proc counts in clock ticks (10 ms), the JDK in nanoseconds: utime and stime are each truncated to a tick.
    assertThat(ours).isBetween(before - 0.021, after + 0.021);
    assertThat(ours).isGreaterThan(0.2);
    burnCpu(300);
    assertThat(Scrapes.of(c).value("process_cpu_seconds")).isGreaterThan(ours + 0.25);
  }

  @Test
  void memoryMatchesProcSelfStatus() throws IOException {
    ProcessCollector c = new ProcessCollector();
    Scrapes s = Scrapes.of(c);
    long vmSizeKb = statusKb("VmSize:");
    long vmRssKb = statusKb("VmRSS:");
    assertThat(s.value("process_virtual_memory_bytes")).isCloseTo(vmSizeKb * 1024.0, within(64.0 * 1024 * 1024));
    assertThat(s.value("process_resident_memory_bytes")).isCloseTo(vmRssKb * 1024.0, within(32.0 * 1024 * 1024));
    assertThat(s.value("process_resident_memory_bytes")).isLessThan(s.value("process_virtual_memory_bytes"));
  }

  @Test
  void residentMemoryGrowsWhenMemoryIsTouched() {
    ProcessCollector c = new ProcessCollector();
    double before = Scrapes.of(c).value("process_resident_memory_bytes");
    java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(64 << 20);
    for (int i = 0; i < direct.capacity(); i += 4096) {
      direct.put(i, (byte) 1); // fault every page in
    }
    double after = Scrapes.of(c).value("process_resident_memory_bytes");
    assertThat(after - before).isGreaterThan(48.0 * 1024 * 1024);
    assertThat(direct.get(4096)).isEqualTo((byte) 1);
  }

  @Test
  void startTimeMatchesProcessHandle() {
    double expected = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() / 1000.0;
    double ours = Scrapes.of(new ProcessCollector()).value("process_start_time_seconds");
    assertThat(ours).isCloseTo(expected, within(0.02));
    double jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
    assertThat(ours).isBetween(jvmStart - 10, jvmStart + 0.02);
  }

  @Test
  void openFdsFollowFilesOpenedAndClosed(@TempDir Path dir) throws IOException {
    ProcessCollector c = new ProcessCollector();
    double before = Scrapes.of(c).value("process_open_fds");
    assertThat(before).isCloseTo(countProcSelfFd(), within(2.0));
    assertThat(before).isCloseTo(OS.getOpenFileDescriptorCount(), within(2.0));

    List<FileChannel> open = new ArrayList<>();
    try {
      for (int i = 0; i < 25; i++) {
        open.add(FileChannel.open(dir.resolve("f" + i), StandardOpenOption.CREATE, StandardOpenOption.WRITE));
      }
      double during = Scrapes.of(c).value("process_open_fds");
      assertThat(during - before).isCloseTo(25, within(2.0));
      assertThat(during).isCloseTo(countProcSelfFd(), within(2.0));
    } finally {
      for (FileChannel ch : open) {
        ch.close();
      }
    }
    assertThat(Scrapes.of(c).value("process_open_fds")).isCloseTo(before, within(2.0));
  }

  @Test
  void maxFdsIsTheSoftLimitTheJdkReports() {
    double ours = Scrapes.of(new ProcessCollector()).value("process_max_fds");
    assertThat(ours).isEqualTo((double) OS.getMaxFileDescriptorCount());
  }

  @Test
  void withoutProcTheJdkBeanGivesCpuAndDescriptorsAndMemoryIsLeftOut() {
    ProcessCollector c = new ProcessCollector(null, true);
    assertThat(c.readsProc()).isFalse();
    assertThat(c.families()).containsOnlyKeys(
        "process_cpu_seconds", "process_start_time_seconds", "process_open_fds", "process_max_fds");
    Scrapes s = Scrapes.of(c);
    assertThat(s.families().keySet()).isEqualTo(c.families().keySet());
    double cpuBefore = OS.getProcessCpuTime() / 1e9;
    double cpu = Scrapes.of(c).value("process_cpu_seconds");
    assertThat(cpu).isBetween(cpuBefore, OS.getProcessCpuTime() / 1e9);
    assertThat(s.value("process_max_fds")).isEqualTo((double) OS.getMaxFileDescriptorCount());
    assertThat(s.value("process_open_fds")).isCloseTo(countProcSelfFd(), within(2.0));
    double expectedStart = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() / 1000.0;
    assertThat(s.value("process_start_time_seconds")).isCloseTo(expectedStart, within(0.001));
  }

  @Test
  void whatCannotBeReadIsLeftOutNotFaked(@TempDir Path emptyProc) {
    ProcessCollector c = new ProcessCollector(emptyProc, false);
    assertThat(c.families()).containsOnlyKeys("process_start_time_seconds");
    assertThat(Scrapes.of(c).families()).containsOnlyKeys("process_start_time_seconds");
  }

  @Test
  void parsesACommandNameWithSpacesAndParentheses(@TempDir Path proc) throws IOException {
    Path self = Files.createDirectories(proc.resolve("self"));
    Files.createDirectories(self.resolve("fd"));
    Files.write(self.resolve("auxv"), Files.readAllBytes(Path.of("/proc/self/auxv")));
    // pid (comm) state ppid ... utime=250 stime=50 ... starttime=1000 vsize=4096000 rss=300
    String fields = "S 1 1 1 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 2 0 1000 4096000 300 18446744073709551615";
    Files.writeString(self.resolve("stat"), "4242 (a) b (c)) " + fields + " 0 0\n");
    Files.writeString(self.resolve("limits"),
        "Limit                     Soft Limit           Hard Limit           Units     \n"
            + "Max open files            unlimited            unlimited            files     \n");
    Files.writeString(proc.resolve("stat"), "cpu  1 2 3\nbtime 1700000000\nprocesses 5\n");

    ProcessCollector c = new ProcessCollector(proc, false);
    Scrapes s = Scrapes.of(c);
    long ticks = ProcFs.auxv(ProcFs.read(Path.of("/proc/self/auxv"), 512), ProcFs.AT_CLKTCK, ProcFs.wordSize());
    long page = ProcFs.auxv(ProcFs.read(Path.of("/proc/self/auxv"), 512), ProcFs.AT_PAGESZ, ProcFs.wordSize());
    assertThat(ticks).isEqualTo(100); // USER_HZ on Linux
    assertThat(page).isEqualTo(4096);
    assertThat(s.value("process_cpu_seconds")).isEqualTo(3.0);
    assertThat(s.value("process_virtual_memory_bytes")).isEqualTo(4096000.0);
    assertThat(s.value("process_resident_memory_bytes")).isEqualTo(300.0 * 4096);
    assertThat(s.value("process_start_time_seconds")).isEqualTo(1700000010.0);
    assertThat(s.value("process_max_fds")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(s.value("process_open_fds")).isEqualTo(0.0);
  }

  private static long countProcSelfFd() {
    String[] names = new File("/proc/self/fd").list(); // its own descriptor is listed too
    return names.length - 1;
  }

  private static long statusKb(String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    throw new AssertionError("no " + key + " in /proc/self/status");
  }

  private static void burnCpu(long millis) {
    long threadStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long x = 0;
    while (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadStart < millis * 1_000_000L) {
      for (int i = 0; i < 100_000; i++) {
        x += i * 31L ^ x;
      }
    }
    if (x == 42) {
      System.out.print("");
    }
  }
}

package io.rxprom.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child process started by this module: its output goes to a log file, it is tracked so that a
 * JVM shutdown hook kills it if a test forgot to, and it is stopped by its own process id.
 */
final class ManagedProcess {

    /** Grace period between SIGTERM and SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private static final Set<ManagedProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final Set<Path> TEMP_DIRS = ConcurrentHashMap.newKeySet();

    static {
        Thread reaper = new Thread(ManagedProcess::reapAll, "rxprom-test-support-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final long logStart;

    private ManagedProcess(String name, Process process, Path log, long logStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /**
     * Starts a long-running peer; stdout and stderr are both appended to {@code log}.
     */
    static ManagedProcess start(String name, List<String> command, Path workDir, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return launch(name, pb, log);
    }

    private static ManagedProcess launch(String name, ProcessBuilder pb, Path log) {
        try {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            appendLine(log, "### rxprom-test-support: starting " + String.join(" ", pb.command()));
            ManagedProcess mp = new ManagedProcess(name, pb.start(), log, logStart);
            LIVE.add(mp);
            return mp;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    String logTail() {
        return tail(log);
    }

    /** The log written since this process was started (earlier runs may share the file). */
    String logOfThisRun() {
        try (RandomAccessFile raf = new RandomAccessFile(log.toFile(), "r")) {
            long len = raf.length();
            if (len <= logStart) {
                return "";
            }
            byte[] buf = new byte[(int) Math.min(len - logStart, 16L << 20)];
            raf.seek(logStart);
            raf.readFully(buf);
            return new String(buf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Polls {@code ready} every 100 ms until it returns true, the process dies, or the timeout
     * passes. On failure the process is stopped and an exception carrying the log tail is thrown
     * ({@link PortInUseException} when the log says the address was already in use).
     */
    void awaitReady(String what, Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                int code = process.exitValue();
                stop();
                String tail = logTail();
                String msg = name + " exited with code " + code + " before " + what + "; log tail:\n" + tail;
                if (tail.toLowerCase(Locale.ROOT).contains("already in use")) {
                    throw new PortInUseException(msg);
                }
                throw new IllegalStateException(msg);
            }
            if (ready.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                stop();
                throw new IllegalStateException(name + " did not reach " + what + " within " + timeout
                        + "; log tail:\n" + logTail());
            }
            sleep(100);
        }
    }

    /** Sends SIGTERM, waits up to {@link #STOP_GRACE}, then SIGKILL; also kills leftover descendants. */
    void stop() {
        stop(STOP_GRACE);
    }

    void stop(Duration grace) {
        List<ProcessHandle> kids = descendants(process.toHandle());
        try {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                appendLine(log, "### rxprom-test-support: " + name + " ignored SIGTERM for " + grace + ", killing");
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            killAll(kids);
            LIVE.remove(this);
        }
    }

    /** Result of a one-shot command. */
    record RunResult(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs a short command to completion with {@code stdin} as its standard input, bounded by
     * {@code timeout}; on timeout it is killed and an exception with its stderr tail is thrown.
     */
    static RunResult run(String name, List<String> command, byte[] stdin, Duration timeout) {
        Path dir = createTempDir("rxprom-" + sanitize(name) + "-run-");
        try {
            Path in = dir.resolve("stdin");
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            Files.write(in, stdin == null ? new byte[0] : stdin);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectInput(in.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            ManagedProcess mp = launch(name, pb, err);
            boolean done;
            try {
                done = mp.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                mp.stop(Duration.ofSeconds(1));
                throw new IllegalStateException("interrupted while running " + name, e);
            }
            if (!done) {
                mp.stop(Duration.ofSeconds(2));
                throw new IllegalStateException(name + " did not finish within " + timeout
                        + "; command: " + String.join(" ", command) + "; stderr tail:\n" + tail(err)
                        + "\nstdout tail:\n" + tail(out));
            }
            mp.stop(Duration.ofSeconds(2)); // reaps leftover descendants, if any
            return new RunResult(mp.process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Creates a temporary directory that is deleted at JVM exit if nobody deleted it before. */
    static Path createTempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            TEMP_DIRS.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree, ignoring files that vanish meanwhile; never throws. */
    static void deleteRecursively(Path dir) {
        TEMP_DIRS.remove(dir);
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    try {
                        Files.deleteIfExists(d);
                    } catch (java.nio.file.DirectoryNotEmptyException ignored) {
                        // a process still writing; the shutdown hook tries again
                        TEMP_DIRS.add(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException ignored) {
            // gone already
        } catch (IOException e) {
            TEMP_DIRS.add(dir);
        }
    }

    /** The last 40 lines (at most 8 KiB) of a text file, or a note if it cannot be read. */
    static String tail(Path file) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            int n = (int) Math.min(len, 8192);
            byte[] buf = new byte[n];
            raf.seek(len - n);
            raf.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8);
            String[] lines = text.split("\r?\n", -1);
            int from = Math.max(0, lines.length - 41);
            return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length)).strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void appendLine(Path file, String line) {
        try {
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // best effort
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static List<ProcessHandle> descendants(ProcessHandle h) {
        try {
            return new ArrayList<>(h.descendants().toList());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static void killAll(List<ProcessHandle> handles) {
        for (ProcessHandle h : handles) {
            if (h.isAlive()) {
                h.destroy();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (ProcessHandle h : handles) {
            while (h.isAlive() && System.nanoTime() - deadline < 0) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }

    private static void reapAll() {
        List<ProcessHandle> all = new ArrayList<>();
        for (ManagedProcess mp : LIVE) {
            all.addAll(descendants(mp.process.toHandle()));
            all.add(mp.process.toHandle());
        }
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (ProcessHandle h : all) {
            while (h.isAlive() && System.nanoTime() - deadline < 0) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
        for (Path dir : List.copyOf(TEMP_DIRS)) {
            deleteRecursively(dir);
        }
    }

    /** A peer exited at start-up because its port was taken; the caller retries on new ports. */
    static final class PortInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortInUseException(String message) {
            super(message);
        }
    }
}

package io.rxprom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Headless Chromium (Debian's {@code chromium}) for looking at pages the way a person would. Each
 * call runs a fresh browser with a new, afterwards deleted, profile folder, bounded to 60 s, with
 * {@code --virtual-time-budget} so that scripts and timers of the page run before the capture.
 */
public final class Chromium {

    /** Upper bound for one browser run. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Virtual time given to the page before the capture, in milliseconds. */
    public static final int VIRTUAL_TIME_BUDGET_MS = 3000;

    private Chromium() {
    }

    /**
     * Loads {@code url} in a {@code width} x {@code height} window and saves a PNG screenshot.
     *
     * @param url    the page (http on loopback, {@code data:} or {@code file:})
     * @param png    where to write the PNG; parent folders are created
     * @param width  viewport width in pixels
     * @param height viewport height in pixels
     * @return {@code png}
     * @throws IllegalStateException if Chromium fails or writes no file; the message has its stderr tail
     */
    public static Path screenshot(String url, Path png, int width, int height) {
        Path target = png.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ManagedProcess.RunResult r = run(url, "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--screenshot=" + target);
        try {
            if (r.exitCode() != 0 || !Files.exists(target) || Files.size(target) == 0) {
                throw new IllegalStateException("chromium made no screenshot of " + url + " (exit " + r.exitCode()
                        + "); stderr tail:\n" + tailOf(r.stderr()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /**
     * Loads {@code url} and returns the DOM as HTML after the page's scripts ran.
     *
     * @param url the page (http on loopback, {@code data:} or {@code file:})
     * @return the serialised DOM
     * @throws IllegalStateException if Chromium fails; the message has its stderr tail
     */
    public static String dumpDom(String url) {
        ManagedProcess.RunResult r = run(url, "--dump-dom");
        if (r.exitCode() != 0) {
            throw new IllegalStateException("chromium could not dump the DOM of " + url + " (exit " + r.exitCode()
                    + "); stderr tail:\n" + tailOf(r.stderr()));
        }
        return r.stdout();
    }

    private static ManagedProcess.RunResult run(String url, String... extra) {
        Path chromium = Peers.require("chromium");
        Path profile = ManagedProcess.createTempDir("rxprom-chromium-");
        try {
            List<String> cmd = new ArrayList<>(List.of(chromium.toString(),
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile,
                    "--virtual-time-budget=" + VIRTUAL_TIME_BUDGET_MS));
            cmd.addAll(List.of(extra));
            cmd.add(url);
            return ManagedProcess.run("chromium", cmd, new byte[0], TIMEOUT);
        } finally {
            ManagedProcess.deleteRecursively(profile);
        }
    }

    private static String tailOf(String text) {
        String[] lines = text.split("\n");
        int from = Math.max(0, lines.length - 30);
        return String.join("\n", List.of(lines).subList(from, lines.length));
    }
}

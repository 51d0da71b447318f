package io.rxprom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;

class CarbonTest {

    private static boolean has(List<Carbon.Point> points, long ts, double v) {
        return points.stream().anyMatch(p -> p.timestamp() == ts && Objects.equals(p.value(), v));
    }

    @Test
    void storesALineAndSurvivesRestart() {
        try (Carbon carbon = Carbon.start()) {
            long now = System.currentTimeMillis() / 1000;
            carbon.send("a.b.c 42 " + now);
            carbon.awaitFetch("a.b.c", now - 5, p -> has(p, now, 42.0), Duration.ofSeconds(15));
            assertThat(carbon.whisperFile("a.b.c")).exists();
            assertThat(carbon.fetch("no.such.metric", now)).isEmpty();

            int port = carbon.linePort();
            carbon.stop();
            assertThat(carbon.isRunning()).isFalse();
            carbon.restart();
            assertThat(carbon.isRunning()).isTrue();
            assertThat(carbon.linePort()).isEqualTo(port);

            // a slot of its own (the schema keeps 1-second slots), and not in the future: whisper drops those
            long later = Math.max(now + 1, System.currentTimeMillis() / 1000);
            carbon.send("a.b.c 43 " + later);
            List<Carbon.Point> points = carbon.awaitFetch("a.b.c", now - 5,
                    p -> has(p, later, 43.0), Duration.ofSeconds(15));
            assertThat(has(points, now, 42.0)).as("value written before the restart").isTrue();
            assertThat(points).anyMatch(p -> p.value() == null);
        }
    }

    @Test
    void closeDeletesTheData() {
        Carbon carbon = Carbon.start();
        java.nio.file.Path dir = carbon.whisperDir();
        carbon.close();
        assertThat(carbon.isRunning()).isFalse();
        assertThat(Files.exists(dir)).isFalse();
    }
}

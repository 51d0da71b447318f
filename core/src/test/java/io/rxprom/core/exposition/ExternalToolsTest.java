package io.rxprom.core.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ExternalToolsTest {

  @Test
  void aMissingToolSkipsOutsideCi_andFailsNamingItUnderCi() {
    assertThatThrownBy(() -> ExternalTools.missing("binary 'nope'", false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("binary 'nope'").hasMessageContaining("skipping");
    assertThatThrownBy(() -> ExternalTools.missing("binary 'nope'", true))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("binary 'nope'").hasMessageContaining("CI=true");
  }

  @Test
  void runCapturesOutputAndExitCode() {
    ExternalTools.Result r = ExternalTools.run(
        List.of("/bin/sh", "-c", "cat; echo err >&2; exit 3"),
        "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8), Duration.ofSeconds(30));
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("hello");
    assertThat(r.stderr()).isEqualTo("err\n");
  }

  @Test
  void runGivesUpAfterItsTimeout() {
    assertThatThrownBy(() -> ExternalTools.run(List.of("/bin/sleep", "30"), null,
        Duration.ofMillis(300)))
        .isInstanceOf(AssertionFailedError.class).hasMessageContaining("timed out");
  }
}

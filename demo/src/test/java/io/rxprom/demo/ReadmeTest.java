package io.rxprom.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the root README honest: every {@code ```java} block in it is code that {@link
 * ReadmeSamplesTest} compiles and runs, its two commands are the ones CI and the demo use, and
 * its relative links lead to files that exist.
 */
class ReadmeTest {

  /** Surefire runs in the module's folder; the README is the repository's. */
  static final Path ROOT = Path.of("..");

  static final Path README = ROOT.resolve("README.md");
  static final Path SAMPLES = Path.of("src", "test", "java", "io", "rxprom", "demo", "ReadmeSamplesTest.java");

  static final String RUN_DEMO = "mvn -B -q -DskipTests package && java -jar demo/target/rxprom-demo.jar";
  static final String RUN_TESTS = "mvn -B verify";

  private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```\\s*$");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  /** The code of each fenced block with the given info string ({@code java}, or "" for none). */
  static List<String> blocks(String markdown, String language) {
    List<String> out = new ArrayList<>();
    Matcher m = FENCE.matcher(markdown);
    while (m.find()) {
      if (m.group(1).equals(language)) {
        out.add(m.group(2));
      }
    }
    return out;
  }

  /** The text without any whitespace, so that layout does not matter. */
  static String squash(String s) {
    return s.replaceAll("\\s+", "");
  }

  @Test
  void everyJavaBlockIsCodeThatReadmeSamplesTestRuns() throws IOException {
    List<String> java = blocks(read(README), "java");
    assertThat(java).hasSizeGreaterThanOrEqualTo(5);
    String samples = squash(read(SAMPLES));
    for (String block : java) {
      assertThat(samples)
          .as("this README block is not in %s (modulo whitespace):%n%s", SAMPLES, block)
          .contains(squash(block));
    }
  }

  @Test
  void theTwoCommandsAreTheOnesTheDemoAndCiUse() throws IOException {
    List<String> plain = blocks(read(README), "");
    assertThat(plain).contains(RUN_DEMO + "\n", RUN_TESTS + "\n");
    // CI runs exactly the README's test command.
    List<String> ci = read(ROOT.resolve(".ci").resolve("run")).lines().map(String::strip).toList();
    assertThat(ci).contains(RUN_TESTS);
    // And the first command's jar is the one this module's build makes.
    assertThat(read(Path.of("pom.xml"))).contains("<finalName>rxprom-demo</finalName>");
  }

  @Test
  void relativeLinksLeadToFilesThatExist() throws IOException {
    Matcher m = LINK.matcher(read(README));
    int relative = 0;
    while (m.find()) {
      String target = m.group(1).replaceFirst("#.*$", "");
      if (target.isEmpty() || target.matches("^[a-z]+:.*")) {
        continue;
      }
      relative++;
      assertThat(ROOT.resolve(target)).as("README link " + m.group(1)).exists();
    }
    assertThat(relative).isPositive();
  }

  @Test
  void blocksAreFoundTheWayTheCheckAssumes() {
    String md = "text\n```java\nint a = 1;\n```\n\n```\nmvn x\n```\n```yaml\nk: v\n```\n";
    assertThat(blocks(md, "java")).containsExactly("int a = 1;\n");
    assertThat(blocks(md, "")).containsExactly("mvn x\n");
    assertThat(squash(" a\n  b\tc ")).isEqualTo("abc");
  }
}

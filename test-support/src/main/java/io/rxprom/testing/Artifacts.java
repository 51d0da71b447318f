package io.rxprom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder where tests keep what a person may want to look at afterwards (screenshots, dumps).
 */
public final class Artifacts {

    /** Environment variable that overrides the folder; the parent pom sets it for Surefire. */
    public static final String ENV = "RXPROM_TEST_ARTIFACTS";

    private Artifacts() {
    }

    /**
     * Returns the artifacts folder, creating it if needed: {@code $RXPROM_TEST_ARTIFACTS} when set
     * and not blank, otherwise {@code target/test-artifacts} under the working directory.
     *
     * @return an absolute path to an existing directory
     */
    public static Path dir() {
        String env = System.getenv(ENV);
        Path dir = (env == null || env.isBlank()) ? Path.of("target", "test-artifacts") : Path.of(env);
        try {
            return Files.createDirectories(dir.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create artifacts folder " + dir, e);
        }
    }
}

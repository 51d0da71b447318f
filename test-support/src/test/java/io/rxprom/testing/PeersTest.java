package io.rxprom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class PeersTest {

    @Test
    void missingPeerFailsOnCiNamingBinaryAndPackage() {
        assertThatThrownBy(() -> Peers.require("rxprom-no-such-binary", "rxprom-no-such-package", true))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("rxprom-no-such-binary")
                .hasMessageContaining("rxprom-no-such-package");
    }

    @Test
    void missingPeerSkipsOutsideCi() {
        assertThatThrownBy(() -> Peers.require("rxprom-no-such-binary", "rxprom-no-such-package", false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("skipped because the peer is missing".substring(1))
                .hasMessageContaining("rxprom-no-such-binary");
    }

    @Test
    void knowsThePackagesOfThePeers() {
        assertThat(Peers.packageFor("carbon-cache")).isEqualTo("graphite-carbon");
        assertThat(Peers.packageFor("/usr/bin/promtool")).isEqualTo("prometheus");
        assertThat(Peers.packageFor("whisper-fetch")).isEqualTo("python3-whisper");
    }

    @Test
    void findsInstalledExecutables() {
        Path sh = Peers.require("sh");
        assertThat(Files.isExecutable(sh)).isTrue();
    }

    @Test
    void freePortsAreDistinctAndArtifactsDirExists() {
        int a = Ports.freePort();
        int b = Ports.freePort();
        assertThat(a).isNotEqualTo(b).isBetween(1, 65535);
        assertThat(Files.isDirectory(Artifacts.dir())).isTrue();
    }
}

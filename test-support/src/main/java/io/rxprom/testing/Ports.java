package io.rxprom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free TCP ports on the loopback interface.
 *
 * <p>A port is only known to be free at the moment it is picked; the peers in this package
 * therefore retry on new ports when a start-up fails with "address already in use".
 */
public final class Ports {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * Returns a TCP port on 127.0.0.1 that was free a moment ago, chosen by the kernel through
     * {@code new ServerSocket(0)}. Ports already returned by this JVM are not returned again
     * (unless the kernel runs out of others), so peers started together do not collide.
     *
     * @return a port number between 1024 and 65535
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = probe();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        return probe();
    }

    private static int probe() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on loopback", e);
        }
    }
}

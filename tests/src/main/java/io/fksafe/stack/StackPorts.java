package io.fksafe.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** The local stack's ports on 127.0.0.1, one per service, kept in {@code .fksafe/ports.properties}. */
final class StackPorts {

    private final Properties ports;

    private StackPorts(Properties ports) {
        this.ports = ports;
    }

    int port(String service) {
        return Integer.parseInt(ports.getProperty(service));
    }

    /** Ports chosen once, on the first {@code up}, and kept: the connectors' configs and Kafka's metadata name them. */
    static StackPorts loadOrAllocate(Path home) throws IOException {
        Path file = home.resolve("ports.properties");
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        boolean changed = false;
        for (String s : List.of("source", "target", "kafka", "controller", "connect")) {
            if (p.getProperty(s) == null) {
                try (ServerSocket ss = new ServerSocket()) {
                    ss.bind(new InetSocketAddress("127.0.0.1", 0));
                    p.setProperty(s, Integer.toString(ss.getLocalPort()));
                }
                changed = true;
            }
        }
        if (changed) {
            try (var o = Files.newOutputStream(file)) {
                p.store(o, "ports of the local stack, chosen on the first ./fksafe up");
            }
        }
        return new StackPorts(p);
    }

    static void requireFree(String what, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
        } catch (IOException free) {
            return;
        }
        throw new IOException("port " + port + " (" + what + ") is taken by another process; stop it, or run "
                + "./fksafe down and remove .fksafe/ports.properties to choose new ports");
    }
}

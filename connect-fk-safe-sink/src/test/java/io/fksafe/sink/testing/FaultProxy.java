package io.fksafe.sink.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 between the sink and the database that a test controls: refuse new connections, drop
 * every open one, or cut the connection when the client sends a given statement — before forwarding it (the server
 * never sees it) or right after (the server runs it, the client never hears back). Deterministic: the fault fires
 * on the statement itself, not after a delay.
 */
public final class FaultProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger fired = new AtomicInteger();
    private volatile ServerSocket server;
    private volatile byte[] marker;
    private volatile boolean afterForward;
    private volatile boolean closed;
    private volatile boolean refusing;

    public FaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = listen(0);
        this.port = server.getLocalPort();
        startAccepting(server);
    }

    public String url() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/";
    }

    /**
     * Closes the listening socket: new connections are refused by the OS, open ones live on. A connection the closing
     * listener still accepts (a thread blocked in accept() can race the close) is reset at once, never forwarded.
     */
    public void refuseNewConnections() throws IOException {
        refusing = true;
        server.close();
    }

    public void acceptConnections() throws IOException {
        refusing = false;
        if (server.isClosed()) {
            server = listen(port);
            startAccepting(server);
        }
    }

    /** Drops every open connection, as a network failure or a restarted server would. */
    public void dropAll() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** Arms a one-shot cut: when the client next sends bytes containing {@code statementText}. */
    public void cutWhenClientSends(String statementText, boolean afterForwarding) {
        this.afterForward = afterForwarding;
        this.marker = statementText.getBytes(StandardCharsets.UTF_8);
    }

    public int faultsFired() {
        return fired.get();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void startAccepting(ServerSocket listener) {
        Thread t = new Thread(() -> {
            while (!listener.isClosed() && !closed) {
                try {
                    Socket client = listener.accept();
                    if (refusing) {
                        closeQuietly(client);
                        continue;
                    }
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(upstream);
                    java.util.concurrent.atomic.AtomicBoolean muted = new java.util.concurrent.atomic.AtomicBoolean();
                    pump(client, upstream, true, muted);
                    pump(upstream, client, false, muted);
                } catch (IOException e) {
                    return; // listener closed
                }
            }
        }, "fault-proxy-accept-" + port);
        t.setDaemon(true);
        t.start();
    }

    /** {@code muted}: the server's answers to this client are swallowed (the statement ran, the reply is lost). */
    private void pump(Socket from, Socket to, boolean clientToServer, java.util.concurrent.atomic.AtomicBoolean muted) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    byte[] m = clientToServer ? marker : null;
                    boolean cut = m != null && contains(buf, n, m);
                    if (cut && !afterForward) {
                        fire(from, to);
                        return;
                    }
                    if (cut) {
                        muted.set(true);
                    }
                    if (!clientToServer && muted.get()) {
                        continue;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    if (cut) {
                        pauseForServer();
                        fire(from, to);
                        return;
                    }
                }
            } catch (IOException e) {
                // either side went away: close the pair
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** After forwarding, give the server time to run the statement before the client loses its answer. */
    private static void pauseForServer() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fire(Socket a, Socket b) {
        marker = null;
        fired.incrementAndGet();
        closeQuietly(a);
        closeQuietly(b);
    }

    private static boolean contains(byte[] buf, int len, byte[] m) {
        outer:
        for (int i = 0; i + m.length <= len; i++) {
            for (int j = 0; j < m.length; j++) {
                if (buf[i + j] != m[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        dropAll();
    }
}

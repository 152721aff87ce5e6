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
 * on the statement itself, not after a delay: a cut after forwarding waits until the server's reply reached the
 * proxy (and was dropped), so the server has run the statement.
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
    private volatile boolean holding;
    private volatile Held held;

    /** One client connection's server side: whether its replies are dropped, and whether one has come since. */
    private static final class Link {
        volatile boolean muted;
        final java.util.concurrent.CountDownLatch replyDropped = new java.util.concurrent.CountDownLatch(1);
    }

    /** A statement kept from the server, its connection to the server left open, the client's side closed. */
    private record Held(byte[] bytes, Socket upstream, Link link) {}

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

    /**
     * Arms a one-shot hold: when the client next sends bytes containing {@code statementText}, its connection is
     * closed but the statement is kept, not sent, and the server's side stays open (the transaction stays open
     * there) until {@link #releaseHeld}: a COMMIT still in flight when the client has given up on it.
     */
    public void holdWhenClientSends(String statementText) {
        this.holding = true;
        this.afterForward = false;
        this.marker = statementText.getBytes(StandardCharsets.UTF_8);
    }

    public boolean isHolding() {
        return held != null;
    }

    /** Sends the held statement to the server and returns once the server's reply arrived (and was dropped). */
    public void releaseHeld() throws IOException, InterruptedException {
        Held h = held;
        held = null;
        h.upstream.getOutputStream().write(h.bytes);
        h.upstream.getOutputStream().flush();
        awaitReply(h.link);
        closeQuietly(h.upstream);
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
        Thread t = new Thread(
                () -> {
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
                            Link link = new Link();
                            pump(client, upstream, true, link);
                            pump(upstream, client, false, link);
                        } catch (IOException e) {
                            return; // listener closed
                        }
                    }
                },
                "fault-proxy-accept-" + port);
        t.setDaemon(true);
        t.start();
    }

    /** {@code link.muted}: the server's answers to this client are dropped (the statement ran, the reply is lost). */
    private void pump(Socket from, Socket to, boolean clientToServer, Link link) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[64 * 1024];
                    boolean keepUpstream = false;
                    try {
                        InputStream in =
                                from.getInputStream(); // not closed by hand: closing a socket's stream closes the
                        // socket
                        OutputStream out = to.getOutputStream();
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            byte[] m = clientToServer ? marker : null;
                            boolean cut = m != null && contains(buf, n, m);
                            if (cut && holding) {
                                link.muted = true;
                                held = new Held(java.util.Arrays.copyOf(buf, n), to, link);
                                holding = false;
                                keepUpstream = true;
                                fire(from);
                                return;
                            }
                            if (cut && !afterForward) {
                                fire(from, to);
                                return;
                            }
                            if (cut) {
                                link.muted = true;
                            }
                            if (!clientToServer && link.muted) {
                                link.replyDropped.countDown();
                                continue;
                            }
                            out.write(buf, 0, n);
                            out.flush();
                            if (cut) {
                                awaitReply(link); // the server ran it: now the client loses its answer
                                fire(from, to);
                                return;
                            }
                        }
                    } catch (IOException e) {
                        // either side went away: close the pair
                    } finally {
                        closeQuietly(from);
                        if (!keepUpstream) {
                            closeQuietly(to);
                        }
                    }
                },
                "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void awaitReply(Link link) {
        try {
            if (!link.replyDropped.await(120, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the server did not answer the statement within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fire(Socket... sockets) {
        marker = null;
        fired.incrementAndGet();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
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
        Held h = held;
        if (h != null) {
            closeQuietly(h.upstream);
        }
        dropAll();
    }
}

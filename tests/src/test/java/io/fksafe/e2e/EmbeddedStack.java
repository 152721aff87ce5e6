package io.fksafe.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import io.fksafe.stack.ConfigProviders;
import io.fksafe.stack.ConnectRest;
import io.fksafe.stack.Db;
import io.fksafe.stack.MariaDbServer;
import io.fksafe.stack.Stack;
import io.fksafe.stack.StackEnv;

/**
 * The e2e tests' stack: source MariaDB (ROW binlog) and target MariaDB as child processes on 127.0.0.1, and an
 * EmbeddedConnectCluster (a real KRaft broker and a real distributed worker with its REST API) whose plugin.path holds
 * the fksafe sink's archive and Debezium's plugin archives, found with {@code plugin.discovery=service_load}. The test
 * JVM's class path has no JDBC driver, as a worker's must not.
 */
final class EmbeddedStack implements Stack, AutoCloseable {

    static final Path PLUGINS =
            Path.of(System.getProperty("fksafe.plugins", "target/plugins")).toAbsolutePath();
    static final Path CONFIG =
            Path.of(System.getProperty("fksafe.config", "../config")).toAbsolutePath();
    static final Path WORK =
            Path.of(System.getProperty("fksafe.work", "target/e2e")).toAbsolutePath();
    static final String USER = "fksafe";
    /**
     * The shipped configs name their passwords ({@code ${env:SOURCE_PASSWORD}}); the worker runs in this JVM, so its
     * environment provider reads this JVM's environment, which the tests module's failsafe configuration sets.
     */
    static final String SOURCE_PASSWORD = requiredEnv("SOURCE_PASSWORD");

    static final String TARGET_PASSWORD = requiredEnv("TARGET_PASSWORD");

    private final MariaDbServer sourceDb;
    private final MariaDbServer targetDb;
    private final EmbeddedConnectCluster connect;
    /** The REST API of a worker still in the cluster (a test may remove the one it first was), and its URL. */
    private ConnectRest rest;

    private String restEndpoint;

    private EmbeddedStack(MariaDbServer sourceDb, MariaDbServer targetDb, EmbeddedConnectCluster connect) {
        this.sourceDb = sourceDb;
        this.targetDb = targetDb;
        this.connect = connect;
        this.restEndpoint = connect.endpointForResource("");
        this.rest = new ConnectRest(restEndpoint);
    }

    static EmbeddedStack start(String name) {
        Db.useDriverFrom(PLUGINS);
        Path dir = WORK.resolve(name + "-" + System.currentTimeMillis());
        MariaDbServer source =
                new MariaDbServer("source", WORK.resolve("mariadb"), dir.resolve("source"), freePort(), true);
        MariaDbServer target =
                new MariaDbServer("target", WORK.resolve("mariadb"), dir.resolve("target"), freePort(), false);
        EmbeddedConnectCluster connect = null;
        try {
            Files.createDirectories(dir);
            source.start(Duration.ofMinutes(2));
            target.start(Duration.ofMinutes(2));
            source.ensureAccount(USER, SOURCE_PASSWORD);
            target.ensureAccount(USER, TARGET_PASSWORD);
            Path secrets = dir.resolve("secrets.properties"); // for ${file:...} references
            Files.writeString(
                    secrets, "source.password=" + SOURCE_PASSWORD + "\ntarget.password=" + TARGET_PASSWORD + "\n");
            Map<String, String> worker = new HashMap<>(); // the cluster adds its own keys to this map
            worker.put("plugin.path", PLUGINS.toString());
            worker.put("plugin.discovery", "service_load");
            worker.put("listeners", "http://127.0.0.1:0");
            worker.put("rest.advertised.host.name", "127.0.0.1");
            worker.put("offset.flush.interval.ms", "1000");
            worker.put("scheduled.rebalance.max.delay.ms", "0");
            worker.put("connector.client.config.override.policy", "All");
            worker.putAll(ConfigProviders.workerSettings(secrets));
            connect = new EmbeddedConnectCluster.Builder()
                    .name(name)
                    .numWorkers(1)
                    .numBrokers(1)
                    .workerProps(worker)
                    .build();
            connect.start();
            return new EmbeddedStack(source, target, connect);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (connect != null) {
                connect.stop();
            }
            source.stop(); // kept for a look at their logs
            target.stop();
            throw new IllegalStateException("could not start the e2e stack: " + e.getMessage(), e);
        }
    }

    EmbeddedConnectCluster cluster() {
        return connect;
    }

    @Override
    public Db source() {
        return new Db("source", "127.0.0.1", sourceDb.port(), USER, SOURCE_PASSWORD);
    }

    @Override
    public Db target() {
        return new Db("target", "127.0.0.1", targetDb.port(), USER, TARGET_PASSWORD);
    }

    @Override
    public synchronized ConnectRest connect() {
        String live = connect.endpointForResource("");
        if (!live.equals(restEndpoint)) {
            restEndpoint = live;
            rest = new ConnectRest(live);
        }
        return rest;
    }

    @Override
    public String kafkaBootstrap() {
        return connect.kafka().bootstrapServers();
    }

    @Override
    public Path configDir() {
        return CONFIG;
    }

    @Override
    public StackEnv env() {
        String url = connect().url();
        return new StackEnv(
                "127.0.0.1",
                sourceDb.port(),
                USER,
                SOURCE_PASSWORD,
                "127.0.0.1",
                targetDb.port(),
                USER,
                TARGET_PASSWORD,
                kafkaBootstrap(),
                url,
                "fksafe-source",
                "fksafe-sink");
    }

    @Override
    public long workerPid() {
        return ProcessHandle.current().pid(); // the embedded worker runs in the test JVM
    }

    @Override
    public void close() {
        try {
            connect.stop();
        } finally {
            sourceDb.stopAndDelete();
            targetDb.stopAndDelete();
        }
    }

    private static String requiredEnv(String name) {
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException(
                    name + " is not set: the e2e tests' Connect worker resolves the ${env:" + name
                            + "} references of config/*.json from its environment (run them through Maven: failsafe sets it)");
        }
        return v;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

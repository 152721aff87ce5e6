package io.fksafe.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * The launcher's stack: four background processes on 127.0.0.1 that outlive {@code ./fksafe up} — source MariaDB
 * (ROW binlog), target MariaDB, a KRaft Kafka broker and a distributed Connect worker with its REST API — all state
 * under {@code .fksafe/}: data directories, logs, PID files, the ports chosen on the first {@code up}.
 *
 * <p>{@link #up} starts only what is not running and resumes the same data; {@link #down} stops by PID.
 */
public final class LocalStack implements Stack {

    static final String USER = "fksafe";
    private static final Duration START = Duration.ofMinutes(3);
    /** The broker's collections are short (about 10 ms): a small heap does. */
    static final List<String> KAFKA_MEMORY = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC");
    /**
     * The worker hosts capture and the sink, and every collection stops both. Grown from 128 MB under the serial
     * collector, its pauses took 1.8 s of a 7.8 s capture (docs/benchmark.md); a fixed heap with a young generation
     * of 1 GB and the parallel collector pause 0.25 to 0.5 s and never collect in full on the bench.
     */
    static final List<String> CONNECT_MEMORY = List.of("-Xms2g", "-Xmx2g", "-Xmn1g", "-XX:+UseParallelGC");

    private final Path home;
    private final Path repo;
    private final Path built;
    private final PrintStream out;
    private final StackPorts ports;
    private final LocalSecrets secrets;
    private final MariaDbServer sourceDb;
    private final MariaDbServer targetDb;
    private final JavaService kafka;
    private final JavaService connect;
    private final WorkerPlugins plugins;

    /**
     * @param home  {@code .fksafe}
     * @param repo  the repository root ({@code config/}, {@code tests/target/})
     */
    public LocalStack(Path home, Path repo, PrintStream out) throws IOException {
        this.home = home.toAbsolutePath();
        this.repo = repo.toAbsolutePath();
        this.built = this.repo.resolve("tests/target");
        this.out = out;
        this.plugins = new WorkerPlugins(this.home, built.resolve("plugins"));
        Files.createDirectories(this.home);
        this.ports = StackPorts.loadOrAllocate(this.home);
        this.secrets = LocalSecrets.loadOrCreate(this.home.resolve("secrets.properties"));
        Path base = this.home.resolve("mariadb");
        this.sourceDb = new MariaDbServer("source", base, this.home.resolve("source"), port("source"), true);
        this.targetDb = new MariaDbServer("target", base, this.home.resolve("target"), port("target"), false);
        Path cp = built.resolve("stack/kafka.classpath");
        this.kafka = new JavaService("kafka", this.home.resolve("kafka"), cp, KAFKA_MEMORY);
        this.connect = new JavaService("connect", this.home.resolve("connect"), cp, CONNECT_MEMORY);
        Db.useDriverFrom(built.resolve("plugins")); // not .fksafe/plugins: that copy is replaced when Connect restarts
    }

    @Override
    public Db source() {
        return new Db("source", "127.0.0.1", port("source"), USER, secrets.sourcePassword());
    }

    @Override
    public Db target() {
        return new Db("target", "127.0.0.1", port("target"), USER, secrets.targetPassword());
    }

    @Override
    public ConnectRest connect() {
        return new ConnectRest(connectUrl());
    }

    @Override
    public String kafkaBootstrap() {
        return "127.0.0.1:" + port("kafka");
    }

    @Override
    public Path configDir() {
        return repo.resolve("config");
    }

    @Override
    public StackEnv env() {
        return new StackEnv(
                "127.0.0.1",
                port("source"),
                USER,
                secrets.sourcePassword(),
                "127.0.0.1",
                port("target"),
                USER,
                secrets.targetPassword(),
                kafkaBootstrap(),
                connectUrl(),
                "fksafe-source",
                "fksafe-sink");
    }

    @Override
    public long workerPid() {
        return connect.process()
                .running()
                .map(ProcessHandle::pid)
                .orElseThrow(() -> new IllegalStateException("the Connect worker is not running"));
    }

    public MariaDbServer sourceServer() {
        return sourceDb;
    }

    public MariaDbServer targetServer() {
        return targetDb;
    }

    private String connectUrl() {
        return "http://127.0.0.1:" + port("connect");
    }

    /** Starts whatever is not running, deploys the connectors through REST, waits until the sink caught up. */
    public void up() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        boolean sourceStarted = startDatabase(sourceDb, secrets.sourcePassword());
        boolean targetStarted = startDatabase(targetDb, secrets.targetPassword());
        startKafka();
        boolean connectWasRunning = connect.isRunning();
        startConnect();
        try (Pipeline p = new Pipeline(this).progress(out)) {
            step(
                    "connectors",
                    "deploying " + p.source().name() + " and " + p.sink().name() + " through " + connectUrl());
            p.deploy(START);
            // a database restarted under running connectors: reconnect now rather than after their retry backoff
            if (connectWasRunning && sourceStarted) {
                step("connectors", "restarting " + p.source().name() + ": the source database was restarted under it");
                connect().restart(p.source().name());
            }
            if (connectWasRunning && targetStarted) {
                step("connectors", "restarting " + p.sink().name() + ": the target database was restarted under it");
                connect().restart(p.sink().name());
            }
            step("pipeline", "waiting for a change on the source to reach the target (fksafe_sync.marker)");
            p.awaitSynced(START);
        }
        env().write(home.resolve("stack.env"));
        out.printf(
                "up: pipeline running (%.1f s); endpoints in %s%n",
                (System.nanoTime() - t0) / 1e9, repo.relativize(home.resolve("stack.env")));
    }

    /** Stops every process of the stack by its PID, the worker first. */
    public void down() {
        for (BackgroundProcess p :
                List.of(connect.process(), kafka.process(), targetDb.process(), sourceDb.process())) {
            boolean was = p.stop(Duration.ofSeconds(60));
            out.printf("  %-8s %s%n", p.name(), was ? "stopped" : "was not running");
        }
    }

    public void status() throws IOException {
        for (BackgroundProcess p :
                List.of(sourceDb.process(), targetDb.process(), kafka.process(), connect.process())) {
            out.printf(
                    "  %-8s %s%n",
                    p.name(),
                    p.running().map(h -> "running (pid " + h.pid() + ")").orElse("stopped"));
        }
        if (connect.isRunning() && connect().ready()) {
            for (String c : connect().connectors()) {
                out.printf("  %-8s %s %s%n", "connector", c, connect().describe(c));
            }
            if (kafka.isRunning() && targetDb.isRunning()) {
                StatusView.print(this, connect.process().running().orElseThrow().pid(), out);
            }
        }
    }

    /** Returns whether it had to start the server. The account's password follows .fksafe/secrets.properties. */
    private boolean startDatabase(MariaDbServer db, String password) throws IOException, InterruptedException {
        if (db.isRunning()) {
            step(db.name(), "running on 127.0.0.1:" + db.port());
            db.ensureAccount(USER, password);
            return false;
        }
        step(
                db.name(),
                "starting MariaDB on 127.0.0.1:" + db.port() + (db.name().equals("source") ? " (ROW binlog)" : ""));
        StackPorts.requireFree(db.name(), db.port());
        db.start(START);
        db.ensureAccount(USER, password);
        return true;
    }

    private void startKafka() throws IOException, InterruptedException {
        if (kafka.isRunning()) {
            step("kafka", "running on " + kafkaBootstrap());
            return;
        }
        step("kafka", "starting a KRaft broker on " + kafkaBootstrap());
        StackPorts.requireFree("kafka", port("kafka"));
        StackPorts.requireFree("kafka controller", port("controller"));
        Path data = home.resolve("kafka/data");
        writeProperties(
                kafka.propertiesFile(),
                Map.ofEntries(
                        Map.entry("process.roles", "broker,controller"),
                        Map.entry("node.id", "1"),
                        Map.entry("controller.quorum.voters", "1@127.0.0.1:" + port("controller")),
                        Map.entry(
                                "listeners",
                                "PLAINTEXT://127.0.0.1:" + port("kafka") + ",CONTROLLER://127.0.0.1:"
                                        + port("controller")),
                        Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port("kafka")),
                        Map.entry("controller.listener.names", "CONTROLLER"),
                        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                        Map.entry("log.dirs", data.toString()),
                        Map.entry("num.partitions", "1"),
                        Map.entry("log.retention.ms", "-1"),
                        Map.entry("offsets.topic.replication.factor", "1"),
                        Map.entry("offsets.topic.num.partitions", "5"),
                        Map.entry("transaction.state.log.replication.factor", "1"),
                        Map.entry("transaction.state.log.min.isr", "1"),
                        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                        Map.entry("share.coordinator.state.topic.min.isr", "1"),
                        Map.entry("group.initial.rebalance.delay.ms", "0")));
        if (!Files.exists(data.resolve("meta.properties"))) {
            kafka.runTool(
                    "kafka.tools.StorageTool",
                    List.of(
                            "format",
                            "-t",
                            Uuid.randomUuid().toString(),
                            "-c",
                            kafka.propertiesFile().toString()));
        }
        kafka.start("kafka.Kafka", Map.of("kafka", "warn", "org.apache.kafka", "warn", "state.change.logger", "warn"));
        awaitKafka();
    }

    private void startConnect() throws IOException, InterruptedException {
        Map<String, String> settings = workerSettings();
        boolean settingsChanged = !render(settings)
                .equals(Files.exists(connect.propertiesFile()) ? Files.readString(connect.propertiesFile()) : "");
        if (connect.isRunning() && !plugins.changed() && !settingsChanged) {
            step("connect", "running, REST on " + connectUrl());
            return;
        }
        if (connect.isRunning()) {
            step(
                    "connect",
                    (settingsChanged ? "the worker settings changed" : "the plugins were rebuilt")
                            + ": restarting the worker to load them");
            connect.process().stop(Duration.ofSeconds(60));
        }
        step("connect", "starting a distributed Connect worker, REST on " + connectUrl());
        StackPorts.requireFree("connect", port("connect"));
        plugins.sync();
        writeProperties(connect.propertiesFile(), settings);
        connect.start(
                "org.apache.kafka.connect.cli.ConnectDistributed",
                Map.of(
                        "org.apache.kafka.clients", "warn",
                        "org.apache.kafka.common", "warn",
                        "org.apache.kafka.connect.runtime.isolation", "warn",
                        "org.apache.kafka.connect.runtime.rest.RestServer", "warn",
                        "org.eclipse.jetty", "warn",
                        "org.glassfish", "warn"),
                env().workerEnv()); // the passwords: for the worker's env provider only
        long deadline = System.nanoTime() + START.toNanos();
        while (!connect().ready()) {
            if (connect.process().died()) {
                throw new IOException("the Connect worker exited during start-up; see " + connect.log() + ":\n"
                        + MariaDbServer.tail(connect.log(), 30));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "the Connect worker's REST API did not come up within " + START + "; see " + connect.log());
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** The worker's properties: Kafka, REST, plugins, and the config providers the connectors' references need. */
    private Map<String, String> workerSettings() {
        Map<String, String> m = new java.util.HashMap<>(Map.ofEntries(
                Map.entry("bootstrap.servers", kafkaBootstrap()),
                Map.entry("group.id", "fksafe-connect"),
                Map.entry("config.storage.topic", "fksafe-connect-configs"),
                Map.entry("offset.storage.topic", "fksafe-connect-offsets"),
                Map.entry("status.storage.topic", "fksafe-connect-status"),
                Map.entry("config.storage.replication.factor", "1"),
                Map.entry("offset.storage.replication.factor", "1"),
                Map.entry("offset.storage.partitions", "1"),
                Map.entry("status.storage.replication.factor", "1"),
                Map.entry("status.storage.partitions", "1"),
                Map.entry("key.converter", "org.apache.kafka.connect.json.JsonConverter"),
                Map.entry("value.converter", "org.apache.kafka.connect.json.JsonConverter"),
                // for connectors without converters of their own: a NULL must not become the column's default
                Map.entry("key.converter.replace.null.with.default", "false"),
                Map.entry("value.converter.replace.null.with.default", "false"),
                Map.entry("listeners", "http://127.0.0.1:" + port("connect")),
                Map.entry("rest.advertised.host.name", "127.0.0.1"),
                Map.entry("rest.advertised.port", Integer.toString(port("connect"))),
                Map.entry("plugin.path", plugins.dir().toString()),
                Map.entry("plugin.discovery", "service_load"),
                Map.entry("offset.flush.interval.ms", "2000"),
                // one worker: its tasks come back at once after a restart, not after the default 5-minute grace
                Map.entry("scheduled.rebalance.max.delay.ms", "0"),
                // sink consumers: after a broker crash, a stale group member holds the rebalance for this long (default
                // 45 s)
                Map.entry("consumer.session.timeout.ms", "10000"),
                Map.entry("consumer.heartbeat.interval.ms", "3000"),
                // config/*.json raise the producer's and the consumer's size limits per connector
                Map.entry("connector.client.config.override.policy", "All")));
        m.putAll(ConfigProviders.workerSettings(secrets.file()));
        return m;
    }

    private void awaitKafka() throws IOException, InterruptedException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        long deadline = System.nanoTime() + START.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException notYet) {
                    if (kafka.process().died()) {
                        throw new IOException("the Kafka broker exited during start-up; see " + kafka.log() + ":\n"
                                + MariaDbServer.tail(kafka.log(), 30));
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException(
                                "the Kafka broker did not come up within " + START + "; see " + kafka.log());
                    }
                    TimeUnit.MILLISECONDS.sleep(500);
                }
            }
        }
    }

    private void step(String what, String msg) {
        out.printf("  %-10s %s%n", what, msg);
    }

    private int port(String service) {
        return ports.port(service);
    }

    private static void writeProperties(Path file, Map<String, String> values) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, render(values));
    }

    private static String render(Map<String, String> values) {
        StringBuilder b = new StringBuilder("# written by ./fksafe up\n");
        new java.util.TreeMap<>(values)
                .forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }
}

package io.fksafe.stack;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The pipeline on a {@link Stack}: the connectors from {@code config/} deployed through the REST API into one
 * single-partition topic, and "caught up" measured the way the sink itself knows it — its checkpoint in the target
 * against the topic's end offset.
 */
public final class Pipeline implements AutoCloseable {

    public static final String SOURCE_FILE = "source-mariadb.json";
    public static final String SINK_FILE = "sink-mariadb.json";

    private final Stack stack;
    private final ConnectorConfig source;
    private final ConnectorConfig sink;
    private Admin admin;
    private boolean markerReady;
    private java.io.PrintStream progress;
    private long lastProgressNanos;

    public Pipeline(Stack stack) throws IOException {
        this(stack, SOURCE_FILE, SINK_FILE);
    }

    public Pipeline(Stack stack, String sourceFile, String sinkFile) throws IOException {
        this.stack = stack;
        Map<String, String> vars = stack.env().vars();
        this.source = ConnectorConfig.load(stack.configDir().resolve(sourceFile), vars);
        this.sink = ConnectorConfig.load(stack.configDir().resolve(sinkFile), vars);
    }

    /** Where long waits say what they wait for and how far it is (every few seconds); silent by default. */
    public Pipeline progress(java.io.PrintStream out) {
        this.progress = out;
        return this;
    }

    private void report(String what) {
        long now = System.nanoTime();
        if (progress != null && now - lastProgressNanos > TimeUnit.SECONDS.toNanos(3)) {
            progress.println("  ... " + what);
            lastProgressNanos = now;
        }
    }

    public ConnectorConfig source() {
        return source;
    }

    public ConnectorConfig sink() {
        return sink;
    }

    /** The single topic the source routes everything into and the sink reads. */
    public String topic() {
        return sink.get("topics");
    }

    /**
     * Until DDL replication lands in the sink ({@code ddl.mode=apply}), the target's tables are created from the
     * same SQL the source runs, before the rows arrive. With {@code ddl.mode=apply} in {@code config/sink-*.json}
     * this turns itself off: the schema then comes through the topic like the rows.
     */
    public boolean targetSchemaFromSource() {
        return !"apply".equalsIgnoreCase(sink.get("ddl.mode"));
    }

    /** Runs a script on the source, creating its schema part on the target first when DDL is not replicated. */
    public void runOnSource(SqlScript script) {
        if (targetSchemaFromSource()) {
            stack.target().run(script.schemaOnly().statements());
        }
        stack.source().run(script.statements());
    }

    /** Creates the topic (one partition, kept forever so a replay from offset 0 is possible) and both connectors. */
    public void deploy(Duration timeout) throws IOException, InterruptedException {
        createTopic();
        deploy(source, timeout);
        deploy(sink, timeout);
    }

    /** Creates or updates one connector; resumes it if stopped or paused, restarts it if failed; waits for RUNNING. */
    public void deploy(ConnectorConfig c, Duration timeout) throws IOException, InterruptedException {
        ConnectRest rest = stack.connect();
        rest.putConfig(c.name(), c.config());
        awaitStatus(c.name());
        JsonNode s = rest.status(c.name());
        String state = s.path("connector").path("state").asText();
        if (state.equals("STOPPED") || state.equals("PAUSED")) {
            rest.resume(c.name());
        } else if (ConnectRest.failure(s) != null) {
            rest.restart(c.name());
        }
        rest.awaitRunning(c.name(), timeout);
    }

    private void awaitStatus(String name) throws IOException, InterruptedException {
        for (int i = 0; i < 100 && stack.connect().status(name) == null; i++) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    public void createTopic() throws IOException {
        try {
            admin().createTopics(List.of(new NewTopic(topic(), 1, (short) 1).configs(topicConfigs())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IOException("cannot create topic " + topic() + ": " + e.getCause(), e);
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IOException("cannot create topic " + topic() + ": " + e, e);
        }
    }

    private static final String TOPIC_CREATION = "topic.creation.default.";

    /**
     * The topic-level settings of the source's {@code topic.creation.default.*} keys (retention, cleanup policy, the
     * largest message): the topic is created here before the source connector would create it, so with the same
     * settings.
     */
    Map<String, String> topicConfigs() {
        Map<String, String> out = new java.util.TreeMap<>();
        source.config().forEach((k, v) -> {
            if (k.startsWith(TOPIC_CREATION) && !k.endsWith(".partitions") && !k.endsWith(".replication.factor")) {
                out.put(k.substring(TOPIC_CREATION.length()), v);
            }
        });
        out.putIfAbsent("retention.ms", "-1");
        return out;
    }

    /** The topic's end offset (partition 0). */
    public long endOffset() throws IOException {
        TopicPartition tp = new TopicPartition(topic(), 0);
        try {
            return admin().listOffsets(Map.of(tp, OffsetSpec.latest()))
                    .partitionResult(tp)
                    .get(30, TimeUnit.SECONDS)
                    .offset();
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            throw new IOException("cannot read the end offset of " + topic() + ": " + e, e);
        }
    }

    /** The next offset the sink's checkpoint in the target records for the topic, or -1 if there is none yet. */
    public long sinkCheckpoint() {
        String table = sink.config().getOrDefault("checkpoint.table", "fksafe.fksafe_checkpoint");
        String[] t = table.split("\\.", 2);
        List<List<String>> exists = stack.target()
                .query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + t[0]
                        + "' AND TABLE_NAME = '" + t[1] + "'");
        if ("0".equals(exists.get(0).get(0))) {
            return -1;
        }
        List<List<String>> rows = stack.target()
                .query("SELECT next_offset FROM `" + t[0] + "`.`" + t[1] + "` WHERE connector = '" + sink.name()
                        + "' AND topic = '" + topic() + "' AND kafka_partition = 0");
        return rows.isEmpty() ? -1 : Long.parseLong(rows.get(0).get(0));
    }

    /**
     * Waits until everything written to the source so far is in the target: writes a fresh token into
     * {@code fksafe_sync.marker} on the source (a heartbeat table, replicated like any other) and waits for it in the
     * target, then for the sink to pass whatever followed it in the topic. Unlike {@link #awaitCaughtUp} alone this
     * also covers a source connector that is still starting and has not produced the latest changes yet.
     */
    /** False until the heartbeat token is in the target; with DDL replicated, its table may not even be there yet. */
    private boolean markerArrived(String token) {
        try {
            return stack.target().count("SELECT COUNT(*) FROM fksafe_sync.marker WHERE token = '" + token + "'") == 1;
        } catch (IllegalStateException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("doesn't exist") || m.contains("Unknown database")) {
                return false;
            }
            throw e;
        }
    }

    public void awaitSynced(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!markerReady) {
            runOnSource(
                    new SqlScript(
                            "marker",
                            List.of(
                                    "CREATE DATABASE IF NOT EXISTS fksafe_sync",
                                    "CREATE TABLE IF NOT EXISTS fksafe_sync.marker (id INT PRIMARY KEY, token VARCHAR(64) NOT NULL)")));
            markerReady = true;
        }
        String token = java.util.UUID.randomUUID().toString();
        stack.source()
                .exec("INSERT INTO fksafe_sync.marker VALUES (1, '" + token + "') ON DUPLICATE KEY UPDATE token = '"
                        + token + "'");
        while (true) {
            if (markerArrived(token)) {
                break;
            }
            for (ConnectorConfig c : List.of(sink, source)) { // either one failed: the token will never arrive
                JsonNode s = stack.connect().status(c.name());
                if (s != null && ConnectRest.failure(s) != null) {
                    throw new IOException(
                            (c == sink ? "sink " : "source ") + c.name() + " failed:\n" + ConnectRest.failure(s));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "changes written to the source did not reach the target within " + timeout + " (source "
                                + stack.connect().describe(source.name()) + ", sink "
                                + stack.connect().describe(sink.name())
                                + ", sink checkpoint " + sinkCheckpoint() + ", topic end " + endOffset() + ")");
            }
            if (progress != null) {
                report("waiting for a heartbeat row written to the source to reach the target: sink checkpoint "
                        + sinkCheckpoint() + ", topic end " + endOffset());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        awaitCaughtUp(Duration.ofNanos(
                Math.max(deadline - System.nanoTime(), Duration.ofSeconds(10).toNanos())));
    }

    /** Waits until the topic's end offset has not grown for five seconds (capture finished); returns it. */
    public long awaitCaptured(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        int stable = 0;
        while (stable < 10) {
            if (System.nanoTime() > deadline) {
                throw new IOException("capture did not settle within " + timeout + ": topic end " + last);
            }
            TimeUnit.MILLISECONDS.sleep(500);
            long end = endOffset();
            stable = end == last ? stable + 1 : 0;
            last = end;
        }
        return last;
    }

    /** Waits until the sink's checkpoint reached {@code offset}; returns the checkpoint. */
    public long awaitCheckpointPast(long offset, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long cp = sinkCheckpoint();
            if (cp >= offset) {
                return cp;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the sink's checkpoint did not reach " + offset + " within " + timeout + ": " + cp
                        + " (" + stack.connect().describe(sink.name()) + ")");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /**
     * Waits until the sink's checkpoint reaches the topic's end offset as read now (everything produced so far is in
     * the target). Fails early with the task's trace if the sink fails.
     */
    public void awaitCaughtUp(Duration timeout) throws IOException, InterruptedException {
        awaitCaughtUp(sink.name(), timeout);
    }

    public void awaitCaughtUp(String sinkName, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        TimeUnit.MILLISECONDS.sleep(500); // let the source connector publish what was just written
        long end = endOffset();
        long lastEnd = -1;
        while (System.nanoTime() < deadline) {
            JsonNode s = stack.connect().status(sinkName);
            if (s != null && ConnectRest.failure(s) != null) {
                throw new IOException("sink " + sinkName + " failed:\n" + ConnectRest.failure(s));
            }
            long cp = sinkCheckpoint();
            if (cp >= end || end == 0) {
                if (end == lastEnd) {
                    return; // and nothing more arrived meanwhile
                }
                lastEnd = end;
            }
            if (progress != null) {
                report("waiting for " + sinkName + " to apply the topic: checkpoint " + cp + " of " + end + " ("
                        + Math.max(0, end - cp) + " records behind)");
            }
            TimeUnit.MILLISECONDS.sleep(300);
            end = endOffset();
        }
        throw new IOException("the sink did not catch up within " + timeout + ": checkpoint " + sinkCheckpoint()
                + ", topic end " + endOffset() + " (" + stack.connect().describe(sinkName) + ")");
    }

    private Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
            admin = Admin.create(p);
        }
        return admin;
    }

    public Set<String> topics() throws IOException {
        try {
            return admin().listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}

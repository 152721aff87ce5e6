package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fksafe.stack.ConnectRest;
import io.fksafe.stack.Db;
import io.fksafe.stack.MariaDbServer;
import io.fksafe.stack.Pipeline;
import io.fksafe.stack.SqlScript;
import io.fksafe.stack.TextTable;
import io.fksafe.stack.Verify;

/**
 * The same changes through Debezium's own JDBC sink (3.6.0.Final, from its plugin archive) into a second target, next
 * to the fksafe sink: the seed lab (steps 5, 9, 11), a primary-key change under ON UPDATE CASCADE children, and a
 * recovery replay from offset 0 through the REST API. The JDBC sink gets the settings most favourable to it: upserts,
 * deletes on, primary keys from the record key, batch size 1 (its documentation's advice for dependent events).
 * The test passes when fksafe matches the source after every step and the JDBC sink fails or diverges somewhere;
 * the table it prints says where.
 */
class DebeziumJdbcSinkComparisonIT {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String JDBC_SINK = "debezium-jdbc-sink";
    /**
     * The JDBC sink names tables without their database, so the pipeline's heartbeat rows (fksafe_sync.marker, see
     * {@link Pipeline#awaitSynced}) land in fk_lab.marker on its target; that table is left out of the comparison.
     */
    private static final String MARKER =
            "CREATE TABLE IF NOT EXISTS fk_lab.marker (id INT PRIMARY KEY, token VARCHAR(64) NOT NULL)";

    private static EmbeddedStack stack;
    private static Pipeline pipeline;
    private static MariaDbServer jdbcTargetServer;
    private static Db jdbcTarget;

    @BeforeAll
    static void up() throws Exception {
        stack = EmbeddedStack.start("comparison");
        pipeline = new Pipeline(stack);
        pipeline.deploy(WAIT);
        Path dir = EmbeddedStack.WORK.resolve("comparison-jdbc-" + System.currentTimeMillis());
        jdbcTargetServer = new MariaDbServer(
                "jdbc-target", EmbeddedStack.WORK.resolve("mariadb"), dir, EmbeddedStack.freePort(), false);
        jdbcTargetServer.start(WAIT);
        jdbcTargetServer.ensureAccount(EmbeddedStack.USER, EmbeddedStack.TARGET_PASSWORD);
        jdbcTarget = new Db(
                "jdbc-target", "127.0.0.1", jdbcTargetServer.port(), EmbeddedStack.USER, EmbeddedStack.TARGET_PASSWORD);
        jdbcTarget.run(List.of("CREATE DATABASE fk_lab", MARKER));
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        c.put("tasks.max", "1");
        c.put("topics", pipeline.topic());
        // Its table naming knows no database: one database (fk_lab) in the URL, tables by their source name.
        c.put("connection.url", "jdbc:mariadb://127.0.0.1:" + jdbcTargetServer.port() + "/fk_lab");
        c.put("connection.username", EmbeddedStack.USER);
        c.put("connection.password", EmbeddedStack.TARGET_PASSWORD);
        c.put("insert.mode", "upsert");
        c.put("delete.enabled", "true");
        c.put("primary.key.mode", "record_key");
        c.put("schema.evolution", "none");
        c.put("batch.size", "1");
        c.put("collection.name.format", "${source.table}");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        stack.connect().putConfig(JDBC_SINK, c);
        stack.connect().awaitRunning(JDBC_SINK, WAIT);
    }

    @AfterAll
    static void down() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (jdbcTargetServer != null) {
            jdbcTargetServer.stopAndDelete();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theSameChanges_fksafeMatchesTheSourceEverywhere_debeziumsJdbcSinkFailsOrDiverges() throws Exception {
        List<List<String>> table = new ArrayList<>();
        step(table, "lab step 5: schema and baseline", "fk_lab", SqlScript.resource("/lab/fk_lab.sql"));
        step(table, "lab step 9: three parent UPDATEs", "fk_lab", SqlScript.resource("/lab/fk_lab_source_dml.sql"));
        step(
                table,
                "lab step 11: grandchild, step 9 again",
                "fk_lab",
                SqlScript.resource("/lab/fk_lab_step11.sql"),
                SqlScript.resource("/lab/fk_lab_source_dml.sql"));
        step(
                table,
                "a parent re-keyed under ON UPDATE CASCADE",
                "fk_lab",
                new SqlScript(
                        "rekey",
                        List.of(
                                "USE fk_lab",
                                "CREATE TABLE rekey_parent (id BIGINT PRIMARY KEY, note VARCHAR(20) NOT NULL)",
                                "CREATE TABLE rekey_child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL, "
                                        + "FOREIGN KEY (parent_id) REFERENCES rekey_parent(id) ON UPDATE CASCADE ON DELETE CASCADE)",
                                "INSERT INTO rekey_parent VALUES (1, 'a'), (2, 'b')",
                                "INSERT INTO rekey_child VALUES (11, 1), (12, 1), (21, 2)",
                                "UPDATE rekey_parent SET id = 100 WHERE id = 1")));
        replayFromZero(table);

        System.out.println();
        TextTable.draw(List.of("step", "fksafe sink", "Debezium JDBC sink 3.6.0"), table)
                .forEach(System.out::println);
        for (List<String> row : table) {
            assertEquals("source == target", row.get(1), "the fksafe sink at: " + row.get(0));
        }
        assertFalse(
                table.stream().allMatch(r -> r.get(2).equals("source == target")),
                "Debezium's JDBC sink matched the source at every step: the comparison shows nothing");
    }

    private static void step(List<List<String>> table, String title, String db, SqlScript... scripts) throws Exception {
        for (SqlScript s : scripts) {
            jdbcTarget.run(s.schemaOnly().statements()); // neither sink replicates DDL here
            jdbcTarget.run(List.of(MARKER));
            pipeline.runOnSource(s);
        }
        pipeline.awaitSynced(WAIT);
        String jdbc = awaitJdbcSink();
        table.add(List.of(title, compare(stack.target(), db), jdbc != null ? jdbc : compare(jdbcTarget, db)));
    }

    private static void replayFromZero(List<List<String>> table) throws Exception {
        ConnectRest rest = stack.connect();
        for (String sink : List.of(pipeline.sink().name(), JDBC_SINK)) {
            rest.stop(sink);
            rest.awaitStopped(sink, WAIT);
            rest.resetOffsets(sink);
            rest.resume(sink);
        }
        pipeline.awaitCaughtUp(WAIT);
        String jdbc = awaitJdbcSink();
        table.add(List.of(
                "replay from offset 0 (REST DELETE offsets)",
                compare(stack.target(), "fk_lab"),
                jdbc != null ? jdbc : compare(jdbcTarget, "fk_lab")));
    }

    /** Waits until the JDBC sink's committed offset reaches the topic's end; returns its failure, or null. */
    private static String awaitJdbcSink() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long end = pipeline.endOffset();
        while (System.nanoTime() < deadline) {
            JsonNode status = stack.connect().status(JDBC_SINK);
            String failure = status == null ? null : ConnectRest.failure(status);
            if (failure != null) {
                String cause = failure.lines()
                        .filter(l -> l.startsWith("Caused by:"))
                        .reduce((a, b) -> b)
                        .orElse(failure.lines().findFirst().orElse(""))
                        .replaceFirst("^Caused by: [\\w.$]+: ", "");
                return "FAILED: " + (cause.length() > 150 ? cause.substring(0, 150) + "..." : cause);
            }
            JsonNode offsets = stack.connect().offsets(JDBC_SINK).path("offsets");
            if (!offsets.isEmpty()
                    && offsets.get(0).path("offset").path("kafka_offset").asLong() >= end) {
                return null;
            }
            TimeUnit.MILLISECONDS.sleep(300);
        }
        return "did not reach the end of the topic in 90 s (" + stack.connect().describe(JDBC_SINK) + ")";
    }

    private static String compare(Db target, String... dbs) {
        List<String> diffs = new ArrayList<>();
        for (String db : dbs) {
            for (Verify.Row r : Verify.compare(stack.source(), target, db, Set.of())) {
                if (!r.ok() && !r.table().equals("fk_lab.marker")) {
                    diffs.add(r.table() + " rows " + r.sourceRows() + "/" + r.targetRows()
                            + (r.orphans() > 0 ? ", " + r.orphans() + " orphans" : "")
                            + (r.sourceRows() != null && r.sourceRows().equals(r.targetRows())
                                    ? ", values differ"
                                    : ""));
                }
            }
        }
        return diffs.isEmpty() ? "source == target" : "DIVERGED: " + String.join("; ", diffs);
    }
}

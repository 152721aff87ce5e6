package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.fksafe.stack.ConnectRest;
import io.fksafe.stack.Db;
import io.fksafe.stack.Pipeline;
import io.fksafe.stack.SqlScript;
import io.fksafe.stack.Verify;

/**
 * The pipeline end to end, one stack for the class: a primary-key change under ON UPDATE CASCADE, restarts of the
 * source connector and of the sink task, and REST offset resets. BEFORE triggers on the target log every row write
 * the sink attempts, so "applied exactly once" is checked, not inferred: an upsert of a new row logs BI, of an existing
 * row BI and BU (also when nothing changes, where AFTER triggers stay silent), a key change BU, a delete BD. InnoDB
 * fires no triggers for cascades.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static EmbeddedStack stack;
    private static Pipeline pipeline;
    private static ConnectRest rest;

    @BeforeAll
    static void up() throws Exception {
        stack = EmbeddedStack.start("pipeline");
        pipeline = new Pipeline(stack);
        pipeline.deploy(WAIT);
        rest = stack.connect();
        stack.target()
                .exec(
                        "CREATE DATABASE audit",
                        "CREATE TABLE audit.writes (seq BIGINT AUTO_INCREMENT PRIMARY KEY, tbl VARCHAR(64), op VARCHAR(8), id BIGINT)");
    }

    @AfterAll
    static void down() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** Creates {@code db} on the source (and, until DDL is replicated, on the target), with audit triggers there. */
    private static void schema(String db, String... tables) throws Exception {
        List<String> sql = new ArrayList<>(List.of("CREATE DATABASE " + db, "USE " + db));
        sql.addAll(List.of(tables));
        pipeline.runOnSource(new SqlScript(db, sql));
        pipeline.awaitSynced(WAIT); // with DDL replication the target's tables arrive through the topic
        for (String t : stack
                .target()
                .query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + db + "'")
                .stream()
                .map(r -> r.get(0))
                .toList()) {
            for (String op : List.of("INSERT", "UPDATE", "DELETE")) {
                String row = op.equals("DELETE") ? "OLD" : "NEW";
                stack.target()
                        .exec("CREATE TRIGGER " + db + ".audit_" + t + "_" + op.toLowerCase() + " BEFORE " + op + " ON "
                                + db + "." + t + " FOR EACH ROW INSERT INTO audit.writes (tbl, op, id) VALUES ('" + db
                                + "." + t
                                + "', 'B" + op.charAt(0) + "', " + row + ".id)");
            }
        }
    }

    /** The sink's row writes into {@code db} by trigger, e.g. {@code BI=40 BU=20}. */
    private static String writes(String db) {
        StringBuilder b = new StringBuilder();
        for (List<String> r : stack.target()
                .query("SELECT op, COUNT(*) FROM audit.writes WHERE tbl LIKE '" + db + ".%' GROUP BY op ORDER BY op")) {
            b.append(b.length() == 0 ? "" : " ").append(r.get(0)).append('=').append(r.get(1));
        }
        return b.toString();
    }

    private static void assertSame(String db) {
        List<Verify.Row> rows = Verify.compare(stack.source(), stack.target(), db, Set.of());
        Verify.print(rows, System.out);
        assertTrue(rows.stream().allMatch(Verify.Row::ok), "source == target for " + db + ": " + rows);
    }

    @Test
    @Order(1)
    void primaryKeyChange_underOnUpdateCascade_theTargetCascadesLikeTheSource() throws Exception {
        schema(
                "pk",
                "CREATE TABLE parent (id BIGINT PRIMARY KEY, note VARCHAR(20) NOT NULL)",
                "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL, note VARCHAR(20), "
                        + "FOREIGN KEY (parent_id) REFERENCES parent(id) ON UPDATE CASCADE ON DELETE CASCADE)",
                "CREATE TABLE pinned (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL, "
                        + "FOREIGN KEY (parent_id) REFERENCES parent(id) ON UPDATE CASCADE ON DELETE RESTRICT)",
                "CREATE TABLE grandchild (id BIGINT PRIMARY KEY, child_id BIGINT NOT NULL, "
                        + "FOREIGN KEY (child_id) REFERENCES child(id) ON UPDATE CASCADE ON DELETE CASCADE)");
        Db src = stack.source();
        src.exec(
                "INSERT INTO pk.parent VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                "INSERT INTO pk.child VALUES (11, 1, 'x'), (12, 1, 'y'), (21, 2, 'z'), (31, 3, 'w')",
                "INSERT INTO pk.pinned VALUES (1, 1), (2, 2)",
                "INSERT INTO pk.grandchild VALUES (111, 11), (121, 12), (211, 21)");
        // In the binlog only the parent's row changes; Debezium sends each as DELETE(old key) + CREATE(new key).
        src.exec(
                "UPDATE pk.parent SET id = 100 WHERE id = 1",
                "UPDATE pk.child SET id = 1100 WHERE id = 11",
                "UPDATE pk.parent SET id = id + 1000 WHERE id IN (2, 3)");
        pipeline.awaitSynced(WAIT);

        assertSame("pk");
        assertEquals(
                List.of(List.of("1100", "100"), List.of("12", "100"), List.of("21", "1002"), List.of("31", "1003")),
                stack.target().query("SELECT id, parent_id FROM pk.child ORDER BY id % 100, id"));
        assertEquals(
                List.of(List.of("111", "1100"), List.of("121", "12"), List.of("211", "21")),
                stack.target().query("SELECT id, child_id FROM pk.grandchild ORDER BY id"));
        assertEquals("BI=12 BU=4", writes("pk"), "12 inserts and 4 re-keyed rows, each written once");
    }

    @Test
    @Order(2)
    void sourceConnectorRestart_debeziumResumes_nothingAppliedTwice() throws Exception {
        schema("srcrestart", "CREATE TABLE t (id BIGINT PRIMARY KEY, n INT NOT NULL)");
        Db src = stack.source();
        for (int i = 1; i <= 20; i++) {
            src.exec("INSERT INTO srcrestart.t VALUES (" + i + ", 0)");
        }
        pipeline.awaitSynced(WAIT);
        String source = pipeline.source().name();
        rest.restart(source);
        rest.awaitRunning(source, WAIT);
        for (int i = 1; i <= 20; i++) {
            src.exec("UPDATE srcrestart.t SET n = n + 1 WHERE id = " + i);
        }
        rest.restart(source); // again, right behind the writes
        rest.awaitRunning(source, WAIT);
        pipeline.awaitSynced(WAIT);

        assertSame("srcrestart");
        assertEquals("BI=40 BU=20", writes("srcrestart"), "20 inserts and 20 updates (upserts), each written once");
    }

    @Test
    @Order(3)
    void sinkTaskRestarts_whileTheSourceWrites_nothingLostNothingTwice() throws Exception {
        schema(
                "sinkrestart",
                "CREATE TABLE parent (id BIGINT PRIMARY KEY, n INT NOT NULL)",
                "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL, "
                        + "FOREIGN KEY (parent_id) REFERENCES parent(id) ON DELETE CASCADE)");
        Db src = stack.source();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writes = writer.submit(() -> {
            for (int p = 1; p <= 150; p++) {
                src.run(List.of(
                        "BEGIN",
                        "INSERT INTO sinkrestart.parent VALUES (" + p + ", 0)",
                        "INSERT INTO sinkrestart.child VALUES (" + (p * 10 + 1) + ", " + p + "), (" + (p * 10 + 2)
                                + ", " + p + ")",
                        "COMMIT"));
                if (p % 3 == 0) {
                    src.exec("UPDATE sinkrestart.parent SET n = n + 1 WHERE id = " + (p - 1));
                }
            }
            return null;
        });
        String sink = pipeline.sink().name();
        for (int i = 0; i < 3; i++) {
            TimeUnit.MILLISECONDS.sleep(700);
            rest.restartTask(sink, 0);
        }
        writes.get(2, TimeUnit.MINUTES);
        writer.shutdown();
        rest.awaitRunning(sink, WAIT);
        pipeline.awaitSynced(WAIT);

        assertSame("sinkrestart");
        assertEquals(
                "BI=500 BU=50",
                writes("sinkrestart"),
                "450 inserts and 50 updates, each written once across the restarts");
    }

    @Test
    @Order(4)
    void restOffsetReset_theWholeTopicReplays_targetUnchangedAndNoOrphans() throws Exception {
        String sink = pipeline.sink().name();
        long end = pipeline.sinkCheckpoint();
        long before = stack.target().count("SELECT COUNT(*) FROM audit.writes");

        rest.stop(sink);
        rest.awaitStopped(sink, WAIT);
        rest.resetOffsets(sink);
        assertEquals(-1, pipeline.sinkCheckpoint(), "the reset moved the target checkpoint too");
        assertEquals(
                List.of(List.of(Long.toString(end))),
                stack.target()
                        .query("SELECT replay_until FROM fksafe.fksafe_checkpoint_replay WHERE connector = '" + sink
                                + "'"));
        rest.resume(sink);
        rest.awaitRunning(sink, WAIT);
        pipeline.awaitSynced(WAIT);

        for (String db : List.of("pk", "srcrestart", "sinkrestart")) {
            assertSame(db);
        }
        assertTrue(
                stack.target().count("SELECT COUNT(*) FROM audit.writes") > before + 500,
                "the topic was applied again");
        assertEquals(
                List.of(),
                stack.target().query("SELECT * FROM fksafe.fksafe_checkpoint_replay"),
                "the replay window closed behind the replay");
        long now = pipeline.sinkCheckpoint();
        long committed = -1;
        for (int i = 0; i < 60 && committed != now; i++) { // the worker commits consumer offsets every second
            TimeUnit.MILLISECONDS.sleep(500);
            JsonNode offsets = rest.offsets(sink).path("offsets");
            committed = offsets.isEmpty()
                    ? -1
                    : offsets.get(0).path("offset").path("kafka_offset").asLong();
        }
        assertEquals(now, committed, "Kafka's committed offset agrees with the target's checkpoint again");
    }

    @Test
    @Order(5)
    void restOffsetPatch_backToTheMiddle_replaysFromThere() throws Exception {
        String sink = pipeline.sink().name();
        long end = pipeline.sinkCheckpoint();
        long middle = end / 2;
        rest.stop(sink);
        rest.awaitStopped(sink, WAIT);
        rest.alterSinkOffset(sink, pipeline.topic(), 0, middle);
        assertEquals(middle, pipeline.sinkCheckpoint());
        rest.resume(sink);
        rest.awaitRunning(sink, WAIT);
        pipeline.awaitSynced(WAIT);
        assertEquals(pipeline.endOffset(), pipeline.sinkCheckpoint());
        for (String db : List.of("pk", "srcrestart", "sinkrestart")) {
            assertSame(db);
        }
    }

    /**
     * A crash of the source before Debezium flushed its offsets, made deterministic: its offsets are moved back
     * through the REST API, so Debezium reads the same binlog events again and sends them with new Kafka offsets.
     * The sink's Kafka-offset checkpoint cannot see these as duplicates; only the source position can (docs/design.md,
     * durability: a record at or before the checkpoint's source position is a duplicate and is skipped).
     */
    @Test
    @Order(6)
    void sourceOffsetsMovedBack_debeziumSendsChangesAgain_nothingAppliedTwice() throws Exception {
        schema("reemit", "CREATE TABLE t (id BIGINT PRIMARY KEY, n INT NOT NULL)");
        Db src = stack.source();
        for (int i = 1; i <= 10; i++) {
            src.exec("INSERT INTO reemit.t VALUES (" + i + ", 0)");
        }
        pipeline.awaitSynced(WAIT);
        String source = pipeline.source().name();
        TimeUnit.SECONDS.sleep(3); // Debezium's offsets are flushed every second
        JsonNode before = rest.offsets(source);
        for (int i = 1; i <= 10; i++) {
            src.exec("UPDATE reemit.t SET n = n + 1 WHERE id = " + i);
        }
        pipeline.awaitSynced(WAIT);
        rest.stop(source);
        rest.awaitStopped(source, WAIT);
        rest.alterOffsets(source, before);
        rest.resume(source);
        rest.awaitRunning(source, WAIT);
        pipeline.awaitSynced(WAIT);

        assertSame("reemit");
        assertEquals(
                "BI=20 BU=10",
                writes("reemit"),
                "10 inserts and 10 updates, each written once though Debezium sent the updates twice");
    }
}

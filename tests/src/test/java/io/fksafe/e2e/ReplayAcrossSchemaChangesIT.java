package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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
 * Recovery replays through the REST offsets API across schema changes, end to end: a parent and a child with an FK
 * whose columns are dropped, renamed, retyped and added after rows were written, a table renamed and one dropped. A
 * full replay from offset 0 and one from an offset between two schema changes each leave the target identical to the
 * source, with the task RUNNING and the mappings logged; so does Debezium sending everything again after its offsets
 * were moved back to before the changes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayAcrossSchemaChangesIT {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static EmbeddedStack stack;
    private static Pipeline pipeline;
    private static ConnectRest rest;
    private static final StringBuffer LOG = new StringBuffer();
    private static PrintStream stderr;
    /** The sink's checkpoint between the rename of p.old_note and the type change of p.n. */
    private static long betweenChanges;

    private static JsonNode sourceOffsetsBeforeChanges;

    @BeforeAll
    static void up() throws Exception {
        stderr = System.err;
        System.setErr(new PrintStream(
                new OutputStream() { // the worker logs through slf4j-simple to System.err
                    @Override
                    public void write(int b) {
                        stderr.write(b);
                        LOG.append((char) b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        stderr.write(b, off, len);
                        LOG.append(new String(b, off, len, StandardCharsets.UTF_8));
                    }
                },
                true,
                StandardCharsets.UTF_8));
        stack = EmbeddedStack.start("replayddl");
        pipeline = new Pipeline(stack);
        pipeline.deploy(WAIT);
        rest = stack.connect();

        source(
                "CREATE DATABASE rd",
                "USE rd",
                "CREATE TABLE p (id INT PRIMARY KEY, old_note VARCHAR(20), gone INT, n SMALLINT)",
                "CREATE TABLE c (id INT PRIMARY KEY, p_id INT NOT NULL, old_label VARCHAR(20), tmp INT, qty SMALLINT, "
                        + "CONSTRAINT fk_c_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE)",
                "CREATE TABLE r (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE d (id INT PRIMARY KEY, v INT)",
                "INSERT INTO p VALUES (1, 'a', 10, 1), (2, 'b', 20, 2)",
                "INSERT INTO c VALUES (11, 1, 'x', 5, 1), (12, 2, 'y', 6, 2), (14, 1, 'v', 7, 3)",
                "INSERT INTO r VALUES (1, 1)",
                "INSERT INTO d VALUES (1, 1)");
        pipeline.awaitSynced(WAIT);
        TimeUnit.SECONDS.sleep(3); // Debezium's offsets are flushed every second
        sourceOffsetsBeforeChanges = rest.offsets(pipeline.source().name());
        source("USE rd", "ALTER TABLE p DROP COLUMN gone", "ALTER TABLE p CHANGE old_note note VARCHAR(20)");
        pipeline.awaitSynced(WAIT);
        betweenChanges = pipeline.sinkCheckpoint();
        source(
                "USE rd",
                "UPDATE c SET old_label = 'y2' WHERE id = 12",
                "ALTER TABLE p MODIFY n INT",
                "ALTER TABLE c DROP COLUMN tmp, CHANGE old_label label VARCHAR(30), MODIFY qty INT",
                "ALTER TABLE c ADD COLUMN extra INT DEFAULT 7",
                "RENAME TABLE r TO r2",
                "DROP TABLE d",
                "INSERT INTO p VALUES (6, 'f', 70000)",
                "INSERT INTO c (id, p_id, label, qty, extra) VALUES (13, 6, 'z', 70000, 9)",
                "UPDATE c SET extra = 8 WHERE id = 11",
                "DELETE FROM p WHERE id = 1",
                "INSERT INTO r2 VALUES (2, 2)");
        pipeline.awaitSynced(WAIT);
        assertSame();
        assertEquals(
                List.of(List.of("12", "2", "y2", "2", "7"), List.of("13", "6", "z", "70000", "9")),
                stack.target().query("SELECT id, p_id, label, qty, extra FROM rd.c ORDER BY id"));
    }

    @AfterAll
    static void down() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (stderr != null) {
            System.setErr(stderr);
        }
    }

    private static void source(String... sql) {
        pipeline.runOnSource(new SqlScript("rd", List.of(sql)));
    }

    private static void assertSame() {
        List<Verify.Row> rows = Verify.compare(stack.source(), stack.target(), "rd", Set.of());
        Verify.print(rows, System.out);
        assertEquals(
                List.of("rd.c", "rd.p", "rd.r2"),
                rows.stream().map(Verify.Row::table).toList());
        assertTrue(rows.stream().allMatch(Verify.Row::ok), "source == target for rd: " + rows);
    }

    /** The target lost data (a bad restore, rows changed by hand): what a replay is for. */
    private static void damage(String pRows) {
        stack.target()
                .exec(
                        "DELETE FROM rd.c WHERE id = 13",
                        "UPDATE rd.p SET note = 'damaged' WHERE " + pRows,
                        "UPDATE rd.c SET label = 'damaged'");
    }

    private static void replayed(Runnable moveOffsets) throws Exception {
        String sink = pipeline.sink().name();
        rest.stop(sink);
        rest.awaitStopped(sink, WAIT);
        LOG.setLength(0);
        moveOffsets.run();
        rest.resume(sink);
        rest.awaitRunning(sink, WAIT);
        pipeline.awaitSynced(WAIT);
        assertEquals(
                "RUNNING", rest.status(sink).path("tasks").get(0).path("state").asText());
        assertEquals(
                List.of(), stack.target().query("SELECT * FROM fksafe.fksafe_checkpoint_replay"), "the window closed");
    }

    private static void assertLogged(String... lines) {
        String log = LOG.toString();
        for (String line : lines) {
            assertTrue(
                    log.contains(line),
                    "logged: " + line + "\n--- log:\n"
                            + log.lines().filter(l -> l.contains("Replay")).reduce("", (a, b) -> a + b + "\n"));
        }
    }

    @Test
    @Order(1)
    void fullReplay_fromOffsetZero_acrossEverySchemaChange() throws Exception {
        damage("1 = 1");
        replayed(() -> call(() -> rest.resetOffsets(pipeline.sink().name())));
        assertSame();
        assertLogged(
                "replayed rows carried into today's schema: rd.p: 2 x column 'gone' dropped later",
                "2 x column 'old_note' renamed later to 'note'",
                "x column 'old_label' renamed later to 'label'",
                "x column 'tmp' dropped later",
                "x column 'qty' changed type later",
                "x column 'extra' added later",
                "rd.r2: 1 x table rd.r renamed later to rd.r2",
                "rd.d: 1 x rows skipped: table dropped later",
                "FK orphans in");
    }

    @Test
    @Order(2)
    void replayFromAnOffsetBetweenTwoSchemaChanges() throws Exception {
        damage("id = 6"); // only what the replayed records write again
        replayed(() -> call(() -> rest.alterSinkOffset(pipeline.sink().name(), pipeline.topic(), 0, betweenChanges)));
        assertSame();
        assertLogged(
                "replayed rows carried into today's schema: rd.c: ",
                "1 x column 'old_label' renamed later to 'label'",
                "1 x column 'tmp' dropped later");
        assertTrue(!LOG.toString().contains("column 'gone' dropped later"), "that change ran before the replayed rows");
    }

    /** Debezium's offsets moved back to before every schema change: it sends rows and DDL again under new offsets. */
    @Test
    @Order(3)
    void debeziumSendsEverythingAgainAfterItsOffsetsMovedBack() throws Exception {
        String source = pipeline.source().name();
        long end = pipeline.endOffset();
        rest.stop(source);
        rest.awaitStopped(source, WAIT);
        rest.alterOffsets(source, sourceOffsetsBeforeChanges);
        rest.resume(source);
        rest.awaitRunning(source, WAIT);
        pipeline.awaitSynced(WAIT);
        assertTrue(pipeline.endOffset() > end + 10, "Debezium sent the changes again");
        assertEquals(
                "RUNNING",
                rest.status(pipeline.sink().name())
                        .path("tasks")
                        .get(0)
                        .path("state")
                        .asText());
        assertSame();
    }

    private interface IoCall {
        Object run() throws Exception;
    }

    private static void call(IoCall c) {
        try {
            c.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Db target() {
        return stack.target();
    }
}

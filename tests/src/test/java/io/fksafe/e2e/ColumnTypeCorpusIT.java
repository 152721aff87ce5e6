package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fksafe.stack.Pipeline;
import io.fksafe.stack.Verify;

/**
 * Every value arrives as the source has it, through the shipped configs: real Debezium MariaDB, Kafka, Connect and
 * the sink, source and target compared column by column on the servers after the inserts, the updates and the
 * deletes. The schema comes through the topic too ({@code ddl.mode=apply}), so column definitions are compared as well.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ColumnTypeCorpusIT {

    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final String UTC = "SET SESSION time_zone = '+00:00'";
    private static EmbeddedStack stack;
    private static Pipeline pipeline;

    @BeforeAll
    static void up() throws Exception {
        stack = EmbeddedStack.start("corpus");
        pipeline = new Pipeline(stack);
        pipeline.deploy(WAIT);
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

    private static void onSource(List<String> sql) {
        List<String> all = new ArrayList<>(List.of(UTC));
        all.addAll(sql);
        stack.source().run(all);
    }

    private static void assertSameColumns(String db, String phase) throws Exception {
        pipeline.awaitSynced(WAIT);
        List<String> diffs = ColumnCompare.definitions(stack.source(), stack.target(), db);
        diffs.addAll(ColumnCompare.values(stack.source(), stack.target(), db));
        assertEquals(List.of(), diffs, phase + ": source and target differ");
        List<Verify.Row> rows = Verify.compare(stack.source(), stack.target(), db, Set.of());
        assertTrue(rows.stream().allMatch(Verify.Row::ok), phase + ": " + rows);
    }

    /** Issue 14, item 1: JsonConverter's replace.null.with.default wrote the column's DEFAULT in place of a NULL. */
    @Test
    @Order(1)
    void nullInColumnsWithDefaults_staysNull_onInsertAndUpdate() throws Exception {
        onSource(List.of(
                "CREATE DATABASE nd",
                "CREATE TABLE nd.nd (id INT PRIMARY KEY, d INT NULL DEFAULT 5, s VARCHAR(10) DEFAULT 'dflt', "
                        + "e ENUM('a','b') DEFAULT 'b', t DATETIME NULL DEFAULT CURRENT_TIMESTAMP)",
                "INSERT INTO nd.nd VALUES (1, NULL, NULL, NULL, NULL)",
                "INSERT INTO nd.nd (id) VALUES (2)",
                "INSERT INTO nd.nd VALUES (3, 1, 'x', 'a', '2001-01-01 00:00:00')",
                "UPDATE nd.nd SET d = NULL, s = NULL, e = NULL, t = NULL WHERE id = 3"));
        pipeline.awaitSynced(WAIT);
        assertEquals(
                Arrays.asList(Arrays.asList("1", null, null, null, null), Arrays.asList("3", null, null, null, null)),
                stack.target().query("SELECT id, d, s, e, t FROM nd.nd WHERE id <> 2 ORDER BY id"));
        assertEquals(
                List.of(List.of("5", "dflt", "b")), stack.target().query("SELECT d, s, e FROM nd.nd WHERE id = 2"));
        assertSameColumns("nd", "NULL and DEFAULT");
    }

    /** Issue 14, item 2: Debezium's enable.time.adjuster turned year 0018 into 2018 (and 0070..0099 into 1970..1999). */
    @Test
    @Order(2)
    void yearsBelow100_keepTheirYear() throws Exception {
        onSource(List.of(
                "CREATE DATABASE years",
                "CREATE TABLE years.y (id INT PRIMARY KEY, d DATE, dt DATETIME(6))",
                "INSERT INTO years.y VALUES (1, '0018-04-01', '0018-04-01 10:11:12.5'), (2, '0099-12-31', '0070-01-01 00:00:00'),"
                        + " (3, '0001-01-01', '0069-06-30 23:59:59.999999')",
                "UPDATE years.y SET d = '0042-02-03' WHERE id = 3"));
        pipeline.awaitSynced(WAIT);
        assertEquals(
                List.of(
                        List.of("1", "0018-04-01", "0018-04-01 10:11:12.500000"),
                        List.of("2", "0099-12-31", "0070-01-01 00:00:00.000000"),
                        List.of("3", "0042-02-03", "0069-06-30 23:59:59.999999")),
                stack.target().query("SELECT id, d, dt FROM years.y ORDER BY id"));
        assertSameColumns("years", "years 1-99");
    }

    @Test
    @Order(3)
    void everyColumnType_insertedUpdatedDeleted_arrivesColumnByColumnAsTheSourceHasIt() throws Exception {
        List<ColumnTypeCorpus.Type> types = new ArrayList<>(ColumnTypeCorpus.TYPES);
        if (Boolean.getBoolean("fksafe.corpus.capture")) {
            types.addAll(ColumnTypeCorpus.CHANGED_AT_CAPTURE);
        }
        List<String> ddl = new ArrayList<>(List.of("CREATE DATABASE corpus"));
        types.forEach(t -> ddl.add(t.create("corpus")));
        onSource(ddl);
        List<String> inserts = new ArrayList<>();
        types.forEach(t -> inserts.addAll(t.inserts("corpus")));
        onSource(inserts);
        assertSameColumns("corpus", "after the inserts");

        List<String> updates = new ArrayList<>();
        types.forEach(t -> updates.addAll(t.updates("corpus")));
        onSource(updates);
        assertSameColumns("corpus", "after the updates");

        List<String> deletes = new ArrayList<>();
        types.forEach(t -> deletes.addAll(t.deletes("corpus")));
        onSource(deletes);
        assertSameColumns("corpus", "after the deletes");
    }

    /**
     * Issue 14, item 9: the shipped configs carry change events up to 16 MiB (producer, topic, consumer), which is a
     * row of 6 MiB even in an UPDATE (before and after) of binary columns (base64 in JSON, a third larger).
     */
    @Test
    @Order(4)
    void rowOfSixMiB_insertedAndUpdated_arrivesWhole() throws Exception {
        int blob = 4 * 1024 * 1024;
        int text = 2 * 1024 * 1024 - 1024;
        onSource(List.of(
                "CREATE DATABASE big",
                "CREATE TABLE big.b (id INT PRIMARY KEY, n INT NOT NULL, bin LONGBLOB, txt LONGTEXT)",
                // 64 distinct bytes repeated: as large in JSON as random bytes, cheap to make
                "INSERT INTO big.b VALUES (1, 0, REPEAT(UNHEX(SHA2('fksafe', 512)), " + blob / 64 + "), REPEAT('é', "
                        + text / 2 + "))",
                "UPDATE big.b SET n = 1 WHERE id = 1"));
        assertSameColumns("big", "a 6 MiB row");
        assertEquals(
                List.of(List.of("1", Integer.toString(blob), Integer.toString(text - text % 2))),
                stack.target().query("SELECT n, LENGTH(bin), LENGTH(txt) FROM big.b"));
    }

    /**
     * Issue 14, item 8, through the real capture: Debezium decodes latin1 with Java's cp1252, where 0x81 is undefined,
     * so U+FFFD arrives and a latin1 target column refuses it. The sink stops, saying the loss happened at capture.
     * Last: it leaves the sink failed.
     */
    @Test
    @Order(99)
    void latin1ByteUndefinedInCp1252_stopsTheSink_namingTheCaptureSideLoss() throws Exception {
        onSource(List.of(
                "CREATE DATABASE l1",
                "CREATE TABLE l1.t (id INT PRIMARY KEY, name VARCHAR(10) CHARACTER SET latin1)",
                "INSERT INTO l1.t VALUES (1, CONCAT('a', CAST(x'81' AS CHAR CHARACTER SET latin1), 'b'))"));
        IOException e = assertThrows(IOException.class, () -> pipeline.awaitSynced(Duration.ofMinutes(2)));
        String m = e.getMessage();
        assertTrue(
                m.contains("l1.t")
                        && m.contains("'name'")
                        && m.contains("1366")
                        && m.contains("U+FFFD")
                        && m.contains("lost at capture")
                        && m.contains("offset="),
                m);
        assertEquals(0, stack.target().count("SELECT COUNT(*) FROM l1.t"));
    }
}

package io.fksafe.sink.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.FkSafeSinkConnector;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * Recovery replays (REST offset rewinds) across schema changes, through the task onto a real MariaDB: rows written
 * before a later schema change are applied to today's target schema as the journaled changes carried them, and a
 * change that cannot carry them stops the task with the statement and what to do. Outside a replay nothing changes.
 */
class ReplayAcrossSchemaChangesTest {

    private static final TopicPartition TP = TaskRunner.TP;
    private static final Schema INT = Schema.INT32_SCHEMA;
    private static final Schema OPT_INT = Schema.OPTIONAL_INT32_SCHEMA;
    private static final Schema OPT_TEXT = Schema.OPTIONAL_STRING_SCHEMA;

    private final TestDatabase db = TestDatabase.get();

    private String unusedName(String prefix) {
        String name = db.newDatabase(prefix);
        db.exec("DROP DATABASE `" + name + "`");
        return name;
    }

    /** Every table's rows, and the tables there are, in the replicated databases. */
    private List<List<String>> state(String... databases) {
        List<List<String>> out = new java.util.ArrayList<>();
        for (String d : databases) {
            out.add(List.of(
                    "db",
                    d,
                    Long.toString(db.count(
                            "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + d + "'"))));
            out.addAll(db.dump(d));
        }
        return out;
    }

    private static Map<TopicPartition, Long> reset() {
        Map<TopicPartition, Long> m = new HashMap<>();
        m.put(TP, null);
        return m;
    }

    /** The statements, and one of every other kind the parser classifies, around rows of each table. */
    private static final class History {
        final String d;
        final String d2;
        final ChangeStream stream = new ChangeStream();
        final Set<DdlKind> kinds = EnumSet.noneOf(DdlKind.class);
        long afterRenameOfNote;
        long dropOfGone;
        long firstRows;
        long beforeModifyOfN;

        History(String d, String d2) {
            this.d = d;
            this.d2 = d2;
            TableDef pOld = TableDef.of(d, "p")
                    .key("id", INT)
                    .col("old_note", OPT_TEXT)
                    .col("gone", OPT_INT)
                    .col("n", Schema.OPTIONAL_INT16_SCHEMA);
            TableDef pMid =
                    TableDef.of(d, "p").key("id", INT).col("note", OPT_TEXT).col("n", Schema.OPTIONAL_INT16_SCHEMA);
            TableDef pNew =
                    TableDef.of(d, "p").key("id", INT).col("note", OPT_TEXT).col("n", OPT_INT);
            TableDef cOld = TableDef.of(d, "c")
                    .key("id", INT)
                    .col("p_id", OPT_INT)
                    .col("old_label", OPT_TEXT)
                    .col("tmp", OPT_INT);
            TableDef cNew = TableDef.of(d, "c")
                    .key("id", INT)
                    .col("p_id", OPT_INT)
                    .col("label", OPT_TEXT)
                    .col("extra", OPT_INT);
            TableDef r = TableDef.of(d, "r").key("id", INT).col("v", OPT_INT);
            TableDef r2 = TableDef.of(d, "r2").key("id", INT).col("v", OPT_INT);
            TableDef q = TableDef.of(d, "q").key("id", INT).col("v", OPT_INT);
            TableDef q2 = TableDef.of(d, "q2").key("id", INT).col("v", OPT_INT);
            TableDef gone = TableDef.of(d, "dropped").key("id", INT).col("v", OPT_INT);
            TableDef x = TableDef.of(d2, "x").key("id", INT);

            ddl(d, "CREATE DATABASE `" + d + "`");
            ddl(d, "CREATE TABLE p (id INT PRIMARY KEY, old_note VARCHAR(20), gone INT, n SMALLINT)");
            ddl(
                    d,
                    "CREATE TABLE c (id INT PRIMARY KEY, p_id INT, old_label VARCHAR(20), tmp INT, "
                            + "CONSTRAINT fk_c_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE)");
            ddl(d, "CREATE TABLE r (id INT PRIMARY KEY, v INT)");
            ddl(d, "CREATE TABLE q (id INT PRIMARY KEY, v INT)");
            ddl(d, "CREATE TABLE dropped (id INT PRIMARY KEY, v INT)");
            ddl(d2, "CREATE DATABASE `" + d2 + "`");
            ddl(d2, "CREATE TABLE x (id INT PRIMARY KEY)");
            ddl(d, "SET sql_mode = 'STRICT_ALL_TABLES'");
            ddl(d, "CREATE VIEW pv AS SELECT id FROM p");
            ddl(d, "ANALYZE TABLE p");
            firstRows = stream.size();
            stream.tx(
                    pOld.insert(1, "a", 10, (short) 1),
                    pOld.insert(2, "b", 20, (short) 2),
                    cOld.insert(11, 1, "x", 5),
                    cOld.insert(12, 2, "w", 6),
                    r.insert(1, 1),
                    q.insert(1, 1),
                    gone.insert(1, 1),
                    x.insert(1));
            dropOfGone = stream.size() + 1; // after its BEGIN marker
            ddl(d, "ALTER TABLE p DROP COLUMN gone");
            ddl(d, "ALTER TABLE p CHANGE old_note note VARCHAR(20)");
            afterRenameOfNote = stream.size();
            stream.tx(pMid.update(2, "b2", (short) 3), cOld.update(11, 1, "y", 7));
            beforeModifyOfN = stream.size();
            ddl(d, "ALTER TABLE p MODIFY n INT");
            ddl(
                    d,
                    "ALTER TABLE c RENAME COLUMN old_label TO label, DROP COLUMN tmp, MODIFY p_id INT NULL, ADD COLUMN extra INT DEFAULT 7");
            ddl(d, "CREATE INDEX ix_c_label ON c (label)");
            ddl(d, "DROP INDEX ix_c_label ON c");
            ddl(d, "ALTER DATABASE `" + d + "` CHARACTER SET utf8mb4");
            ddl(d, "RENAME TABLE r TO r2");
            ddl(d, "ALTER TABLE q RENAME TO q2");
            ddl(d, "DROP TABLE dropped");
            ddl(d2, "DROP DATABASE `" + d2 + "`");
            stream.tx(pNew.insert(6, "f", 70000), cNew.insert(13, 6, "z", 8), r2.insert(2, 2), q2.update(1, 5));
            stream.tx(cNew.update(12, 2, "w2", 9), pNew.delete(1)); // c 11 cascades away with p 1
        }

        private void ddl(String database, String sql) {
            kinds.add(DdlParser.parse(sql, database).kind);
            stream.ddl(database, sql);
        }

        List<List<String>> expected() {
            return List.of(
                    List.of("db", d, "1"),
                    List.of("c", "12", "2", "w2", "9"),
                    List.of("c", "13", "6", "z", "8"),
                    List.of("p", "2", "b2", "3"),
                    List.of("p", "6", "f", "70000"),
                    List.of("q2", "1", "5"),
                    List.of("r2", "1", "1"),
                    List.of("r2", "2", "2"),
                    List.of("db", d2, "0"));
        }
    }

    private Map<String, String> props(String d) {
        return TaskRunner.props("replay-ddl-" + d);
    }

    private History replicated() {
        History h = new History(unusedName("rpl"), unusedName("rplx"));
        // UNSUPPORTED statements are refused when they come, so never journaled; what cannot be mapped: cannotMap_...
        assertEquals(
                EnumSet.complementOf(EnumSet.of(DdlKind.UNSUPPORTED)),
                h.kinds,
                "every kind the parser classifies and the sink runs or passes");
        try (TaskRunner t = new TaskRunner(props(h.d))) {
            assertEquals(h.stream.size(), t.deliver(h.stream.all()).get(TP).offset());
        }
        assertEquals(h.expected(), state(h.d, h.d2), "replicated as the source has it");
        return h;
    }

    /** The target lost data (a bad restore, rows removed by hand): what a replay is for. */
    private void damage(History h) {
        db.exec(
                "SET foreign_key_checks = 0",
                "DELETE FROM `" + h.d + "`.c WHERE id = 13",
                "UPDATE `" + h.d + "`.p SET note = 'damaged'",
                "DELETE FROM `" + h.d + "`.r2",
                "UPDATE `" + h.d + "`.c SET extra = NULL");
    }

    @Test
    void fullReplay_fromOffsetZero_carriesEveryOlderRowIntoTodaysSchema() {
        History h = replicated();
        damage(h);
        new FkSafeSinkConnector().alterOffsets(props(h.d), reset());
        Map<String, Long> mappings;
        try (TaskRunner t = new TaskRunner(props(h.d))) {
            assertEquals(h.stream.size(), t.deliver(h.stream.all()).get(TP).offset());
            mappings = t.task.replayMappings();
        }
        assertEquals(h.expected(), state(h.d, h.d2), "the replay restored the target to the source");
        String p = h.d + ".p";
        String c = h.d + ".c";
        assertEquals(
                2L,
                count(
                        mappings,
                        p + ": column 'gone' dropped later (offset " + h.dropOfGone
                                + ": ALTER TABLE p DROP COLUMN gone): ignored"),
                mappings.toString());
        assertEquals(
                2L,
                count(
                        mappings,
                        p + ": column 'old_note' renamed later to 'note' (offset " + (h.afterRenameOfNote - 1)
                                + ": ALTER TABLE p CHANGE old_note note VARCHAR(20)): written under the new name"),
                mappings.toString());
        assertEquals(
                3L,
                count(
                        mappings,
                        p + ": column 'n' changed type later (offset " + (h.beforeModifyOfN + 1)
                                + ": ALTER TABLE p MODIFY n INT): the value is converted by the target to today's type"),
                mappings.toString());
        assertEquals(3L, count(mappings, c + ": column 'old_label' renamed later to 'label'"), mappings.toString());
        assertEquals(3L, count(mappings, c + ": column 'tmp' dropped later"), mappings.toString());
        assertEquals(3L, count(mappings, c + ": column 'extra' added later"), mappings.toString());
        assertEquals(
                1L,
                count(mappings, h.d + ".r2: table " + h.d + ".r renamed later to " + h.d + ".r2"),
                mappings.toString());
        assertEquals(
                1L,
                count(mappings, h.d + ".q2: table " + h.d + ".q renamed later to " + h.d + ".q2"),
                mappings.toString());
        assertEquals(1L, count(mappings, h.d + ".dropped: rows skipped: table dropped later"), mappings.toString());
        assertEquals(1L, count(mappings, h.d2 + ".x: rows skipped: table dropped later"), mappings.toString());
        assertEquals(
                List.of(),
                db.query("SELECT replay_until FROM fksafe_test.checkpoint_replay WHERE connector = 'replay-ddl-" + h.d
                        + "'"),
                "the window closed (with its FK orphan check)");
    }

    @Test
    void patchBetweenTwoSchemaChanges_replaysFromThere() {
        History h = replicated();
        damage(h);
        Map<String, String> props = props(h.d);
        new FkSafeSinkConnector().alterOffsets(props, Map.of(TP, h.afterRenameOfNote));
        try (TaskRunner t = new TaskRunner(props)) {
            assertEquals(h.afterRenameOfNote, t.seekedTo());
            t.deliver(h.stream.from(h.afterRenameOfNote));
            Map<String, Long> m = t.task.replayMappings();
            assertEquals(1L, count(m, h.d + ".p: column 'n' changed type later"), m.toString());
            assertEquals(0L, count(m, h.d + ".p: column 'gone'"), "that change ran before the replayed rows: " + m);
        }
        List<List<String>> expected = new java.util.ArrayList<>(h.expected());
        expected.remove(List.of("r2", "1", "1")); // written before the replayed offsets, so the damage stays
        assertEquals(expected, state(h.d, h.d2));
    }

    /** Debezium read its binlog again (its offsets moved back) and sends rows and DDL again, marked safe by the SMT. */
    private static int reEmitFromTheFirstRows(History h) {
        int n = 0;
        for (org.apache.kafka.connect.sink.SinkRecord r : h.stream.from(h.firstRows)) {
            io.fksafe.change.ChangeRecord c =
                    io.fksafe.change.ChangeRecord.fromStruct((org.apache.kafka.connect.data.Struct) r.value());
            if (c.op().isRowChange() || c.op() == io.fksafe.change.Op.DDL) { // same source positions, no transaction id
                h.stream.append(c.toBuilder().txId(null).safe(true).build());
                n++;
            }
        }
        return n;
    }

    /**
     * The checkpoint's source position proves every re-sent transaction before its own applied: those are skipped,
     * none reaches the mapper. The checkpoint's own transaction (two rows, no total_order) may have been applied, so
     * it is applied again in safe mode; no schema change came after it.
     */
    @Test
    void debeziumReEmission_behindThePositionedCheckpoint_isSkippedAsApplied() {
        History h = replicated();
        long first = h.stream.size();
        int reSent = reEmitFromTheFirstRows(h);
        try (TaskRunner t = new TaskRunner(props(h.d))) {
            assertEquals(
                    h.stream.size(), t.deliver(h.stream.from(first)).get(TP).offset());
            assertEquals(
                    reSent - 2, t.task.stats().skippedDuplicatePositions(), "all but the checkpoint's transaction");
            assertEquals(Map.of(), t.task.replayMappings());
        }
        assertEquals(h.expected(), state(h.d, h.d2));
    }

    /**
     * A re-emission the dedupe cannot prove applied: an offsets PATCH that did not rewind (here to where the sink
     * stood; a skip forward does the same) leaves the checkpoint without a source position. The SMT marked the rows
     * safe, so they are carried into today's schema by their source position, and the re-sent DDL is passed.
     */
    @Test
    void debeziumReEmission_theDedupeCannotProve_isCarriedIntoTodaysSchemaByPosition_andItsDdlPassed() {
        History h = replicated();
        long first = h.stream.size();
        new FkSafeSinkConnector().alterOffsets(props(h.d), Map.of(TP, first)); // no window: nothing moved back
        reEmitFromTheFirstRows(h);
        try (TaskRunner t = new TaskRunner(props(h.d))) {
            assertEquals(first, t.seekedTo());
            assertEquals(
                    h.stream.size(), t.deliver(h.stream.from(first)).get(TP).offset());
            Map<String, Long> m = t.task.replayMappings();
            assertEquals(2L, count(m, h.d + ".p: column 'gone' dropped later"), m.toString());
            assertEquals(1L, count(m, h.d + ".dropped: rows skipped"), m.toString());
            assertEquals(0L, t.task.stats().skippedDuplicatePositions(), "nothing proves them applied");
        }
        assertEquals(h.expected(), state(h.d, h.d2));
    }

    @Test
    void outsideAReplay_aSourceColumnWithoutATargetColumnStillStopsTheTask() {
        History h = replicated();
        TableDef pOld = TableDef.of(h.d, "p")
                .key("id", INT)
                .col("old_note", OPT_TEXT)
                .col("gone", OPT_INT)
                .col("n", Schema.OPTIONAL_INT16_SCHEMA);
        long next = h.stream.size();
        h.stream.tx(pOld.insert(7, "g", 1, (short) 1)); // an old-schema row after the checkpoint: no replay
        try (TaskRunner t = new TaskRunner(props(h.d))) {
            ConnectException e = assertThrows(ConnectException.class, () -> t.deliver(h.stream.from(next)));
            assertTrue(
                    e.getMessage().contains("source column 'old_note' of " + h.d + ".p has no column in target table"),
                    e.getMessage());
        }
    }

    @Test
    void cannotMap_aKeyMovedLaterOntoAColumnTheRowLacks_stopsWithTheStatementAndTheFix() {
        String d = unusedName("rplkey");
        TableDef kOld = TableDef.of(d, "k").key("id", INT).col("v", OPT_INT);
        TableDef kNew = TableDef.of(d, "k").key("id", INT).key("code", INT).col("v", OPT_INT);
        ChangeStream s = new ChangeStream()
                .ddl(d, "CREATE DATABASE `" + d + "`")
                .ddl(d, "CREATE TABLE k (id INT PRIMARY KEY, v INT)")
                .tx(kOld.insert(1, 1));
        long alter = s.size() + 1; // after its BEGIN marker
        s.ddl(d, "ALTER TABLE k ADD COLUMN code INT NOT NULL DEFAULT 0, DROP PRIMARY KEY, ADD PRIMARY KEY (id, code)")
                .tx(kNew.insert(1, 2, 2));
        Map<String, String> props = props(d);
        try (TaskRunner t = new TaskRunner(props)) {
            t.deliver(s.all());
        }
        new FkSafeSinkConnector().alterOffsets(props, reset());
        try (TaskRunner t = new TaskRunner(props)) {
            ConnectException e = assertThrows(ConnectException.class, () -> t.deliver(s.all()));
            assertTrue(
                    e.getMessage()
                            .contains(
                                    "'ALTER TABLE k ADD COLUMN code INT NOT NULL DEFAULT 0, DROP PRIMARY KEY, ADD PRIMARY KEY (id, code)'"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("PATCH its offsets to " + (alter + 1)), e.getMessage());
        }
        new FkSafeSinkConnector().alterOffsets(props, Map.of(TP, alter + 1)); // the advice
        try (TaskRunner t = new TaskRunner(props)) {
            assertEquals(s.size(), t.deliver(s.from(alter + 1)).get(TP).offset());
        }
        assertEquals(List.of(List.of("k", "1", "1", "0"), List.of("k", "1", "2", "2")), db.dump(d));
    }

    @Test
    void historyOlderThanTheJournal_aColumnTheTargetLacksIsDroppedOnlyInsideTheWindow() {
        String d = unusedName("rplold");
        TableDef h = TableDef.of(d, "h").key("id", INT).col("a", OPT_TEXT).col("b", OPT_TEXT);
        ChangeStream s = new ChangeStream()
                .ddl(d, "CREATE DATABASE `" + d + "`")
                .ddl(d, "CREATE TABLE h (id INT PRIMARY KEY, a VARCHAR(5), b VARCHAR(5))")
                .tx(h.insert(1, "a", "b"));
        Map<String, String> props = props(d);
        try (TaskRunner t = new TaskRunner(props)) {
            t.deliver(s.all());
        }
        db.exec(
                "ALTER TABLE `" + d + "`.h DROP COLUMN b",
                "DELETE FROM `" + d + "`.h"); // never streamed; then data lost
        new FkSafeSinkConnector().alterOffsets(props, reset());
        try (TaskRunner t = new TaskRunner(props)) {
            t.deliver(s.all());
            assertEquals(
                    1L,
                    count(t.task.replayMappings(), d + ".h: column 'b' has no column in today's table"),
                    t.task.replayMappings().toString());
        }
        assertEquals(List.of(List.of("h", "1", "a")), db.dump(d));
        s.tx(h.insert(2, "a", "b")); // a new record, outside the window
        try (TaskRunner t = new TaskRunner(props)) {
            ConnectException e = assertThrows(ConnectException.class, () -> t.deliver(s.from(s.size() - 1)));
            assertTrue(
                    e.getMessage().contains("source column 'b' of " + d + ".h has no column in target table"),
                    e.getMessage());
        }
    }

    private static long count(Map<String, Long> mappings, String prefix) {
        return mappings.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}

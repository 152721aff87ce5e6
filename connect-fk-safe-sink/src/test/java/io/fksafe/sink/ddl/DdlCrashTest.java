package io.fksafe.sink.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fksafe.sink.target.FaultPoint;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.Faults.SimulatedCrash;
import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * The task dies between the journal's steps — after the intent was committed but before the statement ran, and after
 * it ran but before it was marked done with the checkpoint — and is started again: the schema ends as one clean run
 * leaves it, nothing runs twice (an unnamed foreign key or index would appear twice), and no DDL error stops it.
 */
class DdlCrashTest {

    private static final String SETUP_PARENT = "CREATE TABLE parent (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL)";
    private static final String SETUP_CHILD =
            "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NULL, name VARCHAR(20) NULL, "
                    + "CONSTRAINT fk_p FOREIGN KEY (parent_id) REFERENCES parent (id))";
    private static final TableDef PARENT =
            TableDef.of("shop", "parent").key("id", Schema.INT64_SCHEMA).col("name", Schema.STRING_SCHEMA);

    private final TestDatabase db = TestDatabase.get();

    static Stream<Arguments> statements() {
        List<String> ddl = List.of(
                "CREATE TABLE kid (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL, FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE)",
                "ALTER TABLE child ADD FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET NULL ON UPDATE CASCADE",
                "ALTER TABLE child ADD COLUMN note VARCHAR(20) NULL, ADD INDEX (note, name)",
                "ALTER TABLE child DROP FOREIGN KEY fk_p",
                "ALTER TABLE child MODIFY COLUMN name VARCHAR(50) NOT NULL DEFAULT ''",
                "CREATE INDEX ix_name ON child (name)",
                "RENAME TABLE child TO kid",
                "DROP TABLE child");
        return ddl.stream()
                .flatMap(sql -> Stream.of(
                        Arguments.of(sql, FaultPoint.AFTER_DDL_INTENT), Arguments.of(sql, FaultPoint.AFTER_DDL)));
    }

    private String targetWithSchema(String prefix) {
        String target = db.newDatabase(prefix);
        db.exec("USE `" + target + "`", SETUP_PARENT, SETUP_CHILD);
        return target;
    }

    private static Map<String, String> props(String connector, String target) {
        return TaskRunner.props(connector, "table.mapping", "shop.*=" + target + ".*");
    }

    private static ChangeStream streamAround(String ddl) {
        return new ChangeStream()
                .tx(PARENT.insert(1L, "before"))
                .ddl("shop", ddl)
                .tx(PARENT.insert(2L, "after"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("statements")
    void killedMidDdl_restart_leavesTheSchemaAsOneCleanRun(String ddl, FaultPoint step) {
        ChangeStream stream = streamAround(ddl);
        String reference = targetWithSchema("crashref");
        try (TaskRunner once = new TaskRunner(props("crash-ref-" + reference, reference))) {
            once.deliver(stream.all());
        }

        String target = targetWithSchema("crash");
        String connector = "crash-" + target;
        TaskRunner first = new TaskRunner(props(connector, target));
        first.faults.crashAt(step);
        assertThrows(SimulatedCrash.class, () -> first.task.put(stream.all()));
        first.task.stop(); // killed: no close, no offset commit

        TaskRunner second = new TaskRunner(props(connector, target)); // open() resolves the intent from the catalog
        assertEquals(stream.size() - 1L, second.seekedTo(), "resumes right after the DDL record");
        second.deliver(stream.all()); // the worker re-sends everything; the checkpoint skips what the target has
        second.close();

        assertEquals(CatalogView.of(db, reference), CatalogView.of(db, target));
        assertEquals(db.dump(reference), db.dump(target));
        assertEquals(
                List.of(List.of("done")),
                db.query("SELECT state FROM fksafe_test.fksafe_ddl_journal WHERE connector = '" + connector + "'"));
    }

    /** The task seeks back to the checkpoint before the DDL; the records from there resolve the intent. */
    @ParameterizedTest(name = "apply.pipelined={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void lostConnectionAfterTheIntent_theTaskSeeksBack_andTheIntentIsResolvedInPlace(boolean pipelined) {
        String target = targetWithSchema("crashtx");
        String connector = "crash-tx-" + target;
        ChangeStream stream = streamAround("ALTER TABLE child ADD INDEX (name)");
        Map<String, String> props = props(connector, target);
        props.put("apply.pipelined", String.valueOf(pipelined));
        try (TaskRunner t = new TaskRunner(props)) {
            t.faults.loseConnectionAt(FaultPoint.AFTER_DDL);
            assertTrue(t.putAndSettle(stream.all()) != null, "seeks back");
            assertTrue(t.context.timeoutMs > 0, "backs off before the seek's records come");
            t.deliver(stream.all());
        }
        assertEquals(
                1,
                db.count("SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '"
                        + target + "' AND TABLE_NAME = 'child' AND COLUMN_NAME = 'name'"),
                "one index, not two");
        assertEquals(2, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"));
    }

    @Test
    void crashWhileCreatingSnapshotTables_childFirst_restartFinishesWithChecksOff() {
        String target = db.newDatabase("crashsnap");
        String connector = "crash-snap-" + target;
        ChangeStream stream = new ChangeStream().snapshotDdl("shop", DdlReplicationTest.CAPTURED_SNAPSHOT_DDL);
        TaskRunner first = new TaskRunner(props(connector, target));
        first.faults.crashAt(FaultPoint.AFTER_DDL_INTENT);
        assertThrows(
                SimulatedCrash.class, () -> first.task.put(stream.all())); // the database exists: dies before audit_log
        first.task.stop();
        try (TaskRunner second = new TaskRunner(props(connector, target))) {
            second.faults.crashAt(FaultPoint.AFTER_DDL_INTENT);
            assertThrows(SimulatedCrash.class, () -> second.deliver(stream.all())); // audit_log done, dies before child
        }
        TaskRunner third = new TaskRunner(props(connector, target));
        third.faults.crashAt(FaultPoint.AFTER_DDL);
        assertThrows(
                SimulatedCrash.class,
                () -> third.deliver(stream.all())); // child (no parent yet) ran on open; item ran, not done
        third.task.stop();
        try (TaskRunner fourth = new TaskRunner(props(connector, target))) {
            fourth.deliver(stream.all());
        }
        String source = db.newDatabase("crashsnapsrc");
        db.exec(
                "USE `" + source + "`",
                "SET foreign_key_checks = 0",
                DdlReplicationTest.CAPTURED_SNAPSHOT_DDL[7],
                DdlReplicationTest.CAPTURED_SNAPSHOT_DDL[8],
                DdlReplicationTest.CAPTURED_SNAPSHOT_DDL[9],
                DdlReplicationTest.CAPTURED_SNAPSHOT_DDL[10]);
        assertEquals(CatalogView.of(db, source), CatalogView.of(db, target));
    }

    @Test
    void intentTheCatalogCannotDecide_stopsOnOpenNamingTheStatementAndTheFix() {
        String target = targetWithSchema("crashswap");
        db.exec("CREATE TABLE `" + target
                + "`.other (id BIGINT PRIMARY KEY, name VARCHAR(20) NULL, parent_id BIGINT NULL)");
        String connector = "crash-swap-" + target;
        String swap = "RENAME TABLE child TO tmp, other TO child, tmp TO other";
        ChangeStream stream = streamAround(swap);
        TaskRunner first = new TaskRunner(props(connector, target));
        first.faults.crashAt(FaultPoint.AFTER_DDL);
        assertThrows(SimulatedCrash.class, () -> first.task.put(stream.all()));
        first.task.stop();

        ConnectException e = assertThrows(ConnectException.class, () -> new TaskRunner(props(connector, target)));
        assertTrue(
                e.getMessage().contains(swap)
                        && e.getMessage().contains("cannot tell whether it ran")
                        && e.getMessage().contains("swap"),
                e.getMessage());
        String markDone = e.getMessage().replaceAll("(?s).*mark it done: (INSERT INTO .*?); if it is not.*", "$1");
        assertTrue(markDone.startsWith("INSERT INTO `fksafe_test`.`fksafe_ddl_journal`"), markDone);
        db.exec(markDone); // the operator checked: the swap happened

        try (TaskRunner second = new TaskRunner(props(connector, target))) {
            assertEquals(
                    stream.size() - 2L, second.seekedTo(), "at the DDL record, which the journal now says is done");
            second.deliver(stream.all());
        }
        assertEquals(
                1,
                db.count("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + target
                        + "' AND TABLE_NAME = 'other' AND COLUMN_NAME = 'name' AND ORDINAL_POSITION = 3"),
                "swapped once");
        assertEquals(2, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"));
    }
}

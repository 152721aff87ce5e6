package io.fksafe.sink.apply;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * How many statements packing saves, and where it must stop, on a real MariaDB with FK checks on.
 * PackingDifferentialTest proves the order safe; this proves packing happens at all.
 */
class StatementPackingTest {

    private final TestDatabase db = TestDatabase.get();

    private long statements(ChangeStream stream, String target, boolean packing) {
        try (TaskRunner t = new TaskRunner(TaskRunner.props(
                "packing-" + target,
                "table.mapping",
                "src.*=" + target + ".*",
                "statement.packing",
                String.valueOf(packing)))) {
            t.deliver(stream.all(), 10_000);
            return t.task.stats().statements();
        }
    }

    private String target() {
        String target = db.newDatabase("packing");
        LabSchema.create(db, target);
        return target;
    }

    @Test
    void parentChildTransactions_shareOneStatementPerTable() {
        ChangeStream stream = new ChangeStream();
        for (long tx = 0; tx < 50; tx++) {
            List<ChangeRecord> rows = new ArrayList<>();
            for (long p = tx * 2 + 1; p <= tx * 2 + 2; p++) {
                rows.add(PARENT.insert(p, "p" + p));
                for (long c = 0; c < 4; c++) {
                    rows.add(CHILD_CASCADE.insert(p * 4 + c, p, "c"));
                }
            }
            stream.txWithMarkers(rows.toArray(new ChangeRecord[0]));
        }
        String strict = target();
        String packed = target();
        assertEquals(200, statements(stream, strict, false), "strict order: 4 statements per upstream transaction");
        assertEquals(
                2, statements(stream, packed, true), "packed: 100 parents in one statement, 400 children in the other");
        assertEquals(LabSchema.state(db, strict), LabSchema.state(db, packed));
        assertEquals(400, db.count("SELECT COUNT(*) FROM `" + packed + "`.child_cascade"));
    }

    @Test
    void childrenNeverPassTheirParentsDelete_parentsUpsertsDo() {
        ChangeStream stream = new ChangeStream()
                .txWithMarkers(
                        PARENT.insert(1L, "p1"), CHILD_CASCADE.insert(1L, 1L, "a"), CHILD_CASCADE.insert(2L, 1L, "b"))
                .txWithMarkers(PARENT.delete(1L))
                .txWithMarkers(
                        PARENT.insert(3L, "p3"),
                        CHILD_CASCADE.insert(1L, 3L, "a again"),
                        CHILD_CASCADE.insert(3L, 3L, "c"));
        String strict = target();
        String packed = target();
        assertEquals(5, statements(stream, strict, false));
        // [parent 1, parent 3] [children 1, 2 of parent 1] [delete parent 1] [children 1, 3 of parent 3]
        assertEquals(4, statements(stream, packed, true));
        assertEquals(LabSchema.state(db, strict), LabSchema.state(db, packed));
        assertEquals(
                List.of(List.of("1", "3", "a again"), List.of("3", "3", "c")),
                db.query("SELECT id, parent_id, payload FROM `" + packed + "`.child_cascade ORDER BY id"));
    }

    /**
     * InnoDB deletes an IN list in index order: with parent 5 cascading the pair row and parent 3 restricted by it, one
     * {@code DELETE ... IN (5, 3)} would meet the RESTRICT first. Deletes of a table two FK paths lead away from run
     * one by one, packed or not.
     */
    @Test
    void deletesWhoseCascadesMeet_runOneByOneInArrivalOrder() {
        TableDef pair = TableDef.of("src", "pair")
                .key("id", Schema.INT64_SCHEMA)
                .col("a_id", Schema.OPTIONAL_INT64_SCHEMA)
                .col("b_id", Schema.OPTIONAL_INT64_SCHEMA);
        ChangeStream stream = new ChangeStream()
                .txWithMarkers(PARENT.insert(5L, "p5"), PARENT.insert(3L, "p3"), pair.insert(1L, 5L, 3L))
                .txWithMarkers(PARENT.delete(5L)) // cascades the pair row on the source: not in the binlog
                .txWithMarkers(PARENT.delete(3L));
        for (boolean packing : new boolean[] {false, true}) {
            String target = target();
            db.exec("CREATE TABLE `" + target + "`.pair (id BIGINT PRIMARY KEY, a_id BIGINT NULL, b_id BIGINT NULL, "
                    + "FOREIGN KEY (a_id) REFERENCES `" + target + "`.parent (id) ON DELETE CASCADE, "
                    + "FOREIGN KEY (b_id) REFERENCES `" + target + "`.parent (id) ON DELETE RESTRICT)");
            statements(stream, target, packing);
            assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"), "packing " + packing);
            assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.pair"), "packing " + packing);
        }
    }
}

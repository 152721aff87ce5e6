package io.fksafe.sink.fk;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.CHILD_RESTRICT;
import static io.fksafe.sink.testing.LabSchema.CHILD_SETNULL;
import static io.fksafe.sink.testing.LabSchema.GRANDCHILD;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.apply.Resolution;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.Scenario;
import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * FK shapes and replays, each checked against a real source: the source runs the SQL (its own cascades), the target
 * gets only the binlogged changes, and the two must end equal — applied once in normal mode, then replayed in safe
 * mode from every offset of the stream onto a target that is already ahead.
 */
class FkScenariosTest {

    private static final TableDef EMP = TableDef.of("src", "emp")
            .key("id", Schema.INT64_SCHEMA)
            .col("manager_id", Schema.OPTIONAL_INT64_SCHEMA)
            .col("name", Schema.STRING_SCHEMA);
    private static final TableDef ORDERS = TableDef.of("src", "orders")
            .key("region", Schema.STRING_SCHEMA)
            .key("id", Schema.INT32_SCHEMA)
            .col("total", Schema.INT32_SCHEMA);
    private static final TableDef LINES = TableDef.of("src", "order_lines")
            .key("region", Schema.STRING_SCHEMA)
            .key("order_id", Schema.INT32_SCHEMA)
            .key("line", Schema.INT32_SCHEMA)
            .col("sku", Schema.STRING_SCHEMA);

    private final TestDatabase db = TestDatabase.get();

    private Scenario scenario() {
        String source = db.newDatabase("fksrc");
        createAll(source);
        return new Scenario(db, source);
    }

    private void createAll(String d) {
        LabSchema.create(db, d);
        db.exec(
                "CREATE TABLE `" + d
                        + "`.emp (id BIGINT PRIMARY KEY, manager_id BIGINT NULL, name VARCHAR(40) NOT NULL, "
                        + "CONSTRAINT fk_mgr FOREIGN KEY (manager_id) REFERENCES `" + d
                        + "`.emp(id) ON DELETE CASCADE)",
                "CREATE TABLE `" + d
                        + "`.orders (region VARCHAR(8), id INT, total INT NOT NULL, PRIMARY KEY (region, id))",
                "CREATE TABLE `" + d
                        + "`.order_lines (region VARCHAR(8), order_id INT, line INT, sku VARCHAR(20) NOT NULL, "
                        + "PRIMARY KEY (region, order_id, line), CONSTRAINT fk_order FOREIGN KEY (region, order_id) "
                        + "REFERENCES `" + d + "`.orders(region, id) ON DELETE CASCADE ON UPDATE CASCADE)");
    }

    /**
     * Applies the whole stream in normal mode, then replays every suffix in safe mode onto the (ahead) target; the
     * target must equal the source after each. Returns the resolution counts of all replays.
     */
    private java.util.Map<String, Long> applyThenReplayEverySuffix(Scenario s) {
        String target = db.newDatabase("fktgt");
        createAll(target);
        String mapping = "src.*=" + target + ".*";
        List<List<String>> expected = db.dump(s.sourceDb());
        try (TaskRunner t =
                new TaskRunner(TaskRunner.props("normal-" + target, "table.mapping", mapping, "safe.mode", "never"))) {
            t.deliver(s.stream().all());
        }
        assertEquals(expected, db.dump(target), "normal apply");
        java.util.Map<String, Long> resolutions = new java.util.TreeMap<>();
        for (int from = 0; from < s.stream().size(); from++) {
            try (TaskRunner t = new TaskRunner(TaskRunner.props(
                    "replay-" + from + "-" + target, "table.mapping", mapping, "safe.mode", "always"))) {
                t.deliver(s.stream().from(from), 3);
                t.task.stats().resolutions().forEach((k, v) -> resolutions.merge(k, v, Long::sum));
            }
            assertEquals(expected, db.dump(target), "replay from offset " + from);
        }
        return resolutions;
    }

    @Test
    void cascadeChild_ofParentDeletedLater_isSkippedOnReplay() {
        Scenario s = scenario()
                .step("INSERT INTO $.parent VALUES (1, 'p1')", PARENT.insert(1L, "p1"))
                .step("INSERT INTO $.child_cascade VALUES (1, 1, 'c')", CHILD_CASCADE.insert(1L, 1L, "c"))
                .step("UPDATE $.child_cascade SET payload = 'c2' WHERE id = 1", CHILD_CASCADE.update(1L, 1L, "c2"))
                .step("DELETE FROM $.parent WHERE id = 1", PARENT.delete(1L));
        var r = applyThenReplayEverySuffix(s);
        assertFalse(
                r.getOrDefault(Resolution.SKIPPED_CHILD_OF_CASCADE, 0L) == 0, "replays met the deleted parent: " + r);
    }

    @Test
    void setNullChild_ofParentDeletedLater_isAppliedWithNullFk_orKeptWhenTheTargetHasItsNewerCopy() {
        Scenario s = scenario()
                .step("INSERT INTO $.parent VALUES (1, 'p1')", PARENT.insert(1L, "p1"))
                .step(
                        "INSERT INTO $.child_setnull VALUES (1, 1, 'n'), (2, 1, 'gone later')",
                        CHILD_SETNULL.insert(1L, 1L, "n"),
                        CHILD_SETNULL.insert(2L, 1L, "gone later"))
                .step("UPDATE $.child_setnull SET payload = 'n2' WHERE id = 1", CHILD_SETNULL.update(1L, 1L, "n2"))
                .step("DELETE FROM $.parent WHERE id = 1", PARENT.delete(1L))
                .step("DELETE FROM $.child_setnull WHERE id = 2", CHILD_SETNULL.delete(2L));
        var r = applyThenReplayEverySuffix(s);
        assertFalse(r.getOrDefault(Resolution.NULLED_SET_NULL_FK, 0L) == 0, "child 2 replayed with a NULL FK: " + r);
        assertFalse(r.getOrDefault(Resolution.KEPT_NEWER_ROW, 0L) == 0, "child 1 kept as the target has it: " + r);
    }

    @Test
    void restrictChild_ofParentDeletedLater_isSkippedAndLaterRepointed() {
        Scenario s = scenario()
                .step(
                        "INSERT INTO $.parent VALUES (1, 'p1'), (2, 'p2')",
                        PARENT.insert(1L, "p1"),
                        PARENT.insert(2L, "p2"))
                .step(
                        "INSERT INTO $.child_restrict VALUES (1, 1, 'r'), (2, 1, 'deleted first')",
                        CHILD_RESTRICT.insert(1L, 1L, "r"),
                        CHILD_RESTRICT.insert(2L, 1L, "deleted first"))
                .step("UPDATE $.child_restrict SET parent_id = 2 WHERE id = 1", CHILD_RESTRICT.update(1L, 2L, "r"))
                .step("DELETE FROM $.child_restrict WHERE id = 2", CHILD_RESTRICT.delete(2L))
                .step("DELETE FROM $.parent WHERE id = 1", PARENT.delete(1L));
        var r = applyThenReplayEverySuffix(s);
        assertFalse(
                r.getOrDefault(Resolution.SKIPPED_CHILD_OF_RESTRICT, 0L) == 0, "replays met the deleted parent: " + r);
    }

    @Test
    void replayedParentDelete_blockedByNewerRestrictChild_keepsParentAndChild() {
        Scenario s = scenario()
                .step("INSERT INTO $.parent VALUES (1, 'p1')", PARENT.insert(1L, "p1"))
                .step("DELETE FROM $.parent WHERE id = 1", PARENT.delete(1L))
                .step("INSERT INTO $.parent VALUES (1, 'p1 again')", PARENT.insert(1L, "p1 again"))
                .step("INSERT INTO $.child_restrict VALUES (1, 1, 'r')", CHILD_RESTRICT.insert(1L, 1L, "r"));
        var r = applyThenReplayEverySuffix(s);
        assertFalse(
                r.getOrDefault(Resolution.KEPT_PARENT_WITH_CHILDREN, 0L) == 0, "the replayed delete met 1451: " + r);
    }

    @Test
    void threeLevelCascadeChain_parentDeleteRemovesChildrenAndGrandchildren() {
        Scenario s = scenario()
                .step(
                        "INSERT INTO $.parent VALUES (1, 'p1'), (2, 'p2')",
                        PARENT.insert(1L, "p1"),
                        PARENT.insert(2L, "p2"))
                .step(
                        "INSERT INTO $.child_cascade VALUES (1, 1, 'c1'), (2, 1, 'c2'), (3, 2, 'c3')",
                        CHILD_CASCADE.insert(1L, 1L, "c1"),
                        CHILD_CASCADE.insert(2L, 1L, "c2"),
                        CHILD_CASCADE.insert(3L, 2L, "c3"))
                .step(
                        "INSERT INTO $.grandchild VALUES (1, 1, 'g1'), (2, 2, 'g2'), (3, 3, 'g3')",
                        GRANDCHILD.insert(1L, 1L, "g1"),
                        GRANDCHILD.insert(2L, 2L, "g2"),
                        GRANDCHILD.insert(3L, 3L, "g3"))
                .step("UPDATE $.parent SET note = 'p1:u' WHERE id = 1", PARENT.update(1L, "p1:u"))
                .step("DELETE FROM $.parent WHERE id = 1", PARENT.delete(1L));
        applyThenReplayEverySuffix(s);
        assertEquals(List.of(List.of("3")), db.query("SELECT id FROM `" + s.sourceDb() + "`.grandchild"));
    }

    @Test
    void primaryKeyChange_withOnUpdateCascadeChildren_movesTheChildren() {
        Scenario s = scenario()
                .step("INSERT INTO $.parent VALUES (1, 'p1')", PARENT.insert(1L, "p1"))
                .step(
                        "INSERT INTO $.child_cascade VALUES (1, 1, 'c'); INSERT INTO $.child_restrict VALUES (1, 1, 'r'); "
                                + "INSERT INTO $.child_setnull VALUES (1, 1, 'n'); INSERT INTO $.grandchild VALUES (1, 1, 'g')",
                        CHILD_CASCADE.insert(1L, 1L, "c"),
                        CHILD_RESTRICT.insert(1L, 1L, "r"),
                        CHILD_SETNULL.insert(1L, 1L, "n"),
                        GRANDCHILD.insert(1L, 1L, "g"))
                .step(
                        "UPDATE $.parent SET id = 10, note = 'moved' WHERE id = 1",
                        PARENT.keyUpdate(new Object[] {1L}, 10L, "moved"))
                .step("UPDATE $.child_cascade SET payload = 'c2' WHERE id = 1", CHILD_CASCADE.update(1L, 10L, "c2"));
        applyThenReplayEverySuffix(s);
        assertEquals(
                List.of(List.of("10", "10", "10")),
                db.query("SELECT c.parent_id, r.parent_id, n.parent_id FROM `" + s.sourceDb() + "`.child_cascade c, `"
                        + s.sourceDb() + "`.child_restrict r, `" + s.sourceDb() + "`.child_setnull n"));
    }

    @Test
    void selfReferencingFk_rowsOfOneStatementDependOnEachOther() {
        Scenario s = scenario()
                .step(
                        "INSERT INTO $.emp VALUES (1, NULL, 'boss'), (2, 1, 'lead'), (3, 2, 'dev'), (4, 2, 'dev2')",
                        EMP.insert(1L, null, "boss"),
                        EMP.insert(2L, 1L, "lead"),
                        EMP.insert(3L, 2L, "dev"),
                        EMP.insert(4L, 2L, "dev2"))
                .step("UPDATE $.emp SET name = 'lead!' WHERE id = 2", EMP.update(2L, 1L, "lead!"))
                .step(
                        "DELETE FROM $.emp WHERE id = 4; DELETE FROM $.emp WHERE id = 3; DELETE FROM $.emp WHERE id = 2",
                        EMP.delete(4L),
                        EMP.delete(3L),
                        EMP.delete(2L))
                .step(
                        "INSERT INTO $.emp VALUES (5, 1, 'new lead'), (6, 5, 'new dev')",
                        EMP.insert(5L, 1L, "new lead"),
                        EMP.insert(6L, 5L, "new dev"))
                .step("DELETE FROM $.emp WHERE id = 5", EMP.delete(5L));
        applyThenReplayEverySuffix(s);
        assertEquals(List.of(List.of("1")), db.query("SELECT id FROM `" + s.sourceDb() + "`.emp"));
    }

    @Test
    void compositeFk_keyChangeAndDeleteCascadeOnAllColumns() {
        Scenario s = scenario()
                .step(
                        "INSERT INTO $.orders VALUES ('eu', 1, 10), ('us', 1, 20)",
                        ORDERS.insert("eu", 1, 10),
                        ORDERS.insert("us", 1, 20))
                .step(
                        "INSERT INTO $.order_lines VALUES ('eu', 1, 1, 'a'), ('eu', 1, 2, 'b'), ('us', 1, 1, 'c')",
                        LINES.insert("eu", 1, 1, "a"),
                        LINES.insert("eu", 1, 2, "b"),
                        LINES.insert("us", 1, 1, "c"))
                .step(
                        "UPDATE $.orders SET id = 7 WHERE region = 'eu' AND id = 1",
                        ORDERS.keyUpdate(new Object[] {"eu", 1}, "eu", 7, 10))
                .step("DELETE FROM $.orders WHERE region = 'us' AND id = 1", ORDERS.delete("us", 1));
        applyThenReplayEverySuffix(s);
        assertEquals(
                List.of(List.of("eu", "7", "1"), List.of("eu", "7", "2")),
                db.query("SELECT region, order_id, line FROM `" + s.sourceDb() + "`.order_lines ORDER BY line"));
    }
}

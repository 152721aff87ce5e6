package io.fksafe.sink.apply;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.CHILD_RESTRICT;
import static io.fksafe.sink.testing.LabSchema.CHILD_SETNULL;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * One test per row and column of the apply table in docs/design.md, on a real MariaDB with FK checks on. Each starts from the
 * lab's baseline: parents 1 and 2, each with children under CASCADE, RESTRICT and SET NULL.
 */
class ApplyTableTest {

    private final TestDatabase db = TestDatabase.get();
    private String target;
    private ChangeStream stream;

    @BeforeEach
    void baseline() {
        target = db.newDatabase("apply");
        LabSchema.create(db, target);
        stream = new ChangeStream()
                .tx(PARENT.insert(1L, "p1"), PARENT.insert(2L, "p2"))
                .tx(
                        CHILD_CASCADE.insert(1L, 1L, "c1a"),
                        CHILD_CASCADE.insert(2L, 1L, "c1b"),
                        CHILD_CASCADE.insert(3L, 2L, "c2a"))
                .tx(CHILD_RESTRICT.insert(1L, 1L, "r1a"), CHILD_RESTRICT.insert(2L, 2L, "r2a"))
                .tx(
                        CHILD_SETNULL.insert(1L, 1L, "n1a"),
                        CHILD_SETNULL.insert(2L, 1L, "n1b"),
                        CHILD_SETNULL.insert(3L, 2L, "n2a"));
    }

    private TaskRunner task(String safeMode) {
        return new TaskRunner(
                TaskRunner.props("apply-" + target, "table.mapping", "src.*=" + target + ".*", "safe.mode", safeMode));
    }

    private List<String> counts() {
        return LabSchema.countsByParent(db, target);
    }

    private static final List<String> BASELINE_COUNTS = List.of("2", "1", "1", "1", "2", "1", "0");

    @Test
    void insert_normal_isAnUpsertNeverReplace_childrenSurviveARepeatedParentInsert() {
        stream.tx(PARENT.insert(1L, "p1-again"));
        try (TaskRunner t = task("never")) {
            t.deliver(stream.all());
        }
        assertEquals(
                "p1-again",
                db.query("SELECT note FROM `" + target + "`.parent WHERE id = 1")
                        .get(0)
                        .get(0));
        assertEquals(BASELINE_COUNTS, counts(), "REPLACE would have cascade-deleted, nulled or refused the children");
    }

    @Test
    void insert_safeMode_sameUpsert_childrenSurvive() {
        stream.safe(true).tx(PARENT.insert(2L, "p2-again"));
        try (TaskRunner t = task("auto")) {
            t.deliver(stream.all());
        }
        assertEquals(
                "p2-again",
                db.query("SELECT note FROM `" + target + "`.parent WHERE id = 2")
                        .get(0)
                        .get(0));
        assertEquals(BASELINE_COUNTS, counts());
    }

    @Test
    void insert_snapshotRead_childBeforeParent_appliesWithFkChecksOff() {
        ChangeStream snapshot = new ChangeStream()
                .snapshot(CHILD_CASCADE.read(7L, 70L, "orphan-for-now"), PARENT.read(70L, "late parent"));
        try (TaskRunner t = task("never")) {
            t.deliver(snapshot.all());
        }
        assertEquals(
                1, db.count("SELECT COUNT(*) FROM `" + target + "`.child_cascade WHERE id = 7 AND parent_id = 70"));
        assertEquals(1, db.count("SELECT COUNT(*) FROM `" + target + "`.parent WHERE id = 70"));
    }

    @Test
    void insert_streaming_childBeforeParent_isRefusedWithFkChecksOn() {
        ChangeStream s = new ChangeStream().tx(CHILD_CASCADE.insert(7L, 70L, "orphan"));
        try (TaskRunner t = task("never")) {
            ConnectException e = assertThrows(ConnectException.class, () -> t.deliver(s.all()));
            assertTrue(
                    e.getMessage().contains("offset=0")
                            && e.getMessage().contains(target + ".child_cascade")
                            && e.getMessage().contains("1452"),
                    e.getMessage());
        }
        assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.child_cascade"));
    }

    @Test
    void updateSameKey_normal_upsertsInPlace_neverDeleteInsert() {
        stream.tx(PARENT.update(1L, "p1:u2")).tx(PARENT.update(2L, "p2:u1")).tx(PARENT.update(2L, "p2:u1:u3"));
        try (TaskRunner t = task("never")) {
            t.deliver(stream.all());
        }
        assertEquals(
                List.of(List.of("1", "p1:u2"), List.of("2", "p2:u1:u3")),
                db.query("SELECT id, note FROM `" + target + "`.parent ORDER BY id"));
        assertEquals(BASELINE_COUNTS, counts(), "DELETE+insert would have cascaded, nulled or hit 1451");
    }

    @Test
    void updateSameKey_safeMode_upserts_childrenKeptNoNullDriftNo1451() {
        stream.safe(true)
                .tx(PARENT.update(2L, "p2:u1"))
                .tx(PARENT.update(2L, "p2:u1:u3"))
                .tx(PARENT.update(1L, "p1:u2"));
        try (TaskRunner t = task("auto")) {
            t.deliver(stream.all());
            assertEquals(0, t.task.stats().resolutions().size(), "nothing needed resolving");
        }
        assertEquals(BASELINE_COUNTS, counts());
    }

    @Test
    void updateKeyChanged_normal_updatesKeyInPlace_targetCascadesOnUpdate() {
        stream.tx(PARENT.keyUpdate(new Object[] {1L}, 10L, "p1 moved"));
        try (TaskRunner t = task("never")) {
            t.deliver(stream.all());
        }
        assertEquals(
                List.of(List.of("2"), List.of("10")), db.query("SELECT id FROM `" + target + "`.parent ORDER BY id"));
        assertEquals(2, db.count("SELECT COUNT(*) FROM `" + target + "`.child_cascade WHERE parent_id = 10"));
        assertEquals(1, db.count("SELECT COUNT(*) FROM `" + target + "`.child_restrict WHERE parent_id = 10"));
        assertEquals(2, db.count("SELECT COUNT(*) FROM `" + target + "`.child_setnull WHERE parent_id = 10"));
    }

    @Test
    void updateKeyChanged_safeMode_sameUpdateInPlace_andOldRowGone_upsertsNewImage() {
        stream.safe(true)
                .tx(PARENT.keyUpdate(new Object[] {1L}, 10L, "p1 moved"))
                .tx(PARENT.keyUpdate(new Object[] {99L}, 11L, "old row never here"));
        try (TaskRunner t = task("auto")) {
            t.deliver(stream.all());
            assertEquals(1L, t.task.stats().resolutions(Resolution.KEY_UPDATE_AS_UPSERT));
        }
        assertEquals(
                List.of(List.of("2"), List.of("10"), List.of("11")),
                db.query("SELECT id FROM `" + target + "`.parent ORDER BY id"));
        assertEquals(2, db.count("SELECT COUNT(*) FROM `" + target + "`.child_cascade WHERE parent_id = 10"));
    }

    @Test
    void updateKeyChanged_normal_oldRowMissing_stopsInsteadOfGuessing() {
        stream.tx(PARENT.keyUpdate(new Object[] {99L}, 11L, "old row never here"));
        try (TaskRunner t = task("never")) {
            ConnectException e = assertThrows(ConnectException.class, () -> t.deliver(stream.all()));
            assertTrue(
                    e.getMessage().contains("diverged") && e.getMessage().contains("offset=" + (stream.size() - 1)),
                    e.getMessage());
        }
        assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.parent WHERE id = 11"));
    }

    @Test
    void delete_normal_targetRunsTheOnDeleteRulesLikeTheSource() {
        stream.tx(CHILD_RESTRICT.delete(2L), PARENT.delete(2L));
        try (TaskRunner t = task("never")) {
            t.deliver(stream.all());
        }
        assertEquals(
                List.of("2", "0", "1", "0", "2", "0", "1"),
                counts(),
                "cascade child of 2 deleted, set-null child nulled");
    }

    @Test
    void delete_normal_restrictedParent_stopsWith1451AndNamesTheRecord() {
        int baseline = stream.size();
        stream.tx(PARENT.delete(2L));
        try (TaskRunner t = task("never")) {
            // the baseline first: on the apply thread a failing transaction shares its target transaction with
            // whatever queued up behind the one in flight, and the whole target transaction rolls back
            t.deliver(stream.range(0, baseline));
            ConnectException e = assertThrows(ConnectException.class, () -> t.deliver(stream.from(baseline)));
            assertTrue(
                    e.getMessage().contains("1451") && e.getMessage().contains("offset=" + (stream.size() - 1)),
                    e.getMessage());
        }
        assertEquals(BASELINE_COUNTS, counts());
    }

    @Test
    void delete_safeMode_zeroRowsIsFine() {
        stream.safe(true).tx(CHILD_CASCADE.delete(404L)).tx(PARENT.delete(404L));
        try (TaskRunner t = task("auto")) {
            t.deliver(stream.all());
            assertEquals(0, t.task.stats().resolutions().size());
        }
        assertEquals(BASELINE_COUNTS, counts());
    }
}

package io.fksafe.sink.fk;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.CHILD_RESTRICT;
import static io.fksafe.sink.testing.LabSchema.CHILD_SETNULL;
import static io.fksafe.sink.testing.LabSchema.GRANDCHILD;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * The DM safe-mode lab (docs/lab.md), steps 5-11, with the sink in forced safe mode where DM loses children: the
 * baseline arrives as a snapshot (children before parents, as Debezium snapshots tables by name), then the lab's three
 * parent UPDATEs, then the whole topic is replayed from offset 0 onto the finished target.
 */
class SeedLabTest {

    private final TestDatabase db = TestDatabase.get();

    @Test
    void labUnderForcedSafeMode_childrenKept_noNullDrift_no1451_parentsUpdated_alsoAfterAFullReplay() {
        String source = db.newDatabase("lab_src");
        String target = db.newDatabase("lab_tgt");
        LabSchema.create(db, source);
        LabSchema.create(db, target);
        String s = "`" + source + "`.";
        db.exec(
                "INSERT INTO " + s + "parent VALUES (1,'p1'),(2,'p2')",
                "INSERT INTO " + s + "child_cascade(parent_id,payload) VALUES (1,'c1a'),(1,'c1b'),(2,'c2a')",
                "INSERT INTO " + s + "child_restrict(parent_id,payload) VALUES (1,'r1a'),(2,'r2a')",
                "INSERT INTO " + s + "child_setnull(parent_id,payload) VALUES (1,'n1a'),(1,'n1b'),(2,'n2a')",
                "INSERT INTO " + s + "grandchild VALUES (1,1,'g1'),(2,2,'g2'),(3,3,'g3')");
        ChangeStream stream = new ChangeStream()
                .snapshot(
                        CHILD_CASCADE.read(1L, 1L, "c1a"),
                        CHILD_CASCADE.read(2L, 1L, "c1b"),
                        CHILD_CASCADE.read(3L, 2L, "c2a"),
                        CHILD_RESTRICT.read(1L, 1L, "r1a"),
                        CHILD_RESTRICT.read(2L, 2L, "r2a"),
                        CHILD_SETNULL.read(1L, 1L, "n1a"),
                        CHILD_SETNULL.read(2L, 1L, "n1b"),
                        CHILD_SETNULL.read(3L, 2L, "n2a"),
                        GRANDCHILD.read(1L, 1L, "g1"),
                        GRANDCHILD.read(2L, 2L, "g2"),
                        GRANDCHILD.read(3L, 3L, "g3"),
                        PARENT.read(1L, "p1"),
                        PARENT.read(2L, "p2"));

        // The lab's fk_lab_source_dml.sql, on the source, and what the binlog carries for it.
        db.exec(
                "UPDATE " + s + "parent SET note = CONCAT(note, ':u1') WHERE id = 2",
                "UPDATE " + s + "parent SET note = CONCAT(note, ':u3') WHERE id = 2",
                "UPDATE " + s + "parent SET note = CONCAT(note, ':u2') WHERE id = 1");
        stream.tx(PARENT.update(2L, "p2:u1")).tx(PARENT.update(2L, "p2:u1:u3")).tx(PARENT.update(1L, "p1:u2"));

        String mapping = "src.*=" + target + ".*";
        try (TaskRunner t =
                new TaskRunner(TaskRunner.props("lab-" + target, "table.mapping", mapping, "safe.mode", "always"))) {
            t.deliver(stream.all());
            assertEquals(
                    0,
                    t.task.stats().resolutions().size(),
                    "nothing to resolve: " + t.task.stats().resolutions());
        }
        assertLabState("after the snapshot and the lab's three UPDATEs, safe.mode=always", source, target);
        assertEquals(
                List.of("2", "1", "1", "1", "2", "1", "0"),
                LabSchema.countsByParent(db, target),
                "casc_ok=2, rest_ok=1, null_ok1=2, null_ok0=0 as the lab's step 10 expects");

        // Recovery: replay the whole topic from offset 0 onto the finished target (no checkpoint for this name).
        try (TaskRunner t = new TaskRunner(
                TaskRunner.props("lab-replay-" + target, "table.mapping", mapping, "safe.mode", "always"))) {
            t.deliver(stream.all(), 4);
        }
        assertLabState("after a recovery replay of the whole topic from offset 0", source, target);
    }

    /** The control: what DM's safe-mode rewrite (DELETE + REPLACE) does to the same target — so the test above can fail. */
    @Test
    void control_dmStyleRewrite_onTheSameSchema_losesNullsOrRefusesChildren() {
        String target = db.newDatabase("lab_dm");
        LabSchema.create(db, target);
        String t = "`" + target + "`.";
        db.exec(
                "INSERT INTO " + t + "parent VALUES (1,'p1'),(2,'p2')",
                "INSERT INTO " + t + "child_cascade(parent_id,payload) VALUES (1,'c1a'),(1,'c1b'),(2,'c2a')",
                "INSERT INTO " + t + "child_setnull(parent_id,payload) VALUES (1,'n1a'),(1,'n1b'),(2,'n2a')");
        List<String> before = LabSchema.countsByParent(db, target);
        db.exec("DELETE FROM " + t + "parent WHERE id = 2", "REPLACE INTO " + t + "parent VALUES (2, 'p2:u1')");
        assertNotEquals(before, LabSchema.countsByParent(db, target), "DELETE+REPLACE cascades and nulls children");
    }

    private void assertLabState(String title, String source, String target) {
        System.out.println("== " + title);
        printSideBySide(source, target);
        assertEquals(LabSchema.state(db, source), LabSchema.state(db, target), "lab check: source vs target");
        assertEquals(db.dump(source), db.dump(target));
    }

    /** The lab's check query, source and target side by side, for `./fksafe lab`. */
    private void printSideBySide(String source, String target) {
        List<List<String>> s = LabSchema.state(db, source);
        List<List<String>> t = LabSchema.state(db, target);
        System.out.println("COUNTS_BY_PARENT (casc_p1 casc_p2 rest_p1 rest_p2 null_p1 null_p2 null_is_null)");
        System.out.printf(
                "  source %s%n  target %s%n",
                LabSchema.countsByParent(db, source), LabSchema.countsByParent(db, target));
        System.out.printf("%-44s | %-44s%n", "source " + source, "target " + target);
        for (int i = 0; i < Math.max(s.size(), t.size()); i++) {
            String l = i < s.size() ? String.join(" ", s.get(i)) : "";
            String r = i < t.size() ? String.join(" ", t.get(i)) : "";
            System.out.printf("%-44s | %-44s %s%n", l, r, l.equals(r) ? "" : "<-- differs");
        }
        System.out.println("VERDICT: " + (s.equals(t) ? "source == target" : "DIVERGED"));
    }
}

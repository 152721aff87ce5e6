package io.fksafe.sink.apply;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.Op;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * Debezium emits a transaction BEGIN and never an END for a transaction without captured changes (a DDL, a write to
 * a system table such as CREATE USER). Seen from the sink the stream then ends in an open transaction; when the
 * stream goes idle the offset must still move past such markers (else the consumer lag never reaches 0), while a
 * transaction whose rows are still coming stays whole.
 */
class MarkerOnlyTransactionTest {

    private final TestDatabase db = TestDatabase.get();

    @Test
    void idleAfterABeginWithoutChanges_offsetMovesPastIt() {
        String target = db.newDatabase("markers");
        LabSchema.create(db, target);
        ChangeStream s = new ChangeStream().txWithMarkers(PARENT.insert(1L, "p1"));
        s.append(ChangeRecord.builder(Op.TX_BEGIN).txId("0-1-98").build()); // e.g. CREATE USER: no END follows
        s.append(ChangeRecord.builder(Op.TX_BEGIN).txId("0-1-99").build());
        try (TaskRunner t =
                new TaskRunner(TaskRunner.props("markers-" + target, "table.mapping", "src.*=" + target + ".*"))) {
            assertEquals(
                    s.size(), t.deliver(s.all()).get(TaskRunner.TP).offset(), "committed up to the end of the topic");
        }
        assertEquals(1, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"));
    }

    @Test
    void idleBetweenABeginAndItsRows_theTransactionStillCommitsWhole() {
        String target = db.newDatabase("markers");
        LabSchema.create(db, target);
        ChangeStream s = new ChangeStream()
                .txWithMarkers(
                        PARENT.insert(1L, "p1"),
                        CHILD_CASCADE.insert(11L, 1L, "a"),
                        CHILD_CASCADE.insert(12L, 1L, "b"));
        try (TaskRunner t =
                new TaskRunner(TaskRunner.props("markers-" + target, "table.mapping", "src.*=" + target + ".*"))) {
            t.task.put(s.range(0, 1)); // BEGIN
            t.task.put(List.of()); // idle: the BEGIN's offset may commit, the transaction stays open
            assertEquals(1, t.preCommit(1).get(TaskRunner.TP).offset());
            t.task.put(s.range(1, 3)); // parent, first child
            t.task.put(List.of()); // idle mid-transaction: nothing of it may commit yet
            assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"));
            assertEquals(1, t.preCommit(3).get(TaskRunner.TP).offset());
            t.task.put(s.from(3)); // second child, END
            assertEquals(s.size(), t.preCommit(s.size()).get(TaskRunner.TP).offset());
        }
        assertEquals(2, db.count("SELECT COUNT(*) FROM `" + target + "`.child_cascade"));
    }
}

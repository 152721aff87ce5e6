package io.fksafe.sink.apply;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.testing.AuditedTarget;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * A task killed mid-stream — after the target committed but before Kafka's offsets did, and in the middle of an
 * upstream transaction — restarts from the target's checkpoint. Triggers log every write the target receives, so a
 * change applied twice shows up even where the end state could not tell.
 */
class RestartTest {

    private final TestDatabase db = TestDatabase.get();

    private String targetWithAudit() {
        return AuditedTarget.create(db, "restart");
    }

    private static ChangeStream workload() {
        ChangeStream s = new ChangeStream();
        for (long p = 1; p <= 20; p++) {
            ChangeRecord[] tx = new ChangeRecord[4];
            tx[0] = PARENT.insert(p, "p" + p);
            for (int c = 1; c <= 3; c++) {
                long id = p * 10 + c;
                tx[c] = CHILD_CASCADE.insert(id, p, "c" + id);
            }
            s.tx(tx);
            s.tx(PARENT.update(p, "p" + p + ":u"), CHILD_CASCADE.update(p * 10 + 1, p, "changed"));
            if (p % 5 == 0) {
                s.tx(PARENT.delete(p - 1));
            }
        }
        return s;
    }

    private Map<String, String> props(String target) {
        return TaskRunner.props("restart-" + target, "table.mapping", "src.*=" + target + ".*", "safe.mode", "never");
    }

    @Test
    void killedAfterTargetCommitBeforeKafkaCommit_resumesFromCheckpoint_nothingAppliedTwice() {
        ChangeStream stream = workload();
        String reference = targetWithAudit();
        try (TaskRunner once = new TaskRunner(props(reference))) {
            once.deliver(stream.all());
        }

        String target = targetWithAudit();
        int cut = stream.size() / 2 + 1; // lands inside an upstream transaction
        TaskRunner first = new TaskRunner(props(target));
        first.task.put(stream.range(0, cut));
        first.task.stop(); // killed: no preCommit, so Kafka never saw an offset commit

        TaskRunner second = new TaskRunner(props(target));
        Long resumeAt = second.seekedTo();
        assertTrue(resumeAt != null && resumeAt > 0 && resumeAt <= cut, "seeks to the checkpoint, got " + resumeAt);
        Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> committed =
                second.deliver(stream.all()); // the worker re-sends from 0
        second.close();

        assertEquals(
                stream.size() - resumeAt + 0L,
                stream.size() - second.task.stats().skippedCommitted(),
                "every record before the checkpoint was skipped, none after");
        assertEquals(stream.size(), committed.get(TaskRunner.TP).offset());
        assertEquals(
                db.dump(reference).stream()
                        .filter(r -> !r.get(0).equals("audit"))
                        .toList(),
                db.dump(target).stream().filter(r -> !r.get(0).equals("audit")).toList(),
                "same rows as one uninterrupted run");
        assertEquals(
                AuditedTarget.writes(db, reference),
                AuditedTarget.writes(db, target),
                "and the same writes, each once");
    }

    @Test
    void killedInTheMiddleOfAnUpstreamTransaction_thePartialTransactionIsNeverCommitted() {
        String target = targetWithAudit();
        ChangeStream stream = new ChangeStream()
                .tx(PARENT.insert(1L, "p1"))
                .tx(PARENT.insert(2L, "p2"), CHILD_CASCADE.insert(21L, 2L, "a"), CHILD_CASCADE.insert(22L, 2L, "b"));
        TaskRunner first = new TaskRunner(props(target));
        first.task.put(stream.range(0, 3)); // the second transaction is cut after its first child
        Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets = first.preCommit(3);
        assertEquals(1L, offsets.get(TaskRunner.TP).offset(), "only the first transaction is committed");
        assertEquals(
                0,
                db.count("SELECT COUNT(*) FROM `" + target + "`.parent WHERE id = 2"),
                "nothing of the cut transaction");
        first.task.stop();

        TaskRunner second = new TaskRunner(props(target));
        assertEquals(1L, second.seekedTo());
        second.deliver(stream.from(1));
        second.close();
        assertEquals(2, db.count("SELECT COUNT(*) FROM `" + target + "`.child_cascade WHERE parent_id = 2"));
        assertEquals(4, db.count("SELECT COUNT(*) FROM `" + target + "`.audit"), "each row written exactly once");
    }

    @Test
    void withTransactionMarkers_anIdleStreamDoesNotCloseAnOpenTransaction() {
        String target = targetWithAudit();
        ChangeStream stream = new ChangeStream()
                .txWithMarkers(
                        PARENT.insert(1L, "p1"),
                        CHILD_CASCADE.insert(11L, 1L, "a"),
                        CHILD_CASCADE.insert(12L, 1L, "b"));
        try (TaskRunner t = new TaskRunner(props(target))) {
            t.task.put(stream.range(0, 3)); // BEGIN, parent, first child
            t.task.put(List.of()); // the stream goes idle mid-transaction
            assertNull(t.preCommit(3).get(TaskRunner.TP), "nothing committed while the transaction is open");
            assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"));
            t.task.put(stream.from(3)); // second child, END
            assertEquals(
                    stream.size(), t.preCommit(stream.size()).get(TaskRunner.TP).offset());
        }
        assertEquals(2, db.count("SELECT COUNT(*) FROM `" + target + "`.child_cascade"));
    }

    @Test
    void freshTarget_noCheckpoint_noSeek() {
        String target = targetWithAudit();
        try (TaskRunner t = new TaskRunner(props(target))) {
            assertNull(t.seekedTo());
        }
    }
}

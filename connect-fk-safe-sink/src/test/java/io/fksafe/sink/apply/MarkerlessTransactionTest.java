package io.fksafe.sink.apply;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.testing.AuditedTarget;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.SourceWorkload;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * A topic without transaction markers (Debezium's provide.transaction.metadata=false): the rows of one transaction all
 * carry its start position, so the sink can neither see where a transaction ends nor tell its rows apart by position.
 * When the stream goes idle inside such a transaction the sink commits the part it has (a split transaction); the rest
 * must still be applied when it comes, also after a Debezium re-emission and a task restart (issue 9: it was dropped
 * as a "repeated transaction").
 */
class MarkerlessTransactionTest {

    private final TestDatabase db = TestDatabase.get();

    /** A real source run: 30 transactions of 1..12 parent/child changes (with cascading deletes and key changes). */
    private record Source(String database, ChangeStream stream) {}

    private Source source(long seed, boolean markers) {
        String src = AuditedTarget.create(db, "mk_src");
        return new Source(src, new SourceWorkload(db, src, new Random(seed)).generate(30, 12, markers));
    }

    private static Map<String, String> props(String target, String... extra) {
        Map<String, String> p = TaskRunner.props("mk-" + target, "table.mapping", "src.*=" + target + ".*");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    private List<List<String>> rows(String database) {
        return db.dump(database).stream().filter(r -> !r.get(0).equals("audit")).toList();
    }

    /** Puts {@code records} in puts of {@code k}, each followed by an empty put (the stream idles). Returns splits seen. */
    private static int deliverWithIdleEvery(TaskRunner t, ChangeStream stream, List<SinkRecord> records, int k) {
        int inside = 0;
        for (int i = 0; i < records.size(); i += k) {
            int end = Math.min(records.size(), i + k);
            t.task.put(records.subList(i, end));
            t.task.put(List.of());
            if (end < records.size() && sameTransaction(stream, records.get(end - 1), records.get(end))) {
                inside++;
            }
        }
        return inside;
    }

    private static boolean sameTransaction(ChangeStream s, SinkRecord a, SinkRecord b) {
        String x = s.txIdAt(a.kafkaOffset());
        return x != null && x.equals(s.txIdAt(b.kafkaOffset()));
    }

    @Test
    void emptyPutAfterEveryKthRecord_kFrom1To10_targetEqualsSource_splitsCounted_nothingDropped() {
        Source src = source(9L, false);
        for (int k = 1; k <= 10; k++) {
            String target = AuditedTarget.create(db, "mk_k" + k);
            int splits;
            try (TaskRunner t = new TaskRunner(props(target))) {
                splits = deliverWithIdleEvery(t, src.stream, src.stream.all(), k);
                assertEquals(
                        src.stream.size(),
                        t.preCommit(src.stream.size()).get(TaskRunner.TP).offset(),
                        "k=" + k);
                assertEquals(
                        splits,
                        t.task.stats().splitTransactions(),
                        "k=" + k + ": every transaction the idle cut in two");
                assertEquals(
                        0, t.task.stats().skippedDuplicatePositions(), "k=" + k + ": nothing dropped as a duplicate");
            }
            assertTrue(k > 3 || splits > 0, "the workload has transactions longer than k");
            assertEquals(rows(src.database), rows(target), "k=" + k + ": target == source");
        }
    }

    @Test
    void debeziumReemitsAPartlyAppliedTransaction_theRestIsApplied_targetEqualsSource() {
        Source src = source(17L, false);
        List<SinkRecord> all = src.stream.all();
        int cut = middleOfALongTransaction(src.stream);
        int txStart = cut;
        while (txStart > 0 && sameTransaction(src.stream, all.get(txStart - 1), all.get(cut))) {
            txStart--;
        }
        // Debezium emitted up to the cut, restarted, and emits the whole transaction again, then the rest
        String target = AuditedTarget.create(db, "mk_re");
        try (TaskRunner t = new TaskRunner(props(target))) {
            t.task.put(all.subList(0, cut));
            t.task.put(List.of()); // idle: the part of the transaction received so far is committed
            assertEquals(cut, t.preCommit(cut).get(TaskRunner.TP).offset());
            List<SinkRecord> again = new ArrayList<>();
            for (SinkRecord r : all.subList(txStart, all.size())) {
                again.add(new SinkRecord(r.topic(), 0, null, null, r.valueSchema(), r.value(), cut + again.size()));
            }
            t.deliver(again, 7);
            assertEquals(0, t.task.stats().skippedDuplicatePositions(), "no row of the transaction dropped");
        }
        assertEquals(rows(src.database), rows(target), "target == source");
    }

    @Test
    void taskRestartsInsideASplitTransaction_resumesThere_theRestIsApplied() {
        Source src = source(23L, false);
        List<SinkRecord> all = src.stream.all();
        int cut = middleOfALongTransaction(src.stream);
        String target = AuditedTarget.create(db, "mk_rs");
        TaskRunner first = new TaskRunner(props(target));
        first.task.put(all.subList(0, cut));
        first.task.put(List.of()); // idle: committed up to the cut, inside the transaction
        first.task.stop(); // killed before Kafka's offset commit

        TaskRunner second = new TaskRunner(props(target));
        assertEquals(cut, second.seekedTo(), "the checkpoint sits inside the transaction, at its last applied row");
        second.deliver(all, 5); // the worker re-sends from Kafka's last commit (0); the checkpoint skips the first cut
        assertEquals(0, second.task.stats().skippedDuplicatePositions());
        assertEquals(cut, second.task.stats().skippedCommitted());
        second.close();
        assertEquals(rows(src.database), rows(target), "target == source");
    }

    @Test
    void withMarkers_aTransactionCommittedInParts_isReemitted_onlyTheRowsNotYetThereAreApplied_exactlyOnce() {
        ChangeStream stream = new ChangeStream()
                .txWithMarkers(
                        PARENT.insert(1L, "p1"),
                        CHILD_CASCADE.insert(11L, 1L, "a"),
                        CHILD_CASCADE.insert(12L, 1L, "b"),
                        CHILD_CASCADE.insert(13L, 1L, "c"),
                        PARENT.update(1L, "n"));
        String reference = AuditedTarget.create(db, "mk_ref");
        try (TaskRunner t = new TaskRunner(props(reference))) {
            t.deliver(stream.all());
        }
        stream.reemit(0, stream.size()); // Debezium restarted and sends the whole transaction again
        String target = AuditedTarget.create(db, "mk_split");
        try (TaskRunner t =
                new TaskRunner(props(target, "transaction.max.rows", "2", "transaction.split.allowed", "true"))) {
            t.task.put(stream.range(0, 4)); // BEGIN and three rows: over the limit, committed in parts
            t.deliver(stream.from(4), 3);
            assertEquals(5, t.task.stats().skippedDuplicatePositions(), "each re-emitted row, by its total_order");
        }
        assertEquals(AuditedTarget.writes(db, reference), AuditedTarget.writes(db, target), "each row written once");
        assertEquals(rows(reference), rows(target));
    }

    @Test
    void defaultIdleTime_anEmptyPutSoonAfterTheLastRecordDoesNotCommit_theTaskAsksToBeCalledBack_thenCommits()
            throws InterruptedException {
        ChangeStream stream = new ChangeStream().tx(PARENT.insert(1L, "p1"), CHILD_CASCADE.insert(11L, 1L, "a"));
        String target = AuditedTarget.create(db, "mk_idle");
        Map<String, String> p = props(target);
        p.remove("transaction.idle.ms"); // the default
        try (TaskRunner t = new TaskRunner(p)) {
            t.task.put(stream.all());
            assertTrue(
                    t.context.timeoutMs > 0 && t.context.timeoutMs <= 1000,
                    "asks for a call back soon: " + t.context.timeoutMs);
            t.task.put(List.of()); // the next poll came back empty at once
            assertNull(t.preCommit(2).get(TaskRunner.TP), "not yet idle long enough: more of the transaction may come");
            Thread.sleep(1100);
            t.task.put(List.of());
            assertEquals(2L, t.preCommit(2).get(TaskRunner.TP).offset(), "idle past the default: committed");
        }
        assertEquals(1, db.count("SELECT COUNT(*) FROM `" + target + "`.child_cascade"));
    }

    @Test
    void aReemittedSchemaChangeIsSkipped_itIsAloneInItsTransaction() {
        String target = AuditedTarget.create(db, "mk_ddl");
        ChangeStream stream = new ChangeStream().ddl("src", "ALTER TABLE parent ADD COLUMN extra INT NULL");
        stream.reemit(0, stream.size()).tx(PARENT.insert(1L, "p1"));
        try (TaskRunner t = new TaskRunner(props(target))) {
            t.deliver(stream.all(), 1);
            assertEquals(1, t.task.stats().skippedDuplicatePositions(), "the second ALTER is not run again");
        }
        assertEquals(
                1,
                db.count("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + target
                        + "' AND TABLE_NAME = 'parent' AND COLUMN_NAME = 'extra'"));
    }

    /** An offset in the middle of a transaction of at least 4 records, past the first few transactions. */
    private static int middleOfALongTransaction(ChangeStream s) {
        List<SinkRecord> all = s.all();
        for (int i = all.size() / 3; i + 4 < all.size(); i++) {
            if (sameTransaction(s, all.get(i), all.get(i + 3))) {
                return i + 2;
            }
        }
        throw new AssertionError("no long transaction in the workload");
    }
}

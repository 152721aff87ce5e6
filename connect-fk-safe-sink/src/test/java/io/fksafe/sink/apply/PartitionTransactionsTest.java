package io.fksafe.sink.apply;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.target.FaultPoint;
import io.fksafe.sink.testing.AuditedTarget;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.Faults;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * One task reading two partitions fed by two source servers (two Debezium sources, tasks.max=1). Connect hands a put
 * the records of one partition, then of the next, so a put may end partition A's part inside an upstream transaction
 * and go on with B's records. Each partition's transactions must still be assembled on their own: every upstream
 * transaction lands in one target transaction, whichever way the puts cut the two streams.
 */
class PartitionTransactionsTest {

    private static final TopicPartition A = TaskRunner.TP;
    private static final TopicPartition B = new TopicPartition(ChangeStream.TOPIC, 1);

    private final TestDatabase db = TestDatabase.get();

    /** Transactions of 3, 5, 2 and 4 rows: a parent, its children, the parent's update. Keys above {@code base}. */
    private static ChangeStream source(int server, long base, boolean markers) {
        ChangeStream s = new ChangeStream().server(server);
        for (int size : new int[] {3, 5, 2, 4}) {
            long p = base + s.size() + 1; // unique per transaction
            List<ChangeRecord> rows = new ArrayList<>();
            rows.add(PARENT.insert(p, "p" + p));
            for (int c = 1; c < size - 1; c++) {
                rows.add(CHILD_CASCADE.insert(p * 100 + c, p, "c"));
            }
            rows.add(PARENT.update(p, "done"));
            ChangeRecord[] tx = rows.toArray(ChangeRecord[]::new);
            if (markers) {
                s.txWithMarkers(tx);
            } else {
                s.tx(tx);
            }
        }
        return s;
    }

    /** Per upstream transaction (in either partition), the rows it writes, as the audit log names them. */
    private static List<Set<String>> transactions(List<SinkRecord> records) {
        Map<String, Set<String>> byTx = new java.util.LinkedHashMap<>();
        for (SinkRecord r : records) {
            ChangeRecord c = ChangeRecord.fromStruct((org.apache.kafka.connect.data.Struct) r.value());
            if (c.op().isRowChange()) {
                String id = String.valueOf(c.key().get("id"));
                byTx.computeIfAbsent(r.kafkaPartition() + "/" + c.txId(), k -> new HashSet<>())
                        .add(c.table() + " " + id);
            }
        }
        return List.copyOf(byTx.values());
    }

    /** Logs a COMMIT line into the audit before every commit of the task, so the log shows each target transaction. */
    private void markCommits(TaskRunner t, String target) {
        t.faults.arm(FaultPoint.BEFORE_COMMIT, new Faults.Fault() {
            @Override
            public void fire() {
                db.exec("INSERT INTO `" + target + "`.audit(what) VALUES ('COMMIT')");
                t.faults.arm(FaultPoint.BEFORE_COMMIT, this);
            }
        });
    }

    /** Row ("table id") to the target transaction (counted from 0) that wrote it; fails if two did. */
    private Map<String, Integer> targetTransactionOfEachRow(String target) {
        Map<String, Integer> out = new HashMap<>();
        int n = 0;
        for (List<String> r : db.query("SELECT what FROM `" + target + "`.audit ORDER BY seq")) {
            String what = r.get(0);
            if (what.equals("COMMIT")) {
                n++;
                continue;
            }
            String[] w = what.split(" "); // table, INSERT/UPDATE/DELETE, id
            Integer before = out.put(w[0] + " " + w[2], n);
            assertTrue(before == null || before == n, what + " written in target transactions " + before + " and " + n);
        }
        return out;
    }

    private static void assertAtomic(List<Set<String>> upstream, Map<String, Integer> targetTx, String label) {
        for (Set<String> tx : upstream) {
            Set<Integer> in = new HashSet<>();
            for (String row : tx) {
                assertTrue(targetTx.containsKey(row), label + ": " + row + " was written");
                in.add(targetTx.get(row));
            }
            assertEquals(1, in.size(), label + ": upstream transaction " + tx + " in target transactions " + in);
        }
    }

    private static Map<String, String> props(String target, boolean pipelined, long idleMs) {
        return TaskRunner.props(
                "pt-" + target,
                "table.mapping",
                "src.*=" + target + ".*",
                "apply.pipelined",
                String.valueOf(pipelined),
                "transaction.idle.ms",
                String.valueOf(idleMs));
    }

    private List<Object> reference(List<SinkRecord> a, List<SinkRecord> b) {
        String ref = AuditedTarget.create(db, "pt_ref");
        try (TaskRunner t = new TaskRunner(props(ref, false, 0), List.of(A, B))) {
            List<SinkRecord> all = new ArrayList<>(a);
            all.addAll(b);
            t.feed(all, 500);
        }
        return List.of(LabSchema.state(db, ref), AuditedTarget.writes(db, ref));
    }

    private static List<SinkRecord> slice(List<SinkRecord> records, int from, int k) {
        return records.subList(Math.min(from, records.size()), Math.min(from + k, records.size()));
    }

    /**
     * Every put holds the next {@code k} records of A, then the next {@code k} of B, so most puts end A's part inside a
     * transaction of A, and B's inside one of B; then the stream idles.
     */
    @ParameterizedTest(name = "markers={0} apply.pipelined={1}")
    @CsvSource({"true,false", "false,false", "true,true", "false,true"})
    void twoPartitionsCutMidTransaction_eachUpstreamTransactionInOneTargetTransaction(
            boolean markers, boolean pipelined) {
        List<SinkRecord> a = source(1, 0, markers).all();
        List<SinkRecord> b =
                ChangeStream.onPartition(1, source(2, 1000, markers).all());
        List<Set<String>> upstream = new ArrayList<>(transactions(a));
        upstream.addAll(transactions(b));
        List<Object> expected = reference(a, b);
        for (int k : new int[] {2, 3, 5}) {
            String label = "markers=" + markers + " k=" + k;
            String target = AuditedTarget.create(db, "pt_k" + k);
            Map<String, String> props = props(target, pipelined, 0);
            props.put("transaction.max.rows", "5"); // the largest transaction: the limit is per partition, not summed
            try (TaskRunner t = new TaskRunner(props, List.of(A, B))) {
                markCommits(t, target);
                for (int i = 0; i < Math.max(a.size(), b.size()); i += k) {
                    List<SinkRecord> put = new ArrayList<>(slice(a, i, k));
                    put.addAll(slice(b, i, k));
                    t.task.put(put);
                }
                for (int idle = 0; idle < 2; idle++) { // closes what has no END; pipelined, learns the outcome
                    t.task.awaitApplied();
                    t.task.put(List.of());
                }
                t.task.awaitApplied();
                Map<TopicPartition, OffsetAndMetadata> committed = t.task.preCommit(
                        Map.of(A, new OffsetAndMetadata(a.size()), B, new OffsetAndMetadata(b.size())));
                assertEquals(a.size(), committed.get(A).offset(), label + ": A committed to its end");
                assertEquals(b.size(), committed.get(B).offset(), label + ": B committed to its end");
                assertEquals(0, t.task.stats().splitTransactions(), label + ": no transaction split");
            }
            assertAtomic(upstream, targetTransactionOfEachRow(target), label);
            assertEquals(
                    expected,
                    List.of(
                            LabSchema.state(db, target),
                            AuditedTarget.writes(db, target).stream()
                                    .filter(w -> !w.equals("COMMIT"))
                                    .toList()),
                    label + ": target == source, every write once");
        }
    }

    /**
     * A's transaction has no markers and A goes quiet while B keeps the task busy (no empty put ever comes): A's
     * transaction is committed once A has been idle for 'transaction.idle.ms', not earlier (B's records say nothing
     * about A's transactions) and not never (its offset would never commit).
     */
    @Test
    void markerlessPartitionIdleWhileTheOtherIsBusy_committedAfterTheIdleTime() throws Exception {
        long idleMs = 1500;
        List<SinkRecord> a = source(1, 0, false).all();
        List<SinkRecord> b = ChangeStream.onPartition(1, source(2, 1000, true).all());
        String target = AuditedTarget.create(db, "pt_idle");
        try (TaskRunner t = new TaskRunner(props(target, false, idleMs), List.of(A, B))) {
            Map<TopicPartition, OffsetAndMetadata> asked =
                    Map.of(A, new OffsetAndMetadata(a.size()), B, new OffsetAndMetadata(b.size()));
            long start = System.nanoTime();
            t.task.put(a.subList(0, 3)); // A's first transaction, all of it, but nothing says it ended
            t.task.put(b.subList(0, 1));
            assertFalse(t.task.preCommit(asked).containsKey(A), "B's record does not end A's transaction");
            long committedAfterMs = -1;
            int i = 1;
            for (; i < b.size() && committedAfterMs < 0; i++) {
                Thread.sleep(150);
                t.task.put(b.subList(i, i + 1));
                OffsetAndMetadata at = t.task.preCommit(asked).get(A);
                if (at != null) {
                    assertEquals(3, at.offset(), "A's first transaction, whole");
                    committedAfterMs = (System.nanoTime() - start) / 1_000_000L;
                }
            }
            assertTrue(
                    committedAfterMs >= idleMs,
                    "A's transaction committed after " + committedAfterMs + " ms (-1: never) of A idle; due after "
                            + idleMs);
            List<SinkRecord> rest = new ArrayList<>(a.subList(3, a.size()));
            rest.addAll(b.subList(i, b.size()));
            t.task.put(rest);
            Thread.sleep(idleMs);
            t.task.put(List.of()); // A's last transaction, without an END, is due now
            Map<TopicPartition, OffsetAndMetadata> committed = t.task.preCommit(asked);
            assertEquals(a.size(), committed.get(A).offset());
            assertEquals(b.size(), committed.get(B).offset());
            assertEquals(0, t.task.stats().splitTransactions(), "A's transaction was whole when it was committed");
        }
        assertEquals(reference(a, b).get(0), LabSchema.state(db, target), "target == source");
    }

    /**
     * A schema change in B's stream while A's transaction is half delivered: it ends B's open transaction (a DDL
     * commits on its own) but leaves A's alone, which then commits whole.
     */
    @Test
    void schemaChangeInOnePartition_doesNotSplitTheOthersOpenTransaction() {
        List<SinkRecord> a = source(1, 0, true).all();
        List<SinkRecord> b = ChangeStream.onPartition(
                1,
                new ChangeStream()
                        .server(2)
                        .ddl("src", "CREATE TABLE extra (id BIGINT PRIMARY KEY)")
                        .txWithMarkers(PARENT.insert(1001L, "q"), CHILD_CASCADE.insert(100101L, 1001L, "d"))
                        .all());
        String target = AuditedTarget.create(db, "pt_ddl");
        try (TaskRunner t = new TaskRunner(props(target, false, 0), List.of(A, B))) {
            markCommits(t, target);
            List<SinkRecord> first = new ArrayList<>(a.subList(0, 3)); // BEGIN and 2 of its 3 rows
            first.addAll(b); // the DDL, then a transaction of B
            t.task.put(first);
            assertEquals(
                    1,
                    db.count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + target
                            + "' AND TABLE_NAME = 'extra'"),
                    "the schema change ran");
            t.task.put(a.subList(3, a.size()));
            t.task.put(List.of());
            Map<TopicPartition, OffsetAndMetadata> committed =
                    t.task.preCommit(Map.of(A, new OffsetAndMetadata(a.size()), B, new OffsetAndMetadata(b.size())));
            assertEquals(a.size(), committed.get(A).offset());
            assertEquals(b.size(), committed.get(B).offset());
        }
        List<Set<String>> upstream = new ArrayList<>(transactions(a));
        upstream.addAll(transactions(b));
        assertAtomic(upstream, targetTransactionOfEachRow(target), "DDL in B");
    }
}

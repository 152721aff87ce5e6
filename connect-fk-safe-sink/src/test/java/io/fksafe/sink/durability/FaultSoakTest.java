package io.fksafe.sink.durability;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.CHILD_SETNULL;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.testing.AuditedTarget;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.FaultProxy;
import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * A seeded random parent/child workload (inserts, updates, re-pointing, key changes, cascading deletes) run on a real
 * source, delivered to the sink like the worker does while random faults hit it: connections cut before or after
 * random statements (COMMIT included), dropped connections, task crashes before Kafka's offset commit. At the end
 * the target equals the source, its audit log equals one fault-free run (nothing lost, nothing applied twice), and
 * no committed offset ever passed the target's checkpoint. Bounded: a few hundred transactions per seed.
 */
class FaultSoakTest {

    /** Fixed seeds in CI; {@code -Dfksafe.soak.seeds=N} runs N more, for longer hunts. */
    private static final long[] SEEDS = Long.getLong("fksafe.soak.seeds") == null ? new long[] {1L, 20261122L, 7_777L}
            : java.util.stream.LongStream.range(1000, 1000 + Long.getLong("fksafe.soak.seeds")).toArray();
    private static final int TRANSACTIONS = 200;
    private static final String[] MARKERS = {"INSERT INTO", "DELETE FROM", "UPDATE `", "fksafe_test`.`checkpoint", "COMMIT"};

    private final TestDatabase db = TestDatabase.get();

    @Test
    void randomWorkload_randomFaults_targetEqualsSource_exactlyOnce() throws Exception {
        long faults = 0;
        long rows = 0;
        for (long seed : SEEDS) {
            long[] figures = run(seed);
            faults += figures[0];
            rows += figures[1];
        }
        System.out.printf("SOAK %d seeds x %d transactions: %d faults injected, %d target rows checked%n",
                SEEDS.length, TRANSACTIONS, faults, rows);
    }

    private long[] run(long seed) throws Exception {
        System.out.println("soak seed " + seed);
        Random rnd = new Random(seed);
        String source = AuditedTarget.create(db, "soak_src");
        ChangeStream stream = new Workload(db, source, rnd).generate(TRANSACTIONS);
        String reference = AuditedTarget.create(db, "soak_ref");
        try (TaskRunner t = new TaskRunner(TaskRunner.props("soak-ref-" + reference, "table.mapping", "src.*=" + reference + ".*"))) {
            t.deliver(stream.all());
        }
        String target = AuditedTarget.create(db, "soak_tgt");
        long injected = 0;
        try (FaultProxy proxy = new FaultProxy(db.port())) {
            Map<String, String> props = TaskRunner.props("soak-" + target, "table.mapping", "src.*=" + target + ".*",
                    "retry.backoff.ms", "1", "max.retries", "1000");
            props.put("connection.url", proxy.url());
            List<SinkRecord> all = stream.all();
            TaskRunner task = new TaskRunner(props);
            long position = 0;
            int attempts = 0;
            while (position < all.size() || attempts == 0) {
                attempts++;
                assertTrue(attempts < 20 * all.size(), "seed " + seed + ": no progress");
                int roll = rnd.nextInt(100);
                if (roll < 30) {
                    proxy.cutWhenClientSends(MARKERS[rnd.nextInt(MARKERS.length)], rnd.nextBoolean());
                } else if (roll < 36) {
                    proxy.dropAll();
                    injected++;
                } else if (roll < 42) { // crash: no preCommit; the worker resumes from the task's seek (or Kafka's offset)
                    task.task.stop();
                    task = new TaskRunner(props);
                    position = task.seekedTo() == null ? 0 : task.seekedTo();
                    injected++;
                }
                int size = 1 + rnd.nextInt(40);
                List<SinkRecord> batch = all.subList((int) position, (int) Math.min(all.size(), position + size));
                try {
                    task.task.put(batch);
                    position += batch.size();
                    if (position >= all.size()) {
                        task.task.put(List.of());
                    }
                } catch (RetriableException e) {
                    continue; // the worker redelivers the same batch
                }
                long committed = offsetOf(task.preCommit(position));
                assertTrue(committed <= checkpoint(target), "seed " + seed + ": offset " + committed
                        + " committed past the target's checkpoint " + checkpoint(target));
            }
            assertEquals(all.size(), offsetOf(task.preCommit(all.size())), "seed " + seed + ": everything committed");
            task.close();
            injected += proxy.faultsFired(); // armed cuts count only when their statement came
        }
        String failure = "seed " + seed + " (rerun with only this seed in SEEDS to reproduce)";
        assertEquals(db.dump(source).stream().filter(r -> !r.get(0).equals("audit")).toList(),
                db.dump(target).stream().filter(r -> !r.get(0).equals("audit")).toList(), failure + ": target == source");
        // Same writes, each as often: a multi-row DELETE ... IN (...) visits rows in index order, so sequence may differ.
        List<String> expected = new ArrayList<>(AuditedTarget.writes(db, reference));
        List<String> actual = new ArrayList<>(AuditedTarget.writes(db, target));
        java.util.Collections.sort(expected);
        java.util.Collections.sort(actual);
        if (!expected.equals(actual)) {
            List<String> missing = new ArrayList<>(expected);
            actual.forEach(missing::remove);
            List<String> extra = new ArrayList<>(actual);
            expected.forEach(extra::remove);
            throw new AssertionError(failure + ": not exactly once; missing writes " + missing + ", extra writes " + extra);
        }
        return new long[] {injected, db.dump(target).size()};
    }

    private static long offsetOf(Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> m) {
        var o = m.get(TaskRunner.TP);
        return o == null ? 0 : o.offset();
    }

    private long checkpoint(String target) {
        List<List<String>> r = db.query("SELECT next_offset FROM fksafe_test.checkpoint WHERE connector = 'soak-" + target + "'");
        return r.isEmpty() ? 0 : Long.parseLong(r.get(0).get(0));
    }

    /** Runs random transactions on the source and records what Debezium would emit for them (no cascaded rows). */
    private static final class Workload {
        private final TestDatabase db;
        private final String src;
        private final Random rnd;
        private long nextParent = 1;
        private long nextChild = 1;

        Workload(TestDatabase db, String src, Random rnd) {
            this.db = db;
            this.src = "`" + src + "`.";
            this.rnd = rnd;
        }

        ChangeStream generate(int transactions) {
            ChangeStream s = new ChangeStream();
            for (int i = 0; i < transactions; i++) {
                List<String> sql = new ArrayList<>();
                List<ChangeRecord> changes = new ArrayList<>();
                int ops = 1 + rnd.nextInt(4);
                for (int k = 0; k < ops; k++) {
                    op(sql, changes);
                }
                if (!changes.isEmpty()) {
                    s.txWithMarkers(changes.toArray(ChangeRecord[]::new));
                }
            }
            return s;
        }

        private void op(List<String> sql, List<ChangeRecord> out) {
            List<Long> parents = ids("parent");
            int kind = parents.isEmpty() ? 0 : rnd.nextInt(10);
            switch (kind) {
                case 0, 1 -> {
                    long id = nextParent++;
                    run("INSERT INTO " + src + "parent VALUES (" + id + ", 'p" + id + "')");
                    out.add(PARENT.insert(id, "p" + id));
                }
                case 2, 3 -> {
                    TableDef child = rnd.nextBoolean() ? CHILD_CASCADE : CHILD_SETNULL;
                    String table = child == CHILD_CASCADE ? "child_cascade" : "child_setnull";
                    long id = nextChild++;
                    long p = pick(parents);
                    run("INSERT INTO " + src + table + " VALUES (" + id + ", " + p + ", 'c" + id + "')");
                    out.add(child.insert(id, p, "c" + id));
                }
                case 4 -> {
                    long p = pick(parents);
                    String note = "p" + p + ":" + rnd.nextInt(1000);
                    run("UPDATE " + src + "parent SET note = '" + note + "' WHERE id = " + p);
                    out.add(PARENT.update(p, note));
                }
                case 5 -> {
                    List<Long> kids = ids("child_setnull");
                    if (!kids.isEmpty()) {
                        long c = pick(kids);
                        long p = pick(parents);
                        run("UPDATE " + src + "child_setnull SET parent_id = " + p + " WHERE id = " + c);
                        out.add(CHILD_SETNULL.update(c, p, payload("child_setnull", c)));
                    }
                }
                case 6 -> {
                    long p = pick(parents);
                    run("DELETE FROM " + src + "parent WHERE id = " + p); // the source cascades; the binlog has only this
                    out.add(PARENT.delete(p));
                }
                case 7 -> {
                    List<Long> kids = ids("child_cascade");
                    if (!kids.isEmpty()) {
                        long c = pick(kids);
                        run("DELETE FROM " + src + "child_cascade WHERE id = " + c);
                        out.add(CHILD_CASCADE.delete(c));
                    }
                }
                default -> {
                    long p = pick(parents);
                    long id = nextParent++;
                    String note = db.query("SELECT note FROM " + src + "parent WHERE id = " + p).get(0).get(0);
                    run("UPDATE " + src + "parent SET id = " + id + " WHERE id = " + p); // children follow ON UPDATE CASCADE
                    out.add(PARENT.keyUpdate(new Object[] {p}, id, note));
                }
            }
        }

        private String payload(String table, long id) {
            return db.query("SELECT payload FROM " + src + table + " WHERE id = " + id).get(0).get(0);
        }

        private List<Long> ids(String table) {
            return db.query("SELECT id FROM " + src + table + " ORDER BY id").stream().map(r -> Long.parseLong(r.get(0))).toList();
        }

        private long pick(List<Long> ids) {
            return ids.get(rnd.nextInt(ids.size()));
        }

        private void run(String statement) {
            db.exec(statement);
        }
    }
}

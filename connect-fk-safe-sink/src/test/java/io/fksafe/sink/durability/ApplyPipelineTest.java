package io.fksafe.sink.durability;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.target.FaultPoint;
import io.fksafe.sink.testing.AuditedTarget;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.FaultProxy;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * The apply thread of 'apply.pipelined' (the default) against a real MariaDB: a batch is held on it at a fault point
 * while the task's thread goes on, and each test checks what the task's thread may and may not do meanwhile.
 */
class ApplyPipelineTest {

    private final TestDatabase db = TestDatabase.get();
    private FaultProxy proxy;
    private String target;
    private TaskRunner task;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws Exception {
        proxy = new FaultProxy(db.port());
        target = AuditedTarget.create(db, "pipe");
    }

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        if (task != null) {
            task.close();
        }
        proxy.close();
    }

    private TaskRunner start(String... extra) {
        List<String> settings =
                new ArrayList<>(List.of("table.mapping", "src.*=" + target + ".*", "retry.backoff.ms", "10"));
        settings.addAll(List.of(extra));
        Map<String, String> p = TaskRunner.props(connector(), settings.toArray(String[]::new));
        p.put("connection.url", proxy.url());
        task = new TaskRunner(p);
        return task;
    }

    private String connector() {
        return "pipe-" + target;
    }

    /** Transactions with markers, 2 rows each (4 records): parent i and a child of it. */
    private static ChangeStream transactions(int n) {
        ChangeStream s = new ChangeStream();
        for (long i = 1; i <= n; i++) {
            s.txWithMarkers(PARENT.insert(i, "p" + i), CHILD_CASCADE.insert(100 + i, i, "c" + i));
        }
        return s;
    }

    private List<String> referenceWrites(ChangeStream stream) {
        String ref = AuditedTarget.create(db, "pipe_ref");
        try (TaskRunner t = new TaskRunner(
                TaskRunner.props("ref-" + ref, "table.mapping", "src.*=" + ref + ".*", "apply.pipelined", "false"))) {
            t.deliver(stream.all());
        }
        return AuditedTarget.writes(db, ref);
    }

    /** Holds the apply thread at {@code at} until {@link #release} opens, then runs {@code then}. */
    private void holdAt(FaultPoint at, Runnable then) {
        task.faults.arm(at, () -> {
            try {
                assertTrue(release.await(120, TimeUnit.SECONDS), "released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            then.run();
        });
    }

    private void awaitHeld() throws InterruptedException {
        for (int i = 0; i < 1200 && task.faults.armed(); i++) {
            Thread.sleep(50);
        }
        assertFalse(task.faults.armed(), "the apply thread reached the fault point");
    }

    private long checkpointInTarget() {
        List<List<String>> rows =
                db.query("SELECT next_offset FROM fksafe_test.checkpoint WHERE connector = '" + connector() + "'");
        return rows.isEmpty() ? 0 : Long.parseLong(rows.get(0).get(0));
    }

    /** The task's own preCommit, not the runner's (which first waits for the apply thread). */
    private long preCommitNow(long consumed) {
        Map<TopicPartition, OffsetAndMetadata> m =
                task.task.preCommit(Map.of(TaskRunner.TP, new OffsetAndMetadata(consumed)));
        return m.containsKey(TaskRunner.TP) ? m.get(TaskRunner.TP).offset() : 0;
    }

    @Test
    void connectionLostOnTheApplyThread_whileLaterPutsAreTaken_seeksBack_nothingLostNothingTwice() throws Exception {
        ChangeStream stream = transactions(12); // 48 records
        start();
        task.deliver(stream.range(0, 8)); // a checkpoint at 8
        holdAt(FaultPoint.BEFORE_COMMIT, proxy::dropAll); // rows and checkpoint written, then the connection goes
        task.task.put(stream.range(8, 16));
        awaitHeld();
        task.task.put(stream.range(16, 32)); // taken in while the batch before waits on the apply thread
        task.task.put(stream.range(32, 48));
        assertEquals(8, preCommitNow(48), "nothing past the target's checkpoint while a batch is in flight");
        release.countDown();
        task.task.awaitApplied();
        task.task.put(List.of()); // learns of the failure
        Long to = task.context.takeSeeks().get(TaskRunner.TP);
        assertNotNull(to, "the task seeks back after a failure on the apply thread");
        assertEquals(8, to, "to the target's checkpoint");
        assertEquals(8, checkpointInTarget());
        assertFalse(task.context.paused.isEmpty(), "paused for the backoff");
        task.feed(stream.from(8), 5); // what the seek brings
        assertEquals(
                stream.size(), task.preCommit(stream.size()).get(TaskRunner.TP).offset());
        assertEquals(stream.size(), checkpointInTarget());
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target), "every write once, in order");
    }

    /** Polls the target's checkpoint until it reaches {@code offset}; false if it did not within a minute. */
    private boolean checkpointReaches(long offset) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            if (checkpointInTarget() >= offset) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void aLiveStream_oneTransactionAPut_waitsForMore_andCommitsThemTogether() throws Exception {
        ChangeStream stream = transactions(20); // 80 records, one transaction a put, as a stream trickles in
        start("apply.linger.ms", "10000"); // only a full batch or someone waiting for the apply thread ends it
        for (int i = 0; i < 20; i++) {
            task.task.put(stream.range(4 * i, 4 * i + 4));
        }
        Thread.sleep(300);
        assertEquals(0, checkpointInTarget(), "less than a batch queued: the apply thread waits for more");
        assertEquals(0, preCommitNow(stream.size()), "and nothing is reported before the target has it");
        task.task.awaitApplied(); // Connect's own wait (a rebalance, a stop) ends the linger at once
        assertEquals(stream.size(), checkpointInTarget());
        assertEquals(stream.size(), preCommitNow(stream.size()));
        assertEquals(1, task.task.stats().commits(), "20 upstream transactions, one target transaction");
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target));
    }

    @Test
    void aFullBatch_endsTheLinger_andWhatIsLeftWaits() throws Exception {
        ChangeStream stream = transactions(3); // 2 rows each
        start("apply.linger.ms", "10000", "batch.max.rows", "4");
        task.task.put(stream.all());
        assertTrue(checkpointReaches(8), "the first two transactions fill a batch: committed without waiting");
        Thread.sleep(300);
        assertEquals(8, checkpointInTarget(), "the third, less than a batch, waits for more");
        task.task.awaitApplied();
        assertEquals(stream.size(), checkpointInTarget());
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target));
    }

    @Test
    void theLinger_endsOnItsOwn_whenNoMoreComes() throws Exception {
        ChangeStream stream = transactions(1);
        start("apply.linger.ms", "200");
        task.task.put(stream.all());
        assertTrue(checkpointReaches(stream.size()), "committed once the linger is over, nobody waiting for it");
        assertEquals(stream.size(), preCommitNow(stream.size()));
    }

    @Test
    void preCommit_whileABatchIsInFlight_reportsOnlyTheTargetsCheckpoint() throws Exception {
        ChangeStream stream = transactions(4);
        start();
        task.deliver(stream.range(0, 4));
        holdAt(FaultPoint.BEFORE_COMMIT, () -> {}); // rows and checkpoint written, not committed
        task.task.put(stream.from(4));
        awaitHeld();
        long reported = preCommitNow(stream.size());
        assertEquals(4, checkpointInTarget());
        assertTrue(reported <= checkpointInTarget(), "reported " + reported + " past the checkpoint");
        assertEquals(4, reported);
        release.countDown();
        task.task.awaitApplied();
        assertEquals(stream.size(), preCommitNow(stream.size()));
        assertEquals(stream.size(), checkpointInTarget());
    }

    @Test
    void close_whileABatchIsInFlight_waitsForIt() throws Exception {
        ChangeStream stream = transactions(4);
        start();
        holdAt(FaultPoint.BEFORE_FIRST_STATEMENT, () -> {});
        task.task.put(stream.all());
        awaitHeld();
        Thread closer = new Thread(() -> task.task.close(List.of(TaskRunner.TP)), "closer");
        closer.start();
        closer.join(1_000);
        assertTrue(closer.isAlive(), "close() waits while the apply thread holds a batch");
        assertEquals(0, checkpointInTarget());
        release.countDown();
        closer.join(60_000);
        assertFalse(closer.isAlive());
        assertEquals(stream.size(), checkpointInTarget(), "the batch in flight committed whole");
        task.task.open(List.of(TaskRunner.TP)); // the partition comes back: its checkpoint is read again
        assertEquals(stream.size(), task.seekedTo());
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target));
    }

    @Test
    void schemaChange_whileABatchIsInFlight_runsAfterIt() throws Exception {
        ChangeStream stream = transactions(2)
                .ddl("src", "ALTER TABLE parent ADD COLUMN extra INT NULL")
                .txWithMarkers(PARENT.insert(3L, "p3"));
        int ddlAt = 8;
        start();
        holdAt(FaultPoint.BEFORE_FIRST_STATEMENT, () -> {});
        task.task.put(stream.range(0, ddlAt));
        awaitHeld();
        Thread putter = new Thread(() -> task.task.put(stream.from(ddlAt)), "putter");
        putter.start();
        putter.join(1_000);
        assertTrue(putter.isAlive(), "the schema change waits for the batch in flight");
        assertEquals(0, extraColumns(), "and has not run");
        release.countDown();
        putter.join(60_000);
        assertFalse(putter.isAlive());
        task.task.put(List.of());
        assertEquals(
                stream.size(), task.preCommit(stream.size()).get(TaskRunner.TP).offset());
        assertEquals(1, extraColumns());
        assertEquals(3, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"));
    }

    private long extraColumns() {
        return db.count("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + target
                + "' AND TABLE_NAME = 'parent' AND COLUMN_NAME = 'extra'");
    }

    @Test
    void stop_leavesNoApplyThread() {
        ChangeStream stream = transactions(2);
        for (int i = 0; i < 5; i++) {
            try (TaskRunner t =
                    new TaskRunner(TaskRunner.props(connector(), "table.mapping", "src.*=" + target + ".*"))) {
                t.deliver(stream.all());
                assertTrue(applyThreads() > 0, "the task has its apply thread while it runs");
            }
        }
        assertEquals(0, applyThreads(), "stop() ended every apply thread");
    }

    private long applyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("fksafe-apply-" + connector() + "-") && t.isAlive())
                .count();
    }
}

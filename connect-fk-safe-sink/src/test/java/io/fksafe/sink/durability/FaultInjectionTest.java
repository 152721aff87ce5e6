package io.fksafe.sink.durability;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fksafe.sink.target.FaultPoint;
import io.fksafe.sink.testing.AuditedTarget;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.FaultProxy;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * Deterministic faults between the sink and a real MariaDB — through a TCP proxy the test controls, or KILL
 * CONNECTION from a second session — each checked for: target equal to one fault-free run (rows and the audit log
 * of every write, so nothing is applied twice), and committed offsets never past an unapplied record. Each runs in
 * both apply modes: a failure makes the task seek back to its checkpoint and pause for the backoff, at the failed put
 * (synchronous) or at a later one (pipelined, where the apply thread failed).
 */
class FaultInjectionTest {

    private final TestDatabase db = TestDatabase.get();
    private FaultProxy proxy;
    private String target;
    private TaskRunner task;
    private boolean pipelined;

    @BeforeEach
    void setUp() throws Exception {
        proxy = new FaultProxy(db.port());
        target = AuditedTarget.create(db, "faults");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (task != null) {
            task.close();
        }
        proxy.close();
    }

    private TaskRunner start(String... extra) {
        Map<String, String> p = TaskRunner.props(
                "faults-" + target, "table.mapping", "src.*=" + target + ".*", "retry.backoff.ms", "10");
        p.put("connection.url", proxy.url());
        p.put("apply.pipelined", String.valueOf(pipelined));
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        task = new TaskRunner(p);
        return task;
    }

    /** Two upstream transactions framed by BEGIN/END, as with Debezium's transaction metadata (offsets 0-3, 4-8). */
    private static ChangeStream twoTransactions() {
        return new ChangeStream()
                .txWithMarkers(PARENT.insert(1L, "p1"), CHILD_CASCADE.insert(11L, 1L, "a"))
                .txWithMarkers(
                        PARENT.insert(2L, "p2"),
                        CHILD_CASCADE.insert(21L, 2L, "b"),
                        CHILD_CASCADE.insert(22L, 2L, "c"));
    }

    /** What one fault-free run of the stream writes, on a fresh audited target. */
    private List<String> referenceWrites(ChangeStream stream) {
        String ref = AuditedTarget.create(db, "faults_ref");
        try (TaskRunner t = new TaskRunner(TaskRunner.props("ref-" + ref, "table.mapping", "src.*=" + ref + ".*"))) {
            t.deliver(stream.all());
        }
        return AuditedTarget.writes(db, ref);
    }

    /**
     * {@code batch} fails transiently: at this put (synchronous) or the next (pipelined), the task seeks back and
     * pauses for the backoff; returns the offset it seeks to.
     */
    private long failsAndSeeksBack(List<SinkRecord> batch) {
        task.task.put(batch); // never RetriableException: Connect would redeliver this batch ahead of the seek
        if (pipelined) {
            task.task.awaitApplied();
            task.task.put(List.of());
        }
        Long to = task.context.takeSeeks().get(TaskRunner.TP);
        assertNotNull(to, "the failure makes the task seek back");
        assertFalse(task.context.paused.isEmpty(), "and pause for the backoff");
        assertTrue(task.context.timeoutMs > 0, "the worker is asked to poll again after the backoff");
        return to;
    }

    /** After {@link #failsAndSeeksBack}: the worker delivers everything from the seek. */
    private void redelivered(ChangeStream stream, long seekedTo) {
        task.feed(stream.from((int) seekedTo), 500);
    }

    /** {@code batch} fails for good: the task stops with a ConnectException, now or at the next put. */
    private ConnectException failsForGood(List<SinkRecord> batch) {
        return assertThrows(ConnectException.class, () -> {
            task.task.put(batch);
            task.task.awaitApplied();
            task.task.put(List.of());
        });
    }

    private long checkpointOffset() {
        List<List<String>> rows =
                db.query("SELECT next_offset FROM fksafe_test.checkpoint WHERE connector = 'faults-" + target + "'");
        return rows.isEmpty() ? 0 : Long.parseLong(rows.get(0).get(0));
    }

    private long committedOffset(long consumed) {
        var m = task.preCommit(consumed);
        return m.containsKey(TaskRunner.TP) ? m.get(TaskRunner.TP).offset() : 0;
    }

    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void connectionRefusedAtConnect_retriedWithBackoff_thenApplied(boolean pipelined) throws Exception {
        this.pipelined = pipelined;
        ChangeStream stream = twoTransactions();
        start();
        proxy.refuseNewConnections();
        proxy.dropAll(); // the open connection goes too: the next statement must reconnect
        List<SinkRecord> all = stream.all();
        long to = failsAndSeeksBack(all);
        assertEquals(0, to, "no checkpoint yet: back to the first record seen");
        failsAndSeeksBack(all); // refused again on redelivery
        assertEquals(0, committedOffset(all.size()), "no offset while nothing is applied");
        proxy.acceptConnections();
        redelivered(stream, 0);
        assertEquals(all.size(), committedOffset(all.size()));
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target));
    }

    /** tiflow #12626: DM saved its checkpoint after the downstream BEGIN failed, and skipped rows on resume. */
    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void tiflow12626_failureAtTheStartOfATargetTransaction_leavesCheckpointAndOffsetsWhereTheyWere(boolean pipelined)
            throws Exception {
        this.pipelined = pipelined;
        ChangeStream stream = twoTransactions();
        start();
        task.deliver(stream.range(0, 4));
        long before = checkpointOffset();
        assertEquals(4, before);
        killSinkConnectionsAt(FaultPoint.BEFORE_FIRST_STATEMENT); // from a second session, as the transaction starts
        List<SinkRecord> second = stream.from(4);
        long to = failsAndSeeksBack(second);
        assertEquals(before, to, "back to the checkpoint");
        task.task.put(List.of()); // nothing comes until the seek's records: the idle put must not sneak anything in
        task.task.awaitApplied();
        assertEquals(before, checkpointOffset(), "the checkpoint did not move");
        assertEquals(before, committedOffset(stream.size()), "the Kafka offset did not move");
        assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.parent WHERE id = 2"));
        redelivered(stream, before);
        assertEquals(stream.size(), committedOffset(stream.size()));
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target));
    }

    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void connectionKilledAfterAStatement_wholeTransactionRetried_appliedOnce(boolean pipelined) {
        this.pipelined = pipelined;
        ChangeStream stream = twoTransactions();
        start();
        proxy.cutWhenClientSends("fksafe_test`.`checkpoint", false); // rows were sent, the checkpoint never arrives
        long to = failsAndSeeksBack(stream.all());
        assertEquals(1, proxy.faultsFired());
        assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"), "the rows were rolled back with it");
        redelivered(stream, to);
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target));
    }

    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void connectionLostDuringCommit_thatLanded_isLearnedFromTheCheckpoint_notRetried(boolean pipelined) {
        this.pipelined = pipelined;
        ChangeStream stream = twoTransactions();
        start();
        proxy.cutWhenClientSends("COMMIT", true); // the server commits; the client never hears back
        task.task.put(stream.all());
        task.task.put(List.of());
        task.task.awaitApplied();
        assertEquals(1, proxy.faultsFired());
        assertEquals(1, task.task.stats().unknownCommitOutcomes(), "resolved by reading the checkpoint");
        assertEquals(stream.size(), committedOffset(stream.size()));
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target), "applied exactly once");
    }

    /**
     * The client gives up on a COMMIT the server has not run yet: reading the checkpoint then shows the old one. The
     * outcome check must wait for that transaction to end rather than take the old checkpoint as "did not land" and
     * apply the batch twice. The COMMIT is released only once the sink's checkpoint read waits on its locks, as the
     * server reports it: no guessed delay.
     */
    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void commitStillInFlightWhenTheOutcomeIsRead_isWaitedFor_appliedOnce(boolean pipelined) throws Exception {
        this.pipelined = pipelined;
        ChangeStream stream = twoTransactions();
        start();
        proxy.holdWhenClientSends("COMMIT");
        Thread releaser = new Thread(
                () -> {
                    try {
                        long deadline = System.nanoTime() + 120_000_000_000L;
                        while (!(proxy.isHolding() && checkpointReadsWaiting() > 0) && System.nanoTime() < deadline) {
                            Thread.sleep(
                                    250); // see checkpointReadsWaiting: back-to-back reads would never see the wait
                        }
                        if (proxy.isHolding()) {
                            proxy.releaseHeld();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "commit-releaser");
        releaser.setDaemon(true);
        releaser.start();
        try {
            task.task.put(stream.all());
            task.task.awaitApplied(); // pipelined: the COMMIT is held on the apply thread, not in put()
        } finally {
            releaser.join(180_000);
        }
        task.task.put(List.of());
        task.task.awaitApplied();
        assertEquals(1, proxy.faultsFired());
        assertEquals(
                1, task.task.stats().unknownCommitOutcomes(), "resolved by the checkpoint, once the COMMIT finished");
        assertEquals(stream.size(), committedOffset(stream.size()));
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target), "applied exactly once");
    }

    /**
     * Sessions blocked in the sink's locking read of its checkpoint. InnoDB serves INNODB_TRX from a snapshot it only
     * renews once nobody has read it for 100 ms, so the caller must pause between polls: polled without a pause, it
     * kept showing the state from before the wait began and the COMMIT was never released.
     */
    private long checkpointReadsWaiting() {
        return db.count("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' "
                + "AND trx_query LIKE '%checkpoint%FOR UPDATE'");
    }

    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void connectionLostDuringCommit_thatDidNotLand_isRetried_appliedOnce(boolean pipelined) {
        this.pipelined = pipelined;
        ChangeStream stream = twoTransactions();
        start();
        proxy.cutWhenClientSends("COMMIT", false); // COMMIT never reaches the server: it rolls back
        long to = failsAndSeeksBack(stream.all());
        assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"));
        assertEquals(0, committedOffset(stream.size()));
        redelivered(stream, to);
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target));
    }

    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void lockWaitTimeout_onARowAnotherSessionHolds_isRetried_thenApplied(boolean pipelined) throws Exception {
        this.pipelined = pipelined;
        ChangeStream stream =
                new ChangeStream().txWithMarkers(PARENT.insert(1L, "p1")).txWithMarkers(PARENT.update(1L, "p1:u"));
        start("connection.url", proxy.url() + "?sessionVariables=innodb_lock_wait_timeout=1");
        task.deliver(stream.range(0, 3));
        try (Connection holder = db.connect();
                Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.executeQuery("SELECT * FROM `" + target + "`.parent WHERE id = 1 FOR UPDATE")
                    .close();
            assertEquals(3, failsAndSeeksBack(stream.from(3)), "back to the checkpoint");
            holder.rollback();
        }
        redelivered(stream, 3);
        assertEquals(
                "p1:u",
                db.query("SELECT note FROM `" + target + "`.parent").get(0).get(0));
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target));
    }

    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void debeziumReEmission_sameChangesUnderNewOffsets_appliedOnce(boolean pipelined) {
        this.pipelined = pipelined;
        ChangeStream stream = twoTransactions();
        List<SinkRecord> original = stream.all();
        for (SinkRecord r : original) { // Debezium restarted from an older source offset: the same events again
            stream.append(io.fksafe.change.ChangeRecord.fromStruct((org.apache.kafka.connect.data.Struct) r.value()));
        }
        start();
        task.deliver(stream.all());
        long dataRecords = original.stream()
                .filter(r -> ((org.apache.kafka.connect.data.Struct) r.value()).getString("position") != null)
                .count();
        assertEquals(
                dataRecords,
                task.task.stats().skippedDuplicatePositions(),
                "every re-emitted change; markers carry no position");
        assertEquals(stream.size(), committedOffset(stream.size()), "the skipped records' offsets move too");
        assertEquals(referenceWrites(twoTransactions()), AuditedTarget.writes(db, target));
    }

    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void failedPut_leavesNothingForPreCommitOrCloseToWrite(boolean pipelined) {
        this.pipelined = pipelined;
        ChangeStream stream = new ChangeStream()
                .txWithMarkers(PARENT.insert(1L, "p1"))
                .txWithMarkers(CHILD_CASCADE.insert(9L, 404L, "orphan"));
        start("safe.mode", "never");
        failsForGood(stream.all());
        if (pipelined) { // the failure stays: the worker stops a task after a non-retriable error anyway
            assertThrows(ConnectException.class, () -> task.task.put(List.of()));
        } else {
            task.task.put(List.of());
        }
        assertEquals(0, committedOffset(stream.size()), "the failed put's records were dropped, not flushed later");
        task.task.close(List.of(TaskRunner.TP));
        assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"));
        assertEquals(0, checkpointOffset());
    }

    /** Kills every client connection but the killer's own from a second session when the applier reaches {@code at}. */
    private void killSinkConnectionsAt(FaultPoint at) {
        task.faults.arm(at, () -> {
            try (Connection killer = db.connect();
                    Statement st = killer.createStatement()) {
                List<Long> ids = new java.util.ArrayList<>();
                try (java.sql.ResultSet rs = st.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE "
                        + "COMMAND <> 'Daemon' AND USER <> 'system user' AND ID <> CONNECTION_ID()")) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                for (long id : ids) {
                    try {
                        st.execute("KILL CONNECTION " + id);
                    } catch (java.sql.SQLException gone) {
                        // closed meanwhile
                    }
                }
            }
        });
    }
}

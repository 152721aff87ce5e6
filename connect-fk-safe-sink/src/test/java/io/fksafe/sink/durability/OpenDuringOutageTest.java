package io.fksafe.sink.durability;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fksafe.sink.testing.AuditedTarget;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.FaultProxy;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * The target is down while partitions are assigned. open() runs inside the consumer's rebalance callback, so it must
 * return well within max.poll.interval.ms; the checkpoints are read on the put() path instead, retried like any put.
 */
class OpenDuringOutageTest {

    private final TestDatabase db = TestDatabase.get();
    private FaultProxy proxy;
    private String target;

    @BeforeEach
    void setUp() throws Exception {
        proxy = new FaultProxy(db.port());
        target = AuditedTarget.create(db, "openout");
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
    }

    private boolean pipelined;

    private Map<String, String> props() {
        // with these, the old open() slept 2 + 4 + 8 s in the rebalance callback and then failed the task
        Map<String, String> p = TaskRunner.props(
                "openout-" + target,
                "table.mapping",
                "src.*=" + target + ".*",
                "retry.backoff.ms",
                "2000",
                "max.retries",
                "3");
        p.put("connection.url", proxy.url());
        p.put("apply.pipelined", String.valueOf(pipelined));
        return p;
    }

    private static ChangeStream twoTransactions() {
        return new ChangeStream()
                .txWithMarkers(PARENT.insert(1L, "p1"), CHILD_CASCADE.insert(11L, 1L, "a"))
                .txWithMarkers(
                        PARENT.insert(2L, "p2"),
                        CHILD_CASCADE.insert(21L, 2L, "b"),
                        CHILD_CASCADE.insert(22L, 2L, "c"));
    }

    private List<String> referenceWrites(ChangeStream stream) {
        String ref = AuditedTarget.create(db, "openout_ref");
        try (TaskRunner t = new TaskRunner(TaskRunner.props("ref-" + ref, "table.mapping", "src.*=" + ref + ".*"))) {
            t.deliver(stream.all());
        }
        return AuditedTarget.writes(db, ref);
    }

    /**
     * The failed put seeks back to where it started (no checkpoint known) and backs off by pausing; the delivery from
     * there reads the checkpoint and seeks on to it.
     */
    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void targetDownDuringOpen_openReturnsPromptly_checkpointLoadedOnPut_nothingLostOrDuplicated(boolean pipelined)
            throws Exception {
        this.pipelined = pipelined;
        ChangeStream stream = twoTransactions();
        try (TaskRunner first = new TaskRunner(props())) {
            first.deliver(stream.range(0, 4)); // the first transaction is in; Kafka's commit of it is then lost
        }

        proxy.refuseNewConnections();
        long started = System.nanoTime();
        TaskRunner task = new TaskRunner(props()); // open() runs here, the target unreachable
        try {
            long openMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(openMs < 5_000, "open() returned after " + openMs + " ms");
            assertNull(task.seekedTo(), "no seek without a checkpoint");

            List<SinkRecord> all = stream.all(); // the consumer starts at Kafka's last commit: 0
            assertEquals(0L, task.putAndSettle(all), "back to the first record seen");
            assertTrue(!task.context.paused.isEmpty(), "paused for the backoff");
            assertTrue(task.context.timeoutMs > 0, "the retry backs off through the worker, not in open()");
            assertEquals(Map.of(), task.preCommit(all.size()), "no offset moves while nothing is known");

            proxy.acceptConnections();
            task.feed(all, 500); // from the seek: the checkpoint is read now, and the task seeks on to it
            assertEquals(4L, task.seekedTo(), "seeks to the target's checkpoint");
            assertEquals(
                    stream.size(), task.preCommit(all.size()).get(TaskRunner.TP).offset());
        } finally {
            task.close();
        }
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target), "every write once");
    }

    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void targetDownDuringTheFirstOpen_noCheckpointYet_recordsAppliedAsTheyCome(boolean pipelined) throws Exception {
        this.pipelined = pipelined;
        ChangeStream stream = twoTransactions();
        proxy.refuseNewConnections();
        TaskRunner task = new TaskRunner(props());
        try {
            List<SinkRecord> all = stream.all();
            assertEquals(0L, task.putAndSettle(all), "back to the first record seen");
            task.context.offsets.clear(); // that seek; none for a checkpoint must follow
            proxy.acceptConnections();
            task.feed(all, 500);
            assertNull(task.seekedTo());
            assertEquals(
                    stream.size(), task.preCommit(all.size()).get(TaskRunner.TP).offset());
        } finally {
            task.close();
        }
        assertEquals(referenceWrites(stream), AuditedTarget.writes(db, target));
    }
}

package io.fksafe.sink.durability;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fksafe.sink.testing.AuditedTarget;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.FaultProxy;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * Two partitions, and the worker's ways of redelivering as Kafka 4.3's WorkerSinkTask has them: a batch that failed
 * with a RetriableException is put again before a seek asked for meanwhile takes effect, and a partition revoked alone
 * delivers nothing more while the others go on from the consumer's position. Whatever failed, the task must resume
 * every partition from what the target committed, in both apply modes.
 */
class RewindAfterFailureTest {

    private static final TopicPartition A = TaskRunner.TP;
    private static final TopicPartition B = new TopicPartition(ChangeStream.TOPIC, 1);

    private final TestDatabase db = TestDatabase.get();
    private FaultProxy proxy;
    private String target;

    @BeforeEach
    void setUp() throws Exception {
        proxy = new FaultProxy(db.port());
        target = AuditedTarget.create(db, "rewind");
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
    }

    /** Partition A: three transactions at offsets 0-3, 4-8, 9-12. */
    private static List<SinkRecord> streamA() {
        return new ChangeStream()
                .txWithMarkers(PARENT.insert(1L, "p1"), CHILD_CASCADE.insert(11L, 1L, "a"))
                .txWithMarkers(
                        PARENT.insert(2L, "p2"), CHILD_CASCADE.insert(21L, 2L, "b"), CHILD_CASCADE.insert(22L, 2L, "c"))
                .txWithMarkers(PARENT.insert(3L, "p3"), CHILD_CASCADE.insert(31L, 3L, "d"))
                .all();
    }

    /** Partition B: one transaction at offsets 0-3 (its own source, so its own positions). */
    private static List<SinkRecord> streamB() {
        return ChangeStream.onPartition(
                1,
                new ChangeStream()
                        .txWithMarkers(PARENT.insert(101L, "q1"), CHILD_CASCADE.insert(111L, 101L, "e"))
                        .all());
    }

    private Map<String, String> props(String db, boolean pipelined) {
        Map<String, String> p = TaskRunner.props(
                "rewind-" + db,
                "table.mapping",
                "src.*=" + db + ".*",
                "retry.backoff.ms",
                "10",
                "apply.pipelined",
                String.valueOf(pipelined));
        if (db.equals(target)) {
            p.put("connection.url", proxy.url());
        }
        return p;
    }

    /** One fault-free run of both partitions on a fresh audited target: its rows and every write. */
    private List<Object> reference(boolean pipelined) {
        String ref = AuditedTarget.create(db, "rewind_ref");
        try (TaskRunner t = new TaskRunner(props(ref, pipelined), List.of(A, B))) {
            List<SinkRecord> all = new ArrayList<>(streamA());
            all.addAll(streamB());
            t.feed(all, 500);
        }
        return List.of(LabSchema.state(db, ref), AuditedTarget.writes(db, ref));
    }

    private List<Object> actual() {
        return List.of(LabSchema.state(db, target), AuditedTarget.writes(db, target));
    }

    private static long offset(Map<TopicPartition, OffsetAndMetadata> committed, TopicPartition tp) {
        return committed.containsKey(tp) ? committed.get(tp).offset() : -1;
    }

    /**
     * The target was down in open(), and the consumer's committed offset of A (9) is ahead of the target's checkpoint
     * (4: the target restored from an older backup). The first put reads the checkpoint and seeks A back to 4; in the
     * same put B's rows meet a lost connection. Redelivering that put's records before the seek's (what a
     * RetriableException makes the worker do) would apply A's 9-12 first, and 4-8 would then count as applied.
     */
    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void targetDownInOpen_consumerAheadOfTheCheckpoint_transientErrorInTheFirstPut_nothingSkipped(boolean pipelined)
            throws Exception {
        List<SinkRecord> a = streamA();
        List<SinkRecord> b = streamB();
        try (TaskRunner first = new TaskRunner(props(target, pipelined), List.of(A, B))) {
            first.feed(a.subList(0, 4), 500); // the target's checkpoint of A: 4
        }
        proxy.refuseNewConnections();
        TaskRunner task = new TaskRunner(props(target, pipelined), List.of(A, B)); // open() cannot read checkpoints
        try {
            proxy.acceptConnections();
            proxy.cutWhenClientSends("INSERT INTO", false); // B's first rows: the connection is lost
            task.produce(a); // the topic holds all of A; the consumer resumes at Kafka's committed offset, 9
            List<SinkRecord> polled = new ArrayList<>(a.subList(9, a.size()));
            polled.addAll(b);
            task.feed(polled, 500);
            assertEquals(1, proxy.faultsFired(), "the connection was cut once");
            assertEquals(0, task.retriablePuts(), "never a RetriableException: the worker would put the batch again");
            Map<TopicPartition, OffsetAndMetadata> committed =
                    task.task.preCommit(Map.of(A, new OffsetAndMetadata(a.size()), B, new OffsetAndMetadata(b.size())));
            assertEquals(a.size(), offset(committed, A));
            assertEquals(b.size(), offset(committed, B));
        } finally {
            task.close();
        }
        assertEquals(reference(pipelined), actual(), "target == source, every write once");
    }

    /**
     * A cooperative rebalance revokes B alone while A has a transaction buffered (its BEGIN and first row). Closing B
     * drops every buffer, A's too; Connect does not deliver A's dropped records again by itself, so the task must
     * seek A back to its checkpoint.
     */
    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void oneOfTwoPartitionsRevoked_theKeptPartitionsBufferedRowsComeAgain_nothingLost(boolean pipelined) {
        List<SinkRecord> a = streamA();
        List<SinkRecord> b = streamB();
        try (TaskRunner task = new TaskRunner(props(target, pipelined), List.of(A, B))) {
            task.produce(b);
            task.produce(a.subList(0, 6)); // A's first transaction, then the BEGIN and parent row of its second
            assertEquals(10, task.poll(500).size());
            task.task.awaitApplied();
            task.revoke(B);
            task.produce(a);
            task.drain(500);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    task.task.preCommit(Map.of(A, new OffsetAndMetadata(a.size())));
            assertEquals(a.size(), offset(committed, A));
        }
        assertEquals(reference(pipelined), actual(), "target == source, every write once");
    }
}

package io.fksafe.sink.durability;

import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * A DDL on the target while the sink runs: an online table swap done as two RENAMEs leaves the table missing for a
 * moment. The schema error that hits is retried once on fresh metadata; one that stays is the record's, named.
 */
class ConcurrentDdlTest {

    private final TestDatabase db = TestDatabase.get();

    private String target() {
        String t = db.newDatabase("ddlrace");
        LabSchema.create(db, t);
        return t;
    }

    private static Map<String, String> props(String target, boolean pipelined) {
        return TaskRunner.props(
                "ddlrace-" + target,
                "apply.pipelined",
                String.valueOf(pipelined),
                "table.mapping",
                "src.*=" + target + ".*",
                "safe.mode",
                "never",
                "retry.backoff.ms",
                "10");
    }

    private static ChangeStream twoTransactions() {
        return new ChangeStream()
                .txWithMarkers(PARENT.insert(1L, "p1"))
                .txWithMarkers(PARENT.insert(2L, "p2")); // offsets 0-2, 3-5
    }

    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void tableMissingForAMomentByAConcurrentSwap_retriedOnFreshMetadata_applied(boolean pipelined) {
        String target = target();
        ChangeStream stream = twoTransactions();
        try (TaskRunner t = new TaskRunner(props(target, pipelined))) {
            t.deliver(stream.range(0, 3)); // the sink now knows the table
            db.exec("RENAME TABLE `" + target + "`.parent TO `" + target + "`.parent_swap"); // a swap, half done
            List<SinkRecord> second = stream.from(3);
            assertEquals(3L, t.putAndSettle(second), "back to the checkpoint");
            assertEquals(
                    3L, t.preCommit(stream.size()).get(TaskRunner.TP).offset(), "no offset past the failed record");
            db.exec("RENAME TABLE `" + target + "`.parent_swap TO `" + target + "`.parent"); // the swap completes
            t.feed(second, 500); // what the seek brings
            assertEquals(6L, t.preCommit(stream.size()).get(TaskRunner.TP).offset());
        }
        assertEquals(
                List.of(List.of("1", "p1"), List.of("2", "p2")),
                db.query("SELECT id, note FROM `" + target + "`.parent ORDER BY id"));
    }

    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void tableGoneForGood_retriedOnce_thenStopsNamingTheRecord(boolean pipelined) {
        String target = target();
        ChangeStream stream = twoTransactions();
        try (TaskRunner t = new TaskRunner(props(target, pipelined))) {
            t.deliver(stream.range(0, 3));
            db.exec("RENAME TABLE `" + target + "`.parent TO `" + target + "`.parent_elsewhere");
            List<SinkRecord> second = stream.from(3);
            assertEquals(3L, t.putAndSettle(second), "back to the checkpoint, once");
            ConnectException e = assertThrows(ConnectException.class, () -> t.feed(second, 500));
            assertTrue(
                    !(e instanceof RetriableException)
                            && e.getMessage().contains("offset=4")
                            && e.getMessage().contains(target + ".parent"),
                    e.getMessage());
            assertEquals(3L, t.preCommit(stream.size()).get(TaskRunner.TP).offset());
        }
    }
}

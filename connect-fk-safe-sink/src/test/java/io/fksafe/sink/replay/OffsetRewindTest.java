package io.fksafe.sink.replay;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.FkSafeSinkConnector;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * {@code SinkConnector.alterOffsets}, as the worker calls it for {@code PATCH}/{@code DELETE /connectors/{name}/offsets}:
 * the target checkpoint moves with the offsets (the task seeks to it on open, so a REST reset would otherwise be
 * ignored), and the records between the new offset and the old checkpoint replay in safe mode although neither the
 * SMT nor {@code safe.mode} says so.
 */
class OffsetRewindTest {

    private static final TopicPartition TP = TaskRunner.TP;
    private final TestDatabase db = TestDatabase.get();

    /** A parent re-keyed under its child (ON UPDATE CASCADE on the target), then the child changed. */
    private static ChangeStream stream() {
        return new ChangeStream()
                .tx(PARENT.insert(1L, "p1"), CHILD_CASCADE.insert(11L, 1L, "a"))
                .tx(PARENT.keyUpdate(new Object[] {1L}, 10L, "moved"))
                .tx(CHILD_CASCADE.update(11L, 10L, "b"));
    }

    private Map<String, String> props(String target) {
        return TaskRunner.props("rewind-" + target, "table.mapping", "src.*=" + target + ".*");
    }

    private String applied(String target) {
        LabSchema.create(db, target);
        try (TaskRunner t = new TaskRunner(props(target))) {
            assertEquals(stream().size(), t.deliver(stream().all()).get(TP).offset());
        }
        return target;
    }

    private List<List<String>> state(String target) {
        return db.query("SELECT 'parent', id, note FROM `" + target + "`.parent UNION ALL "
                + "SELECT 'child', id, CONCAT(parent_id, ' ', payload) FROM `" + target
                + "`.child_cascade ORDER BY 1, 2");
    }

    private List<List<String>> rows(String sql) {
        return db.query(sql);
    }

    @Test
    void restReset_movesTheCheckpointAway_andTheWholeTopicReplaysInSafeMode() {
        String target = applied(db.newDatabase("rewind"));
        List<List<String>> done = state(target);
        Map<String, String> props = props(target);

        assertTrue(new FkSafeSinkConnector().alterOffsets(props, mapOf(TP, null)));

        assertEquals(
                List.of(),
                rows("SELECT next_offset FROM fksafe_test.checkpoint WHERE connector = 'rewind-" + target + "'"));
        assertEquals(
                List.of(List.of(Integer.toString(stream().size()))),
                rows("SELECT replay_until FROM fksafe_test.checkpoint_replay WHERE connector = 'rewind-" + target
                        + "'"));
        try (TaskRunner t = new TaskRunner(props)) {
            assertNull(t.seekedTo(), "no checkpoint: the task starts where the consumer does, the topic's beginning");
            assertEquals(stream().size(), t.deliver(stream().all()).get(TP).offset());
            assertTrue(
                    t.task.stats().resolutions().size() > 0,
                    "the re-key met its newer row: " + t.task.stats().resolutions());
        }
        assertEquals(done, state(target), "the replay left the target as it was");
        assertEquals(
                List.of(),
                rows("SELECT replay_until FROM fksafe_test.checkpoint_replay WHERE connector = 'rewind-" + target
                        + "'"),
                "the window closed when the checkpoint passed it");
    }

    @Test
    void control_theSameReplayWithoutTheWindow_stopsAtTheKeyChange() {
        String target = applied(db.newDatabase("rewind"));
        db.exec("DELETE FROM fksafe_test.checkpoint WHERE connector = 'rewind-" + target
                + "'"); // a reset that forgot the window
        try (TaskRunner t = new TaskRunner(props(target))) {
            assertThrows(ConnectException.class, () -> t.deliver(stream().all()));
        }
    }

    @Test
    void restPatch_seeksToTheNewOffset_andMovingPastTheWindowEndsIt() {
        String target = applied(db.newDatabase("rewind"));
        Map<String, String> props = props(target);
        String window =
                "SELECT replay_until FROM fksafe_test.checkpoint_replay WHERE connector = 'rewind-" + target + "'";

        new FkSafeSinkConnector().alterOffsets(props, Map.of(TP, 2L));
        assertEquals(List.of(List.of(Integer.toString(stream().size()))), rows(window));
        try (TaskRunner t = new TaskRunner(props)) {
            assertEquals(2L, t.seekedTo());
        }

        new FkSafeSinkConnector().alterOffsets(props, Map.of(TP, (long) stream().size() + 5));
        assertEquals(List.of(), rows(window), "skipping ahead leaves nothing to replay");
        try (TaskRunner t = new TaskRunner(props)) {
            assertEquals(stream().size() + 5L, t.seekedTo());
        }
    }

    @Test
    void resetOfAGroupWithoutOffsets_resetsEveryCheckpointOfTheConnector() {
        String target = applied(db.newDatabase("rewind"));
        new FkSafeSinkConnector().alterOffsets(props(target), Map.of());
        assertEquals(
                List.of(),
                rows("SELECT next_offset FROM fksafe_test.checkpoint WHERE connector = 'rewind-" + target + "'"));
    }

    private static Map<TopicPartition, Long> mapOf(TopicPartition tp, Long offset) {
        Map<TopicPartition, Long> m = new HashMap<>();
        m.put(tp, offset);
        return m;
    }
}

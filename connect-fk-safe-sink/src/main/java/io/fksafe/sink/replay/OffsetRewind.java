package io.fksafe.sink.replay;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.fksafe.sink.checkpoint.CheckpointStore;
import io.fksafe.sink.metadata.TableId;

/**
 * Moves the target checkpoint with the Connect REST offsets API ({@code PATCH}/{@code DELETE
 * /connectors/{name}/offsets}, connector stopped). The task seeks to the target's checkpoint on open, so without this a
 * REST reset would be ignored. Moving back opens a replay window up to where the checkpoint was: those records may
 * already be in the target and are applied in safe mode. One target transaction for all partitions.
 */
public final class OffsetRewind {

    /** What happened to one partition: checkpoint before and after (null = none), and the replay window after. */
    public record Change(TopicPartition partition, Long checkpointBefore, Long checkpointAfter, Long replayUntil) {
        @Override
        public String toString() {
            return partition + ": checkpoint " + text(checkpointBefore) + " -> " + text(checkpointAfter)
                    + (replayUntil == null
                            ? ", no replay window"
                            : ", offsets " + (checkpointAfter == null ? 0 : checkpointAfter) + ".." + (replayUntil - 1)
                                    + " replay in safe mode");
        }

        private static String text(Long o) {
            return o == null ? "none" : "offset " + o;
        }
    }

    private final CheckpointStore checkpointStore;
    private final ReplayWindowStore windows;

    public OffsetRewind(TableId checkpointTable, String connector) {
        this.checkpointStore = new CheckpointStore(checkpointTable, connector);
        this.windows = new ReplayWindowStore(checkpointTable, connector);
    }

    /**
     * @param offsets the new next offset per partition; null means reset (start from the beginning). An empty map
     *                (a reset of a connector whose consumer group had no offsets) resets every partition this
     *                connector has a checkpoint for.
     * @param conn    a connection with auto-commit off; committed here
     */
    public List<Change> apply(Connection conn, Map<TopicPartition, Long> offsets) throws SQLException {
        checkpointStore.ensureTable(conn);
        windows.ensureTable(conn);
        Map<TopicPartition, Long> checkpoints = new HashMap<>();
        checkpointStore.load(conn, null).forEach((tp, cp) -> checkpoints.put(tp, cp.nextOffset()));
        Map<TopicPartition, Long> replay = windows.load(conn, null);
        Map<TopicPartition, Long> wanted = new LinkedHashMap<>(offsets);
        if (wanted.isEmpty()) {
            checkpoints.keySet().forEach(tp -> wanted.put(tp, null));
        }
        List<Change> changes = new ArrayList<>();
        try {
            for (Map.Entry<TopicPartition, Long> e : wanted.entrySet()) {
                TopicPartition tp = e.getKey();
                Long before = checkpoints.get(tp);
                Long after = e.getValue();
                long from = after == null ? 0 : after;
                long until = Math.max(before == null ? 0 : before, replay.getOrDefault(tp, 0L));
                Long window = until > from ? until : null;
                checkpointStore.reset(
                        conn, tp, after); // a reset removes it: the task then starts where the consumer does
                windows.put(conn, tp, window);
                changes.add(new Change(tp, before, after, window));
            }
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                conn.rollback();
            } catch (SQLException ignored) {
                // the connection is closed by the caller; nothing was committed
            }
            throw e;
        }
        return changes;
    }
}

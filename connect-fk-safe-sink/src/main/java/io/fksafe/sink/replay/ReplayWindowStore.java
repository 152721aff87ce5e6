package io.fksafe.sink.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.fksafe.sink.checkpoint.CheckpointStore;
import io.fksafe.sink.metadata.TableId;

/**
 * The sink's replay windows, in a side table next to the checkpoint table ({@code <checkpoint.table>_replay}): after
 * the connector's offsets were moved back through the REST API, records below {@code replay_until} (where the
 * checkpoint was before) may already be in the target, so they are applied in safe mode. A row lives until the
 * checkpoint passes it.
 */
public final class ReplayWindowStore {

    private final TableId table;
    private final String connector;

    public ReplayWindowStore(TableId checkpointTable, String connector) {
        this.table = new TableId(checkpointTable.database(), checkpointTable.table() + "_replay");
        this.connector = connector;
    }

    public TableId table() {
        return table;
    }

    public void ensureTable(Connection conn) throws SQLException {
        CheckpointStore.createPartitionTable(
                conn,
                table,
                "replay_until BIGINT NOT NULL, requested_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)");
    }

    /** The windows of these partitions (all of the connector's when {@code partitions} is null). */
    public Map<TopicPartition, Long> load(Connection conn, Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> out = new HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT topic, kafka_partition, replay_until FROM " + table.quoted() + " WHERE connector = ?")) {
            ps.setString(1, connector);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TopicPartition tp = new TopicPartition(rs.getString(1), rs.getInt(2));
                    if (partitions == null || partitions.contains(tp)) {
                        out.put(tp, rs.getLong(3));
                    }
                }
            }
        }
        return out;
    }

    /** Sets (or, with {@code until} null, removes) a window, inside the caller's transaction. */
    public void put(Connection conn, TopicPartition tp, Long until) throws SQLException {
        CheckpointStore.replacePartitionRow(conn, table, connector, tp, "replay_until", until);
    }
}

package io.fksafe.sink.checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.fksafe.change.SourcePosition;
import io.fksafe.sink.dialect.Dialect;
import io.fksafe.sink.metadata.TableId;

/**
 * The checkpoint table in the target. Rows are written in the same transaction as the data they describe, so the
 * target itself says how far it got: a restored backup or a crash between commit and Kafka's offset commit resumes
 * exactly.
 */
public final class CheckpointStore {

    private static final List<String> COLUMNS =
            List.of("connector", "topic", "kafka_partition", "next_offset", "source_position");
    private static final List<String> KEY = List.of("connector", "topic", "kafka_partition");

    private final TableId table;
    private final String connector;

    public CheckpointStore(TableId table, String connector) {
        this.table = table;
        this.connector = connector;
    }

    public TableId table() {
        return table;
    }

    public void ensureTable(Connection conn) throws SQLException {
        createPartitionTable(
                conn,
                table,
                "next_offset BIGINT NOT NULL, source_position VARCHAR(1024) NULL, "
                        + "updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)");
    }

    /**
     * Creates (if missing) a table of the sink's own keyed like the checkpoint — connector, topic, partition — with
     * {@code columns} after the key columns, and its database; then ends the transaction.
     */
    public static void createPartitionTable(Connection conn, TableId table, String columns) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + TableId.quote(table.database()));
            st.execute("CREATE TABLE IF NOT EXISTS " + table.quoted() + " ("
                    + "connector VARCHAR(255) NOT NULL, topic VARCHAR(249) NOT NULL, kafka_partition INT NOT NULL, "
                    + columns + ", PRIMARY KEY (connector, topic, kafka_partition)) DEFAULT CHARSET = utf8mb4");
        }
        if (!conn.getAutoCommit()) {
            conn.commit();
        }
    }

    /** The checkpoints of {@code partitions} (all of the connector's when null); ends the read transaction. */
    public Map<TopicPartition, Checkpoint> load(Connection conn, Collection<TopicPartition> partitions)
            throws SQLException {
        Map<TopicPartition, Checkpoint> out = new HashMap<>();
        String sql = "SELECT topic, kafka_partition, next_offset, source_position FROM " + table.quoted()
                + " WHERE connector = ?";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, connector);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TopicPartition tp = new TopicPartition(rs.getString(1), rs.getInt(2));
                    if (partitions == null || partitions.contains(tp)) {
                        out.put(tp, new Checkpoint(rs.getLong(3), SourcePosition.parse(rs.getString(4))));
                    }
                }
            }
        }
        if (!conn.getAutoCommit()) {
            conn.commit(); // end the read snapshot so later transactions see fresh data
        }
        return out;
    }

    /**
     * The committed checkpoints of {@code partitions}, read with a locking read: it waits while a transaction that
     * wrote one of these rows is still open (e.g. its COMMIT is in flight on a lost connection), so the answer is
     * that transaction's outcome, not a snapshot from before it. Plain reads can miss a COMMIT the server has yet
     * to finish.
     */
    public Map<TopicPartition, Checkpoint> loadAfterOthersFinish(Connection conn, Collection<TopicPartition> partitions)
            throws SQLException {
        Map<TopicPartition, Checkpoint> out = new HashMap<>();
        String sql = "SELECT next_offset, source_position FROM " + table.quoted()
                + " WHERE connector = ? AND topic = ? AND kafka_partition = ? FOR UPDATE";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (TopicPartition tp : partitions) {
                ps.setString(1, connector);
                ps.setString(2, tp.topic());
                ps.setInt(3, tp.partition());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(tp, new Checkpoint(rs.getLong(1), SourcePosition.parse(rs.getString(2))));
                    }
                }
            }
        } finally {
            if (!conn.getAutoCommit()) {
                conn.rollback(); // releases the locks; nothing was written
            }
        }
        return out;
    }

    /** Upserts the checkpoints inside the caller's open transaction. */
    public void write(Connection conn, Dialect dialect, Map<TopicPartition, Checkpoint> checkpoints)
            throws SQLException {
        if (checkpoints.isEmpty()) {
            return;
        }
        String sql = dialect.upsert(table, COLUMNS, KEY, checkpoints.size());
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int i = 1;
            for (Map.Entry<TopicPartition, Checkpoint> e : checkpoints.entrySet()) {
                ps.setString(i++, connector);
                ps.setString(i++, e.getKey().topic());
                ps.setInt(i++, e.getKey().partition());
                ps.setLong(i++, e.getValue().nextOffset());
                SourcePosition p = e.getValue().position();
                ps.setString(i++, p == null ? null : p.format());
            }
            ps.executeUpdate();
        }
    }

    /**
     * Inside the caller's transaction: removes the checkpoint of {@code tp} ({@code next} null), or replaces it with
     * {@code next} and no source position, which no longer describes an offset moved by hand.
     */
    public void reset(Connection conn, TopicPartition tp, Long next) throws SQLException {
        replacePartitionRow(conn, table, connector, tp, "next_offset", next);
    }

    /**
     * Inside the caller's transaction: removes the row of {@code tp} from a table made by {@link #createPartitionTable},
     * and with {@code value} not null inserts a new one with {@code column} set to it and the other columns at their
     * defaults. {@code column} is one of the sink's own column names, never user input.
     */
    public static void replacePartitionRow(
            Connection conn, TableId table, String connector, TopicPartition tp, String column, Long value)
            throws SQLException {
        try (PreparedStatement del = conn.prepareStatement(
                "DELETE FROM " + table.quoted() + " WHERE connector = ? AND topic = ? AND kafka_partition = ?")) {
            del.setString(1, connector);
            del.setString(2, tp.topic());
            del.setInt(3, tp.partition());
            del.executeUpdate();
        }
        if (value != null) {
            try (PreparedStatement ins = conn.prepareStatement("INSERT INTO " + table.quoted()
                    + " (connector, topic, kafka_partition, " + column + ") VALUES (?, ?, ?, ?)")) {
                ins.setString(1, connector);
                ins.setString(2, tp.topic());
                ins.setInt(3, tp.partition());
                ins.setLong(4, value);
                ins.executeUpdate();
            }
        }
    }
}

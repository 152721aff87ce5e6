package io.fksafe.sink.ddl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.TopicPartition;

import io.fksafe.change.SourcePosition;
import io.fksafe.sink.dialect.Dialect;
import io.fksafe.sink.metadata.TableId;

/**
 * The DDL journal in the target, next to the checkpoint table: a schema change is recorded as an intent (and
 * committed) before it runs, and marked done in the same transaction that moves the checkpoint past it. DDL commits
 * implicitly, so an intent without done after a crash is the one statement whose outcome the catalog must decide.
 */
final class DdlJournal {

    static final String TABLE_NAME = "fksafe_ddl_journal";
    private static final List<String> COLUMNS = List.of(
            "connector",
            "topic",
            "kafka_partition",
            "kafka_offset",
            "source_position",
            "source_database",
            "source_statement",
            "target_database",
            "statement",
            "fk_checks",
            "catalog_before",
            "state",
            "note");
    private static final List<String> KEY = List.of("connector", "topic", "kafka_partition", "kafka_offset");
    private static final String SELECT =
            "SELECT topic, kafka_partition, kafka_offset, source_position, source_database, "
                    + "source_statement, target_database, statement, fk_checks, catalog_before, state, note FROM ";

    private final TableId table;
    private final String connector;

    DdlJournal(String database, String connector) {
        this.table = new TableId(database, TABLE_NAME);
        this.connector = connector;
    }

    TableId table() {
        return table;
    }

    void ensureTable(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + TableId.quote(table.database()));
            st.execute("CREATE TABLE IF NOT EXISTS " + table.quoted() + " ("
                    + "connector VARCHAR(255) NOT NULL, "
                    + "topic VARCHAR(249) NOT NULL, "
                    + "kafka_partition INT NOT NULL, "
                    + "kafka_offset BIGINT NOT NULL, "
                    + "source_position VARCHAR(1024) NULL, "
                    + "source_database VARCHAR(255) NULL, "
                    + "source_statement LONGTEXT NULL, "
                    + "target_database VARCHAR(255) NULL, "
                    + "statement LONGTEXT NULL, "
                    + "fk_checks TINYINT NOT NULL DEFAULT 1, "
                    + "catalog_before VARCHAR(4096) NULL, "
                    + "state VARCHAR(16) NOT NULL, "
                    + "note VARCHAR(1024) NULL, "
                    + "created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), "
                    + "updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
                    + "PRIMARY KEY (connector, topic, kafka_partition, kafka_offset)) DEFAULT CHARSET = utf8mb4");
        }
        conn.commit();
    }

    /** The entry for one record, or null. */
    JournalEntry find(Connection conn, String topic, int partition, long offset) throws SQLException {
        String sql = SELECT + table.quoted()
                + " WHERE connector = ? AND topic = ? AND kafka_partition = ? AND kafka_offset = ?";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, connector);
            ps.setString(2, topic);
            ps.setInt(3, partition);
            ps.setLong(4, offset);
            List<JournalEntry> found = read(ps);
            return found.isEmpty() ? null : found.get(0);
        }
    }

    /** Intents not marked done, for these partitions, oldest first. */
    List<JournalEntry> pending(Connection conn, Collection<TopicPartition> partitions) throws SQLException {
        String sql = SELECT + table.quoted() + " WHERE connector = ? AND state = '" + JournalEntry.INTENT
                + "' ORDER BY topic, kafka_partition, kafka_offset";
        List<JournalEntry> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, connector);
            for (JournalEntry e : read(ps)) {
                if (partitions.contains(e.topicPartition())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** A schema change that ran from the same source event (position and statement), under another offset; or null. */
    JournalEntry findAt(Connection conn, TopicPartition tp, SourcePosition position, String sourceStatement)
            throws SQLException {
        String sql = SELECT + table.quoted()
                + " WHERE connector = ? AND topic = ? AND kafka_partition = ? AND source_position = ? "
                + "AND state = '" + JournalEntry.DONE + "' ORDER BY kafka_offset";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, connector);
            ps.setString(2, tp.topic());
            ps.setInt(3, tp.partition());
            ps.setString(4, position.format());
            return read(ps).stream()
                    .filter(e -> sourceStatement.equals(e.sourceStatement()))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** The schema changes of one partition that ran (or were marked done by hand), in stream order. */
    List<JournalEntry> done(Connection conn, TopicPartition tp) throws SQLException {
        String sql =
                SELECT + table.quoted() + " WHERE connector = ? AND topic = ? AND kafka_partition = ? AND state = '"
                        + JournalEntry.DONE + "' ORDER BY kafka_offset";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, connector);
            ps.setString(2, tp.topic());
            ps.setInt(3, tp.partition());
            return read(ps);
        }
    }

    /** Records the intent and commits it: from here on, a crash leaves a trace. */
    void recordIntent(Connection conn, Dialect dialect, JournalEntry e) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(dialect.upsert(table, COLUMNS, KEY, 1))) {
            int i = 1;
            ps.setString(i++, connector);
            ps.setString(i++, e.topic());
            ps.setInt(i++, e.partition());
            ps.setLong(i++, e.offset());
            setNullable(ps, i++, e.position() == null ? null : e.position().format());
            setNullable(ps, i++, e.sourceDatabase());
            setNullable(ps, i++, e.sourceStatement());
            setNullable(ps, i++, e.targetDatabase());
            setNullable(ps, i++, e.statement());
            ps.setInt(i++, e.fkChecks() ? 1 : 0);
            setNullable(ps, i++, e.before() == null ? null : JournalEntry.formatCounts(e.before()));
            ps.setString(i++, JournalEntry.INTENT);
            setNullable(ps, i, e.note());
            ps.executeUpdate();
        }
        conn.commit();
    }

    /** Sets the state inside the caller's transaction (done goes with the checkpoint). */
    void mark(Connection conn, JournalEntry e, String state, String note) throws SQLException {
        String sql = "UPDATE " + table.quoted() + " SET state = ?, note = ? WHERE connector = ? AND topic = ? "
                + "AND kafka_partition = ? AND kafka_offset = ?";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, state);
            setNullable(ps, 2, note == null ? null : note.length() > 1024 ? note.substring(0, 1024) : note);
            ps.setString(3, connector);
            ps.setString(4, e.topic());
            ps.setInt(5, e.partition());
            ps.setLong(6, e.offset());
            ps.executeUpdate();
        }
    }

    /** The statement an operator runs to record a change as done by hand. */
    String markDoneByHand(String topic, int partition, long offset) {
        return "INSERT INTO " + table.quoted()
                + " (connector, topic, kafka_partition, kafka_offset, state, note) VALUES ("
                + literal(connector) + ", " + literal(topic) + ", " + partition + ", " + offset
                + ", 'done', 'by hand') "
                + "ON DUPLICATE KEY UPDATE state = 'done', note = 'by hand'";
    }

    private List<JournalEntry> read(PreparedStatement ps) throws SQLException {
        List<JournalEntry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String position = rs.getString(4);
                out.add(new JournalEntry(
                        rs.getString(1),
                        rs.getInt(2),
                        rs.getLong(3),
                        position == null ? null : SourcePosition.parse(position),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getInt(9) != 0,
                        JournalEntry.parseCounts(rs.getString(10)),
                        rs.getString(11),
                        rs.getString(12)));
            }
        }
        return out;
    }

    private static void setNullable(PreparedStatement ps, int i, String value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, value);
        }
    }

    private static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}

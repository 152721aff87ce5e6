package io.fksafe.sink.replay;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.sink.checkpoint.Checkpoint;
import io.fksafe.sink.ddl.ReplaySchemaMapper;
import io.fksafe.sink.metadata.ForeignKey;
import io.fksafe.sink.metadata.TableId;
import io.fksafe.sink.metadata.TableMeta;
import io.fksafe.sink.record.RecordRef;

/**
 * The sink's half of the safe-mode decision: the replay windows a REST offset rewind left in the target
 * ({@link ReplayWindowStore}). Records below a window's end are applied in safe mode. When the checkpoint passes the
 * end, the window closes: the FKs of every table touched meanwhile are checked for orphans, and the result logged.
 */
public final class ReplayWindows {

    private static final Logger log = LoggerFactory.getLogger(ReplayWindows.class);

    private final ReplayWindowStore store;
    private final ReplaySchemaMapper schema;
    private final Map<TopicPartition, Long> until = new HashMap<>();
    private final Map<TopicPartition, Long> replayed = new HashMap<>();
    /** The highest offset counted in {@link #replayed}: a redelivery after a failed put brings the same offsets again. */
    private final Map<TopicPartition, Long> countedTo = new HashMap<>();

    private final Map<TableId, TableMeta> touched = new LinkedHashMap<>();
    private boolean tableReady;

    public ReplayWindows(ReplayWindowStore store, ReplaySchemaMapper schema) {
        this.store = store;
        this.schema = schema;
    }

    public void load(Connection conn, Collection<TopicPartition> partitions) throws SQLException {
        if (!tableReady) {
            store.ensureTable(conn);
            tableReady = true;
        }
        Map<TopicPartition, Long> loaded = store.load(conn, partitions);
        if (!conn.getAutoCommit()) {
            conn.commit();
        }
        until.putAll(loaded);
        loaded.forEach((tp, u) -> log.info(
                "{}: replay window open: records below offset {} are applied in safe mode "
                        + "(offsets were moved back through the REST API)",
                tp,
                u));
    }

    public boolean anyOpen() {
        return !until.isEmpty();
    }

    /** Whether the record lies below its partition's window end: possibly in the target already. */
    public boolean covers(RecordRef ref) {
        Long u = until.get(ref.topicPartition());
        return u != null && ref.offset() < u;
    }

    /**
     * A row is taken in for {@code table} while a window is open: the table's FKs are checked when the window
     * closes, and a row of a window taken in safe mode counts as applied in safe mode, once.
     */
    public void taken(RecordRef ref, TableMeta table, boolean safe) {
        if (!anyOpen()) {
            return;
        }
        touched.put(table.id(), table); // the latest metadata: it is reloaded after DDL
        TopicPartition tp = ref.topicPartition();
        Long counted = countedTo.get(tp);
        if (safe && covers(ref) && (counted == null || ref.offset() > counted)) {
            replayed.merge(tp, 1L, Long::sum);
            countedTo.put(tp, ref.offset());
        }
    }

    /** Closes the windows the committed checkpoints have passed; a failure leaves them open for the next try. */
    public void closePassed(Connection conn, Map<TopicPartition, Checkpoint> committed) {
        for (Iterator<Map.Entry<TopicPartition, Long>> it = until.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, Long> w = it.next();
            Checkpoint cp = committed.get(w.getKey());
            if (cp == null || cp.nextOffset() < w.getValue()) {
                continue;
            }
            try {
                long orphans = checkOrphans(conn);
                store.put(conn, w.getKey(), null);
                conn.commit();
                log.info(
                        "{}: replay window closed at offset {}: {} records applied in safe mode; {} FK orphans in {} "
                                + "touched tables",
                        w.getKey(),
                        w.getValue(),
                        replayed.getOrDefault(w.getKey(), 0L),
                        orphans,
                        touched.size());
                String mapped = schema.drainSummary();
                log.info(
                        "{}: replayed rows carried into today's schema: {}",
                        w.getKey(),
                        mapped.isEmpty() ? "none needed" : mapped);
                it.remove();
                replayed.remove(w.getKey());
                countedTo.remove(w.getKey());
            } catch (SQLException e) {
                log.warn("{}: could not close the replay window (will retry): {}", w.getKey(), e.getMessage());
                try {
                    conn.rollback();
                } catch (SQLException ignored) {
                    // the next statement reconnects
                }
            }
        }
        if (until.isEmpty()) {
            touched.clear();
        }
    }

    /** Records below the open windows' ends that the checkpoints have not passed yet. */
    public long recordsLeft(Map<TopicPartition, Checkpoint> committed) {
        long left = 0;
        for (Map.Entry<TopicPartition, Long> w : until.entrySet()) {
            Checkpoint cp = committed.get(w.getKey());
            left += Math.max(0, w.getValue() - (cp == null ? 0 : cp.nextOffset()));
        }
        return left;
    }

    public void forget(Collection<TopicPartition> partitions) {
        until.keySet().removeAll(partitions);
        replayed.keySet().removeAll(partitions);
        countedTo.keySet().removeAll(partitions);
    }

    /** Child rows whose parent is missing, over every FK into or out of a touched table; each one logged. */
    private long checkOrphans(Connection conn) throws SQLException {
        Set<ForeignKey> fks = new LinkedHashSet<>();
        for (TableMeta t : touched.values()) {
            fks.addAll(t.foreignKeys());
            fks.addAll(t.referencedBy());
        }
        long total = 0;
        try (Statement st = conn.createStatement()) {
            for (ForeignKey fk : fks) {
                try (ResultSet rs = st.executeQuery(orphanQuery(fk))) {
                    rs.next();
                    long n = rs.getLong(1);
                    if (n > 0) {
                        log.warn(
                                "after the replay, {} rows of {} have no parent in {} (FK {}): the target diverged; compare "
                                        + "it with the source",
                                n,
                                fk.child(),
                                fk.parent(),
                                fk.name());
                    }
                    total += n;
                }
            }
        }
        return total;
    }

    static String orphanQuery(ForeignKey fk) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM ")
                .append(fk.child().quoted())
                .append(" c WHERE ");
        for (String col : fk.columns()) {
            sql.append("c.").append(TableId.quote(col)).append(" IS NOT NULL AND ");
        }
        sql.append("NOT EXISTS (SELECT 1 FROM ").append(fk.parent().quoted()).append(" p WHERE ");
        for (int i = 0; i < fk.columns().size(); i++) {
            sql.append(i == 0 ? "" : " AND ")
                    .append("p.")
                    .append(TableId.quote(fk.parentColumns().get(i)))
                    .append(" = c.")
                    .append(TableId.quote(fk.columns().get(i)));
        }
        return sql.append(')').toString();
    }
}

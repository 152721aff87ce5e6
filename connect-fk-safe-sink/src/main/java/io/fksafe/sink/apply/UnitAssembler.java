package io.fksafe.sink.apply;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.Op;
import io.fksafe.change.SourcePosition;
import io.fksafe.sink.plan.PlannedRow;
import io.fksafe.sink.record.RecordRef;

/**
 * Cuts each partition's record stream into upstream transactions; a task may read several partitions (several sources,
 * several topics), and Connect hands it their records partition by partition, so each partition has its own open
 * transaction and a record of one never ends another's. A unit ends at its END marker, when a record of another
 * transaction of its partition arrives, or — for a transaction seen without a BEGIN marker — when its partition has
 * been idle long enough inside it; if more of that transaction comes afterwards it was split, and the rest forms a
 * unit of its own. Complete units are handed out in the order they completed: in source order within a partition.
 */
final class UnitAssembler {

    /** One partition's transaction in the making. */
    private static final class Slot {
        final String topic;
        final int partition;
        Unit open;
        /** When the partition's last record was added (markers and rows; not no-ops): its idle clock. */
        long lastArrivalNanos;
        /** The transaction last closed because its partition went idle in it: more of it means it was split. */
        String closedWhileIdle;

        Slot(String topic, int partition) {
            this.topic = topic;
            this.partition = partition;
        }
    }

    private final Deque<Unit> ready = new ArrayDeque<>();
    private final Map<TopicPartition, Slot> slots = new HashMap<>();
    /** The slot of the last record: records come in runs of one partition, so this saves the lookup. */
    private Slot last;

    private int readyRows;
    private long readyBytes;

    private Slot slot(RecordRef ref) {
        Slot s = last;
        if (s == null || s.partition != ref.partition() || !s.topic.equals(ref.topic())) {
            s = slots.computeIfAbsent(ref.topicPartition(), tp -> new Slot(tp.topic(), tp.partition()));
            last = s;
        }
        return s;
    }

    /**
     * A row change (row != null) or a record that only moves the offset (row == null). Returns true when the change
     * continues a transaction that was closed because its partition went idle in it: that transaction was split.
     */
    boolean add(RecordRef ref, ChangeRecord change, PlannedRow row, SinkRecord origin) {
        Slot s = slot(ref);
        s.lastArrivalNanos = System.nanoTime();
        Op op = change.op();
        if (op == Op.TX_BEGIN) {
            finish(s);
            s.open = new Unit(change.txId(), true);
            s.open.add(ref, change.position(), null, null);
            s.closedWhileIdle = null;
            return false;
        }
        if (op == Op.TX_END) {
            if (s.open == null || !Objects.equals(s.open.txId, change.txId())) {
                finish(s); // an END whose BEGIN came before our start offset: nothing of it is buffered
                s.open = new Unit(change.txId(), true);
            }
            s.open.add(ref, change.position(), null, null);
            finish(s);
            return false;
        }
        String txId = transactionOf(change);
        if (s.open != null && (txId == null || !txId.equals(s.open.txId))) {
            finish(s);
        }
        boolean split = s.open == null && txId != null && txId.equals(s.closedWhileIdle);
        s.closedWhileIdle = null;
        if (s.open == null) {
            s.open = new Unit(txId, false);
        }
        s.open.add(ref, change.position(), row, origin);
        if (txId == null) {
            finish(s); // no transaction at all (a snapshot read): each change stands alone
        }
        return split;
    }

    /**
     * The transaction id, or without one (MySQL without GTIDs, no metadata) the transaction's start position, which
     * all its rows share; null for snapshot reads.
     */
    private static String transactionOf(ChangeRecord change) {
        if (change.txId() != null) {
            return change.txId();
        }
        SourcePosition p = change.position();
        return p == null || p.snapshot() ? null : "binlog " + p.file() + ":" + p.pos();
    }

    /** A record that carries nothing to apply (a tombstone, a skipped DDL): its offset rides with the open unit. */
    void addNoop(RecordRef ref) {
        Slot s = slot(ref);
        if (s.open == null) {
            s.open = new Unit(null, false);
            s.open.add(ref, null, null, null);
            finish(s);
        } else {
            s.open.add(ref, null, null, null);
        }
    }

    /**
     * Partitions without a record since {@code sinceNanos} are idle (all of them after an empty put). In such a
     * partition a transaction seen without markers is closed once the partition has been idle in it for
     * {@code idleMs}; more of it may still come (then it was split). One opened by a BEGIN stays open, but if it holds
     * only markers so far they are handed out on their own, so the offset can move past them: Debezium emits a BEGIN
     * and no END for a transaction without captured changes (DDL, system tables).
     */
    void closeIdle(long sinceNanos, long idleMs) {
        long now = System.nanoTime();
        for (Slot s : slots.values()) {
            Unit open = s.open;
            if (open == null || s.lastArrivalNanos - sinceNanos >= 0) {
                continue;
            }
            if (!open.explicit) {
                if (dueMs(s, now, idleMs) == 0) {
                    s.closedWhileIdle = open.txId;
                    finish(s);
                }
            } else if (open.rowCount() == 0 && open.entryCount() > 0) {
                finish(s);
                s.open = new Unit(open.txId, true); // rows of it that still come join it, and its END closes it
            }
        }
    }

    /**
     * Milliseconds until the first open transaction seen without markers is due to be closed for idleness; -1 when
     * none is open.
     */
    long idleCloseDueMs(long idleMs) {
        long now = System.nanoTime();
        long due = -1;
        for (Slot s : slots.values()) {
            if (s.open != null && !s.open.explicit) {
                long d = dueMs(s, now, idleMs);
                due = due < 0 ? d : Math.min(due, d);
            }
        }
        return due;
    }

    private static long dueMs(Slot s, long now, long idleMs) {
        return Math.max(0, idleMs - (now - s.lastArrivalNanos) / 1_000_000L);
    }

    /** Ends the open transaction of {@code ref}'s partition, e.g. before a DDL that must not share one with rows. */
    void finishOpen(RecordRef ref) {
        finish(slot(ref));
    }

    private void finish(Slot s) {
        if (s.open != null) {
            ready.addLast(s.open);
            readyRows += s.open.rowCount();
            readyBytes += s.open.bytes();
            s.open = null;
        }
    }

    /** The open transaction of {@code ref}'s partition, or null. */
    Unit openOf(RecordRef ref) {
        return slot(ref).open;
    }

    /** Rows in open transactions, all partitions. */
    int openRows() {
        int rows = 0;
        for (Slot s : slots.values()) {
            rows += s.open == null ? 0 : s.open.rowCount();
        }
        return rows;
    }

    long openBytes() {
        long bytes = 0;
        for (Slot s : slots.values()) {
            bytes += s.open == null ? 0 : s.open.bytes();
        }
        return bytes;
    }

    int readyRows() {
        return readyRows;
    }

    long readyBytes() {
        return readyBytes;
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    /** Takes complete units for one target transaction: at least one, then more while they fit the limits. */
    List<Unit> takeBatch(int maxRows, long maxBytes) {
        List<Unit> batch = new ArrayList<>();
        int rows = 0;
        long bytes = 0;
        while (!ready.isEmpty()) {
            Unit next = ready.peekFirst();
            if (!batch.isEmpty() && (rows + next.rowCount() > maxRows || bytes + next.bytes() > maxBytes)) {
                break;
            }
            ready.pollFirst();
            rows += next.rowCount();
            bytes += next.bytes();
            readyRows -= next.rowCount();
            readyBytes -= next.bytes();
            batch.add(next);
        }
        return batch;
    }

    /** Drops what is buffered; what closed while idle is kept, so the rest of such a transaction still counts. */
    void clear() {
        ready.clear();
        slots.values().forEach(s -> s.open = null);
        readyRows = 0;
        readyBytes = 0;
    }

    /** The partitions went to another task. */
    void forget(Collection<TopicPartition> partitions) {
        slots.keySet().removeAll(partitions);
        last = null;
    }
}

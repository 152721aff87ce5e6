package io.fksafe.sink.apply;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

import org.apache.kafka.connect.sink.SinkRecord;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.Op;
import io.fksafe.change.SourcePosition;
import io.fksafe.sink.plan.PlannedRow;
import io.fksafe.sink.record.RecordRef;

/**
 * Cuts the record stream into upstream transactions. A unit ends at its END marker, when a record of another
 * transaction arrives, or — for a transaction seen without a BEGIN marker — when the stream has been idle long
 * enough inside it (the caller decides how long); if more of that transaction comes afterwards it was split, and the
 * rest forms a unit of its own. Only complete units are handed out, oldest first.
 */
final class UnitAssembler {

    private final Deque<Unit> ready = new ArrayDeque<>();
    private Unit open;
    private int readyRows;
    private long readyBytes;
    /** The transaction last closed because the stream went idle in it: more of it means it was split. */
    private String closedWhileIdle;

    /**
     * A row change (row != null) or a record that only moves the offset (row == null). Returns true when the change
     * continues a transaction that was closed because the stream went idle in it: that transaction was split.
     */
    boolean add(RecordRef ref, ChangeRecord change, PlannedRow row, SinkRecord origin) {
        Op op = change.op();
        if (op == Op.TX_BEGIN) {
            finishOpen();
            open = new Unit(change.txId(), true);
            open.add(ref, change.position(), null, null);
            closedWhileIdle = null;
            return false;
        }
        if (op == Op.TX_END) {
            if (open == null || !Objects.equals(open.txId, change.txId())) {
                finishOpen(); // an END whose BEGIN came before our start offset: nothing of it is buffered
                open = new Unit(change.txId(), true);
            }
            open.add(ref, change.position(), null, null);
            finishOpen();
            return false;
        }
        String txId = transactionOf(change);
        if (open != null && (txId == null || !txId.equals(open.txId))) {
            finishOpen();
        }
        boolean split = open == null && txId != null && txId.equals(closedWhileIdle);
        closedWhileIdle = null;
        if (open == null) {
            open = new Unit(txId, false);
        }
        open.add(ref, change.position(), row, origin);
        if (txId == null) {
            finishOpen(); // no transaction at all (a snapshot read): each change stands alone
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
        if (open == null) {
            open = new Unit(null, false);
            open.add(ref, null, null, null);
            finishOpen();
        } else {
            open.add(ref, null, null, null);
        }
    }

    /**
     * The stream went idle. A transaction seen without markers is closed if {@code idleLongEnough}; more of it may
     * still come (then it was split). One opened by a BEGIN stays open, but if it holds only markers so far they are
     * handed out on their own, so the offset can move past them: Debezium emits a BEGIN and no END for a transaction
     * without captured changes (DDL, system tables).
     */
    void streamIdle(boolean idleLongEnough) {
        if (open == null) {
            return;
        }
        if (!open.explicit) {
            if (idleLongEnough) {
                closedWhileIdle = open.txId;
                finishOpen();
            }
        } else if (open.rowCount() == 0 && open.entryCount() > 0) {
            String txId = open.txId;
            finishOpen();
            open = new Unit(txId, true); // rows of this transaction that still come join it, and its END closes it
        }
    }

    /** Ends whatever is open, e.g. before a DDL that must not share a transaction with rows. */
    void finishOpen() {
        if (open != null) {
            ready.addLast(open);
            readyRows += open.rowCount();
            readyBytes += open.bytes();
            open = null;
        }
    }

    /** An open transaction seen without a BEGIN marker: only the next record, or idleness, can end it. */
    boolean openWithoutMarkers() {
        return open != null && !open.explicit;
    }

    int openRows() {
        return open == null ? 0 : open.rowCount();
    }

    long openBytes() {
        return open == null ? 0 : open.bytes();
    }

    String openTxId() {
        return open == null ? null : open.txId;
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

    void clear() {
        ready.clear();
        open = null;
        readyRows = 0;
        readyBytes = 0;
    }
}

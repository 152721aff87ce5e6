package io.fksafe.sink.apply;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.Op;
import io.fksafe.change.SourcePosition;
import io.fksafe.sink.checkpoint.Checkpoint;
import io.fksafe.sink.record.RecordRef;

/**
 * Records the target already has: by Kafka offset below the checkpoint (redelivery), or by source position (Debezium
 * re-emitting after its own restart, under new offsets). A row is dropped only on exact evidence:
 * <ul>
 * <li>its transaction ended before the transaction of the checkpoint's last row (or of the last row taken in), as
 *     GTIDs or binlog coordinates order transactions; or
 * <li>it is in that same transaction and both carry Debezium's {@code total_order} (transaction metadata), and its
 *     index is at or before that row's; or it is a schema change (alone in its transaction) in that transaction.
 * </ul>
 * Inside the transaction of the checkpoint or of the last row taken in, without {@code total_order}, a position cannot
 * tell (every row of a transaction carries its start position, and {@code row} restarts in each statement): the row
 * may be new or a re-emission of one already applied or buffered, so it {@link Applied#MAYBE may have been
 * applied} and is applied in safe mode, which the apply rules make idempotent — never dropped.
 */
final class DuplicateFilter {

    private static final Logger log = LoggerFactory.getLogger(DuplicateFilter.class);

    private final Map<TopicPartition, Checkpoint> committed;
    private final ApplyStats stats;
    /** Per partition, the position of the last streamed row taken into the buffers: re-emissions inside one backlog. */
    private final Map<TopicPartition, SourcePosition> seen = new HashMap<>();

    DuplicateFilter(Map<TopicPartition, Checkpoint> committed, ApplyStats stats) {
        this.committed = committed;
        this.stats = stats;
    }

    boolean belowCheckpoint(RecordRef ref) {
        Checkpoint cp = committed.get(ref.topicPartition());
        if (cp != null && ref.offset() < cp.nextOffset()) {
            stats.skippedAlreadyCommitted();
            return true;
        }
        return false;
    }

    /** Snapshot reads all share one position, so they never count. */
    Applied check(RecordRef ref, ChangeRecord change) {
        SourcePosition at = change.position();
        if (at == null || at.snapshot()) {
            return Applied.NO;
        }
        TopicPartition tp = ref.topicPartition();
        Checkpoint cp = committed.get(tp);
        boolean ddl = change.op() == Op.DDL;
        Applied byCheckpoint = cp == null ? Applied.NO : against(at, cp.position(), ddl);
        SourcePosition last = seen.get(tp);
        Applied byBuffers = last == null ? Applied.NO : against(at, last, ddl);
        if (byCheckpoint == Applied.YES || byBuffers == Applied.YES) {
            stats.skippedDuplicatePosition();
            log.debug(
                    "record {} at {} was applied before (checkpoint {}, last taken in {}): skipped",
                    ref,
                    at,
                    cp == null ? null : cp.position(),
                    last);
            return Applied.YES;
        }
        seen.put(tp, at);
        return byCheckpoint == Applied.MAYBE || byBuffers == Applied.MAYBE ? Applied.MAYBE : Applied.NO;
    }

    /**
     * {@code at} against a row the target (or the buffers) holds. A schema change commits on its own in MySQL/MariaDB,
     * so the same transaction means the same change.
     */
    private static Applied against(SourcePosition at, SourcePosition applied, boolean ddl) {
        if (applied == null || applied.snapshot()) {
            return Applied.NO;
        }
        if (at.transactionBefore(applied)) {
            return Applied.YES;
        }
        if (!at.sameTransaction(applied)) {
            return Applied.NO;
        }
        if (ddl) {
            return Applied.YES;
        }
        if (at.exactInTransaction(applied)) {
            return at.event() <= applied.event() ? Applied.YES : Applied.NO;
        }
        return Applied.MAYBE;
    }

    /** The buffers were dropped: what they held will be redelivered and must not count as seen. */
    void forgetBuffered() {
        seen.clear();
    }

    void forget(Collection<TopicPartition> partitions) {
        seen.keySet().removeAll(partitions);
    }
}

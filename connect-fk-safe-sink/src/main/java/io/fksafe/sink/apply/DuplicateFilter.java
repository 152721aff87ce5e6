package io.fksafe.sink.apply;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.SourcePosition;
import io.fksafe.sink.checkpoint.Checkpoint;
import io.fksafe.sink.plan.RecordRef;

/**
 * Records the target already has: by Kafka offset below the checkpoint (redelivery), or by source position at or
 * before a transaction already committed or taken in (Debezium re-emitting after its own restart, under new offsets).
 */
final class DuplicateFilter {

    private static final Logger log = LoggerFactory.getLogger(DuplicateFilter.class);

    private record Seen(String txId, SourcePosition position) {
    }

    private final Map<TopicPartition, Checkpoint> committed;
    private final ApplyStats stats;
    private final boolean splitAllowed;
    /** Per partition, the last streamed transaction taken into the buffers: re-emissions inside one backlog. */
    private final Map<TopicPartition, Seen> seen = new HashMap<>();

    DuplicateFilter(Map<TopicPartition, Checkpoint> committed, ApplyStats stats, boolean splitAllowed) {
        this.committed = committed;
        this.stats = stats;
        this.splitAllowed = splitAllowed;
    }

    boolean belowCheckpoint(RecordRef ref) {
        Checkpoint cp = committed.get(ref.topicPartition());
        if (cp != null && ref.offset() < cp.nextOffset()) {
            stats.skippedAlreadyCommitted();
            return true;
        }
        return false;
    }

    /**
     * Positions order whole transactions only, so this needs a transaction id (GTIDs or transaction metadata); inside
     * one transaction only Debezium's total_order tells a repeat apart. Snapshot reads share positions and never
     * count; with transaction splitting allowed a checkpoint may sit inside a transaction, so it is off.
     */
    boolean repeatsATransaction(RecordRef ref, ChangeRecord change) {
        SourcePosition at = change.position();
        if (at == null || at.snapshot() || change.txId() == null || splitAllowed) {
            return false;
        }
        TopicPartition tp = ref.topicPartition();
        Checkpoint cp = committed.get(tp);
        Seen last = seen.get(tp);
        boolean duplicate = cp != null && cp.position() != null && !cp.position().snapshot() && at.transactionAtOrBefore(cp.position())
                || last != null && !change.txId().equals(last.txId) && at.transactionAtOrBefore(last.position)
                || last != null && change.txId().equals(last.txId) && at.event() > 0 && at.compareTo(last.position) <= 0;
        if (duplicate) {
            stats.skippedDuplicatePosition();
            log.debug("record {} at {} repeats a transaction already taken in (checkpoint {}): skipped", ref, at,
                    cp == null ? null : cp.position());
            return true;
        }
        seen.put(tp, new Seen(change.txId(), at));
        return false;
    }

    /** The buffers were dropped: what they held will be redelivered and must not count as seen. */
    void forgetBuffered() {
        seen.clear();
    }

    void forget(Collection<TopicPartition> partitions) {
        seen.keySet().removeAll(partitions);
    }
}

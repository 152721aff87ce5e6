package io.fksafe.sink;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.sink.apply.Applier;
import io.fksafe.sink.checkpoint.Checkpoint;

/**
 * After a failure, in either apply mode, the task resumes from the target's truth: it asks Connect to seek every
 * partition back to its committed checkpoint (or, without one yet, to the first offset the task saw of it since open),
 * and pauses the partitions for the backoff. Never a RetriableException: Kafka's worker would put the failed batch
 * again before a seek asked for meanwhile takes effect (a late open's, or an earlier failure's), so those records
 * would come out of order; and in pipelined mode the failed records belong to earlier puts, which Connect does not
 * deliver again by itself. Task thread only, like every use of the context.
 */
final class Rewinder {

    private static final Logger log = LoggerFactory.getLogger(Rewinder.class);

    private final SinkTaskContext context;
    private final Applier applier;
    private final Set<TopicPartition> owned = new HashSet<>();
    private final Map<TopicPartition, Long> firstSeen = new HashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private long resumeAtNanos;
    private long progressAtFailure = -1;

    Rewinder(SinkTaskContext context, Applier applier) {
        this.context = context;
        this.applier = applier;
    }

    void opened(Collection<TopicPartition> partitions) {
        owned.addAll(partitions);
        partitions.forEach(firstSeen::remove);
    }

    void closed(TopicPartition tp) {
        owned.remove(tp);
        firstSeen.remove(tp);
        paused.remove(tp);
    }

    /** Called with every put's records before any is taken in: a failure halfway must still seek the rest back. */
    void seen(Collection<SinkRecord> records) {
        String topic = null;
        int partition = -1;
        for (SinkRecord r : records) {
            if (!r.topic().equals(topic) || r.kafkaPartition() != partition) {
                topic = r.topic();
                partition = r.kafkaPartition();
                firstSeen.putIfAbsent(new TopicPartition(topic, partition), r.kafkaOffset());
            }
        }
    }

    /** True once: whether any target transaction committed since the last failure (then the retry count restarts). */
    boolean progressSinceLastFailure() {
        long now = applier.progress();
        boolean moved = now != progressAtFailure;
        progressAtFailure = now;
        return moved;
    }

    /**
     * Seeks every partition back and pauses them for {@code waitMs}. One whose checkpoint is not read yet (the target
     * was down in open) goes back to its first record seen; the next put reads its checkpoint and seeks on from there.
     */
    void rewind(long waitMs) {
        seekBack();
        paused.addAll(owned);
        try {
            context.pause(paused.toArray(new TopicPartition[0]));
        } catch (ConnectException e) { // not assigned after all: no backoff, the seek alone is what matters
            log.debug("could not pause {} for the backoff", paused, e);
            paused.clear();
        }
        resumeAtNanos = System.nanoTime() + waitMs * 1_000_000L;
        context.timeout(Math.max(waitMs, 1));
    }

    /** After close(): the partitions kept lost what was buffered of them too, so they are sought back. */
    void rewindKept() {
        seekBack();
    }

    /**
     * True while the backoff after a failure lasts (the put is empty: the partitions are paused); then resumes them.
     * Records arriving anyway come from the seek, so they end the backoff.
     */
    boolean backingOff(Collection<SinkRecord> records) {
        if (paused.isEmpty()) {
            return false;
        }
        long leftMs = (resumeAtNanos - System.nanoTime()) / 1_000_000L;
        if (records.isEmpty() && leftMs > 0) {
            context.timeout(leftMs);
            return true;
        }
        try {
            context.resume(paused.toArray(new TopicPartition[0]));
        } catch (ConnectException e) {
            log.debug("could not resume {}", paused, e);
        }
        paused.clear();
        return false;
    }

    private void seekBack() {
        for (TopicPartition tp : owned) {
            Checkpoint cp = applier.committed(tp);
            Long offset = cp != null ? Long.valueOf(cp.nextOffset()) : firstSeen.get(tp);
            if (offset != null) {
                context.offset(tp, offset);
                log.info(
                        "{}: resuming at offset {} ({})",
                        tp,
                        offset,
                        cp != null ? "the target's checkpoint" : "the first record seen since the partition opened");
            }
        }
    }
}

package io.fksafe.sink.testing;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import io.fksafe.sink.FkSafeSinkTask;

/** Drives a real {@link FkSafeSinkTask} the way the worker does: start, open, put batches, idle put, preCommit, stop. */
public final class TaskRunner implements AutoCloseable {

    public static final TopicPartition TP = new TopicPartition(ChangeStream.TOPIC, 0);

    /** Fault points of this task, for tests to arm; unarmed they do nothing. */
    public final Faults faults = new Faults();

    public final FkSafeSinkTask task = new FkSafeSinkTask(faults) {};
    public final RecordingContext context = new RecordingContext();

    public TaskRunner(Map<String, String> props) {
        this(props, false);
    }

    /** With {@code deadLetterQueue}, the context offers an errant-record reporter, as with errors.tolerance=all + a DLQ. */
    public TaskRunner(Map<String, String> props, boolean deadLetterQueue) {
        this(props, deadLetterQueue, null);
    }

    /** With {@code metrics}, the task registers its metrics there as it would in a worker's plugin metrics. */
    public TaskRunner(
            Map<String, String> props, boolean deadLetterQueue, org.apache.kafka.common.metrics.Metrics metrics) {
        this(props, deadLetterQueue, metrics, List.of(TP));
    }

    /** A task assigned {@code partitions} (of any topics) rather than only {@link #TP}. */
    public TaskRunner(Map<String, String> props, List<TopicPartition> partitions) {
        this(props, false, null, partitions);
    }

    private TaskRunner(
            Map<String, String> props,
            boolean deadLetterQueue,
            org.apache.kafka.common.metrics.Metrics metrics,
            List<TopicPartition> partitions) {
        context.metrics = metrics;
        if (deadLetterQueue) {
            context.deadLetters = new java.util.ArrayList<>();
        }
        assigned.addAll(partitions);
        task.initialize(context);
        task.start(props);
        task.open(partitions);
        context.takeSeeks(); // open's seek is left to the test: the records it delivers say where delivery starts
    }

    public static Map<String, String> props(String connectorName, String... extra) {
        TestDatabase db = TestDatabase.get();
        Map<String, String> p = new HashMap<>();
        p.put("name", connectorName);
        p.put("connection.url", db.url());
        p.put("connection.user", db.user());
        p.put("connection.password", db.password());
        p.put("checkpoint.table", "fksafe_test.checkpoint");
        p.put("stats.log.interval.ms", "0");
        // an empty put() (or one with no record of its partition) ends an open transaction seen without markers at
        // once, as the worker's next poll would after the idle time: keeps these tests fast and deterministic
        // (MarkerlessTransactionTest and PartitionTransactionsTest cover real idle times)
        p.put("transaction.idle.ms", "0");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    /**
     * Delivers records in batches of {@code batch} the way the worker does ({@link #feed}), with idle puts until the
     * task has applied all and asks for nothing more, then a preCommit.
     */
    public Map<TopicPartition, OffsetAndMetadata> deliver(Collection<SinkRecord> records, int batch) {
        List<SinkRecord> list = List.copyOf(records);
        feed(list, batch);
        return preCommit(list.isEmpty() ? 0 : list.get(list.size() - 1).kafkaOffset() + 1);
    }

    /**
     * Puts {@code records} in batches as Connect's poll loop would, from a log of every record handed to this runner
     * (per partition, by offset; delivery starts at the first of {@code records}); see {@link #poll}. Ends once
     * everything was delivered, the task applied it all (it may apply on its own thread) and asks for no seek.
     */
    public void feed(Collection<SinkRecord> records, int batch) {
        Map<TopicPartition, Long> from = new HashMap<>();
        for (SinkRecord r : records) {
            from.merge(new TopicPartition(r.topic(), r.kafkaPartition()), r.kafkaOffset(), Math::min);
        }
        produce(records);
        position.putAll(from);
        drain(batch);
    }

    /** Adds {@code records} to the topic's log without moving the consumer: a later poll or seek reaches them. */
    public void produce(Collection<SinkRecord> records) {
        for (SinkRecord r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
            log.computeIfAbsent(tp, k -> new java.util.TreeMap<>()).put(r.kafkaOffset(), r);
        }
    }

    /** Polls and puts from the log (see {@link #poll}) until the task has applied everything and asks for no seek. */
    public void drain(int batch) {
        for (int polls = 0; ; polls++) {
            if (polls > 200_000) {
                throw new AssertionError("the task never settled: " + polls + " puts");
            }
            List<SinkRecord> next = poll(batch);
            if (next.isEmpty() && settled()) {
                task.awaitApplied();
                task.put(List.of()); // learns of a failure on the apply thread (then it seeks back)
                if (settled()) {
                    return;
                }
            }
        }
    }

    /**
     * One iteration of Kafka 4.3's WorkerSinkTask: the seeks the task asked for take effect first (its rewind()), then
     * a paused consumer returns nothing after the timeout, else up to {@code batch} records from each partition's
     * position on are put. After a RetriableException the worker keeps the failed batch and, all partitions paused,
     * puts that same batch again at the next iteration, whatever seek the task asked for meanwhile: the seek's records
     * come only after it. Returns what was put.
     */
    public List<SinkRecord> poll(int batch) {
        position.putAll(context.takeSeeks());
        List<SinkRecord> next;
        if (kept != null) {
            pause(context.timeoutMs);
            next = kept;
        } else if (!context.paused.isEmpty()) {
            pause(context.timeoutMs); // a paused consumer's poll returns nothing after the timeout
            next = List.of();
        } else {
            next = nextBatch(batch);
        }
        try {
            task.put(next);
            kept = null;
        } catch (org.apache.kafka.connect.errors.RetriableException e) {
            kept = next;
            retriable++;
        }
        return next;
    }

    /** How many puts threw RetriableException (the worker put the same batch again). */
    public int retriablePuts() {
        return retriable;
    }

    /**
     * A cooperative rebalance revokes {@code tp} alone: the worker asks the task for its offsets, closes the partition
     * and delivers nothing more of it; the other partitions stay.
     */
    public void revoke(TopicPartition tp) {
        Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
        assigned.forEach(p -> current.put(p, new OffsetAndMetadata(position.getOrDefault(p, 0L))));
        task.preCommit(current);
        task.close(List.of(tp));
        assigned.remove(tp);
        log.remove(tp);
        position.remove(tp);
    }

    /**
     * Pipelined mode: puts {@code batch}, waits for the apply thread, and puts nothing once more, as the worker's next
     * poll would; returns the offset the task then asks to seek back to after a failure, or null if it did not.
     */
    public Long putAndSettle(List<SinkRecord> batch) {
        task.put(batch);
        task.awaitApplied();
        task.put(List.of());
        return context.takeSeeks().get(TP);
    }

    private final Map<TopicPartition, java.util.TreeMap<Long, SinkRecord>> log = new java.util.LinkedHashMap<>();
    private final Map<TopicPartition, Long> position = new HashMap<>();
    private final List<TopicPartition> assigned = new java.util.ArrayList<>();
    /** The batch a RetriableException left for the worker to put again, or null. */
    private List<SinkRecord> kept;

    private int retriable;

    private boolean settled() {
        return kept == null
                && context.paused.isEmpty()
                && !context.hasSeeks()
                && log.entrySet().stream()
                        .allMatch(e -> e.getValue()
                                .tailMap(position.getOrDefault(e.getKey(), 0L), true)
                                .isEmpty());
    }

    private List<SinkRecord> nextBatch(int max) {
        List<SinkRecord> out = new java.util.ArrayList<>();
        for (Map.Entry<TopicPartition, java.util.TreeMap<Long, SinkRecord>> e : log.entrySet()) {
            for (SinkRecord r : e.getValue()
                    .tailMap(position.getOrDefault(e.getKey(), 0L), true)
                    .values()) {
                if (out.size() == max) {
                    return out;
                }
                out.add(r);
                position.put(e.getKey(), r.kafkaOffset() + 1);
            }
        }
        return out;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(Math.max(1, Math.min(ms, 5_000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Map<TopicPartition, OffsetAndMetadata> deliver(Collection<SinkRecord> records) {
        return deliver(records, 500);
    }

    /**
     * The task's preCommit once what it handed to its apply thread has settled, as the worker's periodic call sees
     * it after a while: tests read a definite answer. (ApplyPipelineTest calls preCommit mid-flight.)
     */
    public Map<TopicPartition, OffsetAndMetadata> preCommit(long consumed) {
        task.awaitApplied();
        return task.preCommit(Map.of(TP, new OffsetAndMetadata(consumed)));
    }

    /** The offset the task asked the worker to seek to on open (from the target's checkpoint), or null. */
    public Long seekedTo() {
        return context.offsets.get(TP);
    }

    @Override
    public void close() {
        task.close(List.copyOf(assigned));
        task.stop();
    }
}

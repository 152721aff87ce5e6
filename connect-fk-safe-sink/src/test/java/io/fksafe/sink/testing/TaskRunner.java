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
        context.metrics = metrics;
        if (deadLetterQueue) {
            context.deadLetters = new java.util.ArrayList<>();
        }
        task.initialize(context);
        task.start(props);
        task.open(List.of(TP));
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
        // an empty put() ends an open transaction seen without markers at once, as the worker's next poll would after
        // the idle time: keeps these tests fast and deterministic (MarkerlessTransactionTest covers the real default)
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
     * (per partition, by offset; delivery starts at the first of {@code records}): a seek the task asks for rewinds
     * delivery to that offset, no record below a partition's position is delivered, and a paused task gets empty
     * puts after its timeout; a RetriableException goes to the caller. Ends once everything was delivered, the task
     * applied it all (it may apply on its own thread) and asks for no seek.
     */
    public void feed(Collection<SinkRecord> records, int batch) {
        Map<TopicPartition, Long> from = new HashMap<>();
        for (SinkRecord r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
            log.computeIfAbsent(tp, k -> new java.util.TreeMap<>()).put(r.kafkaOffset(), r);
            from.merge(tp, r.kafkaOffset(), Math::min);
        }
        position.putAll(from);
        for (int polls = 0; ; polls++) {
            if (polls > 200_000) {
                throw new AssertionError("the task never settled: " + polls + " puts");
            }
            position.putAll(context.takeSeeks()); // Connect's rewind() at the start of each poll
            List<SinkRecord> next;
            if (!context.paused.isEmpty()) {
                pause(context.timeoutMs); // a paused consumer's poll returns nothing after the timeout
                next = List.of();
            } else {
                next = nextBatch(batch);
            }
            task.put(next); // a RetriableException goes to the test, as before
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

    private boolean settled() {
        return context.paused.isEmpty()
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
        task.close(List.of(TP));
        task.stop();
    }
}

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

    /** Delivers records in batches of {@code batch}, then an idle put so open transactions close, then a preCommit. */
    public Map<TopicPartition, OffsetAndMetadata> deliver(Collection<SinkRecord> records, int batch) {
        List<SinkRecord> list = List.copyOf(records);
        for (int i = 0; i < list.size(); i += batch) {
            task.put(list.subList(i, Math.min(list.size(), i + batch)));
        }
        task.put(List.of());
        return preCommit(list.isEmpty() ? 0 : list.get(list.size() - 1).kafkaOffset() + 1);
    }

    public Map<TopicPartition, OffsetAndMetadata> deliver(Collection<SinkRecord> records) {
        return deliver(records, 500);
    }

    public Map<TopicPartition, OffsetAndMetadata> preCommit(long consumed) {
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

package io.fksafe.sink;

import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.apply.Applier;
import io.fksafe.sink.apply.ApplyStats;
import io.fksafe.sink.apply.RecordIntake;
import io.fksafe.sink.checkpoint.Checkpoint;
import io.fksafe.sink.config.FkSafeSinkConfig;
import io.fksafe.sink.dialect.ErrorKind;
import io.fksafe.sink.metrics.SinkMetrics;
import io.fksafe.sink.target.FaultPoint;

/**
 * Applies change records in arrival order: this class keeps the lifecycle, the retries and the offsets, and hands each
 * record to {@link RecordIntake#take}. Offsets move only past what the target committed: the checkpoint in the
 * target is the truth, {@link #open} seeks to it, and {@link #preCommit} reports nothing beyond it.
 */
public class FkSafeSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(FkSafeSinkTask.class);
    static final String DEFAULT_CONNECTOR_NAME = "fksafe-sink";

    private final FaultPoint.Hook faults;
    private FkSafeSinkConfig config;
    private Applier applier;
    private RecordIntake intake;
    private int consecutiveFailures;
    private boolean schemaRetried;
    /** Assigned, but their checkpoints not read yet (the target was down in open()): nothing of theirs is applied. */
    private final java.util.Set<TopicPartition> unopened = new java.util.HashSet<>();
    /** Where to seek back to after a failure. */
    private Rewinder rewinder;

    private static final java.util.concurrent.atomic.AtomicInteger TASKS =
            new java.util.concurrent.atomic.AtomicInteger();

    public FkSafeSinkTask() {
        this(FaultPoint.NONE);
    }

    /** For fault-injection tests: {@code faults} runs at named points of the work on the target. */
    protected FkSafeSinkTask(FaultPoint.Hook faults) {
        this.faults = faults;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new FkSafeSinkConfig(props);
        String connector = props.getOrDefault("name", DEFAULT_CONNECTOR_NAME);
        SinkMetrics metrics = SinkMetrics.forTask(context);
        applier = new Applier(
                config, connector, metrics, faults, "fksafe-apply-" + connector + "-" + TASKS.incrementAndGet());
        rewinder = new Rewinder(context, applier);
        intake = applier.intake();
        applier.errantRecordReporter(context.errantRecordReporter());
        log.info(
                "fksafe sink task for connector '{}' started (safe.mode={}, batch.max.rows={}, checkpoint table {}, "
                        + "metrics {})",
                connector,
                config.safeMode,
                config.batchMaxRows,
                config.checkpointTable,
                metrics.reported()
                        ? "in the worker's plugin metrics"
                        : "in the log line only (worker before Kafka 4.1)");
    }

    /**
     * Runs inside the consumer's rebalance callback, so it never waits: one attempt to read the checkpoints, and if
     * the target is unreachable they are read by the next put(), where a failure backs off like any other.
     */
    @Override
    public void open(Collection<TopicPartition> partitions) {
        unopened.addAll(partitions);
        rewinder.opened(partitions);
        try {
            seekToCheckpoints();
        } catch (SQLException e) {
            applier.dropConnection();
            if (applier.classify(e) != ErrorKind.TRANSIENT) {
                throw new ConnectException(
                        "could not open " + partitions + ": reading the checkpoint table "
                                + config.checkpointTable
                                + " or resolving a schema change a crash left unfinished failed: ["
                                + e.getErrorCode() + "] " + e.getMessage() + ". Check '"
                                + FkSafeSinkConfig.CONNECTION_URL
                                + "', the user's privileges (docs/sink.md) and that the target is up",
                        e);
            }
            log.warn(
                    "{}: the target is unreachable while opening ([{}] {}); its checkpoints are read on the next put",
                    partitions,
                    e.getErrorCode(),
                    e.getMessage());
        }
    }

    /**
     * Reads the checkpoints of partitions opened while the target was down and seeks there. This put's records of
     * the partitions it seeks are left alone (not applied): the seek delivers them again from the checkpoint. A
     * partition without a checkpoint gets no seek, so its records are applied as they come, as after open().
     */
    private Collection<SinkRecord> openedLate(Collection<SinkRecord> records) throws SQLException {
        if (unopened.isEmpty()) {
            return records;
        }
        java.util.Set<TopicPartition> sought = seekToCheckpoints();
        return records.stream()
                .filter(r -> !sought.contains(new TopicPartition(r.topic(), r.kafkaPartition())))
                .toList();
    }

    private java.util.Set<TopicPartition> seekToCheckpoints() throws SQLException {
        Map<TopicPartition, Checkpoint> loaded = applier.loadCheckpoints(unopened);
        for (Map.Entry<TopicPartition, Checkpoint> e : loaded.entrySet()) {
            context.offset(e.getKey(), e.getValue().nextOffset());
            log.info(
                    "{}: resuming at offset {} from the target's checkpoint (source position {})",
                    e.getKey(),
                    e.getValue().nextOffset(),
                    e.getValue().position());
        }
        unopened.clear();
        return loaded.keySet();
    }

    /**
     * Takes the records in. Synchronous, the put commits what is complete; pipelined, the apply thread commits what
     * was handed over before while this thread takes in the next records. Either way a failure is never retried by
     * Connect redelivering the batch: the worker would put it again before a seek asked for in this put takes effect
     * (open's, late), and in pipelined mode Connect has moved on from the failed records anyway. So the task drops
     * everything not committed and seeks every partition back to its checkpoint, after a backoff ({@link Rewinder}).
     */
    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            if (rewinder.backingOff(records)) {
                return;
            }
            rewinder.seen(records);
            Collection<SinkRecord> fresh = openedLate(records);
            applier.refreshIfStale();
            long started = System.nanoTime();
            for (SinkRecord r : fresh) {
                intake.take(r);
            }
            applier.streamIdle(started); // partitions this put brought nothing of are idle
            applier.applyReady(); // pipelined: hands over, and throws what the apply thread failed with
            long due = applier.idleCommitDueMs();
            if (due > 0) {
                context.timeout(due); // a transaction without markers is open: poll again soon to see if it ended
            }
        } catch (SQLException e) {
            rewindOrFail(e);
        } catch (RuntimeException e) {
            applier.discardBuffered();
            throw e;
        } finally {
            applier.publishState();
            applier.stats().maybeLog();
        }
    }

    /**
     * Drops what is not committed and resumes from the checkpoints after a backoff, or stops the task. Failures count
     * only while no target transaction commits between them: a schema error is retried once on fresh metadata, a
     * transient one up to 'max.retries' times with a doubling backoff.
     */
    private void rewindOrFail(SQLException e) {
        ErrorKind kind = applier.classify(e);
        applier.abandonUncommitted();
        if (rewinder.progressSinceLastFailure()) {
            consecutiveFailures = 0;
            schemaRetried = false;
        }
        if (kind == ErrorKind.SCHEMA && !schemaRetried) {
            // a table or column the cached metadata knows is gone, most likely by a DDL on the target meanwhile:
            // the records from the checkpoint on are planned against the target as it is now
            schemaRetried = true;
            applier.forgetMetadata();
            log.warn(
                    "target schema error, re-reading table metadata and resuming from the checkpoints: [{}] {}",
                    e.getErrorCode(),
                    e.getMessage());
            rewinder.rewind(config.retryBackoffMs);
            return;
        }
        if (kind == ErrorKind.TRANSIENT && consecutiveFailures < config.maxRetries) {
            consecutiveFailures++;
            applier.stats().retried(kind);
            long wait = backoff(consecutiveFailures);
            log.warn(
                    "transient target error (attempt {} of {}), resuming from the checkpoints in {} ms: [{}] {}",
                    consecutiveFailures,
                    config.maxRetries,
                    wait,
                    e.getErrorCode(),
                    e.getMessage());
            rewinder.rewind(wait);
            return;
        }
        throw new ConnectException(
                "target error [" + e.getErrorCode() + "/" + e.getSQLState() + "] after " + consecutiveFailures
                        + " retries: " + e.getMessage() + ". " + whatToCheck(kind),
                e);
    }

    private static String whatToCheck(ErrorKind kind) {
        return switch (kind) {
            case TRANSIENT ->
                "Check that the target is up and reachable at '" + FkSafeSinkConfig.CONNECTION_URL + "'; raise '"
                        + FkSafeSinkConfig.MAX_RETRIES + "' to ride out longer outages";
            case SCHEMA ->
                "A table or column is still missing after re-reading the target's metadata: check " + "'"
                        + FkSafeSinkConfig.TABLE_MAPPING + "' and the target's schema";
            default -> "Check the target's state and the user's privileges (docs/sink.md)";
        };
    }

    /**
     * Reports only what the target committed. Nothing complete waits here: put() commits (or hands over) every
     * complete transaction before it returns.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : currentOffsets.keySet()) {
            Checkpoint cp = applier.committed(tp);
            if (cp != null) {
                out.put(tp, new OffsetAndMetadata(cp.nextOffset()));
            }
        }
        return out;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        applier.awaitApplied(0); // the batch in flight finishes (or fails) before the partitions go
        applier.discardBuffered(); // not committed: the next owner re-reads it from the checkpoint
        applier.forgetPartitions(partitions);
        unopened.removeAll(partitions);
        partitions.forEach(rewinder::closed);
        rewinder.rewindKept(); // what the others had buffered is gone too: Connect does not deliver it again
    }

    @Override
    public void stop() {
        if (applier != null) {
            log.info("fksafe sink task stopping: {}", applier.stats().summary());
            applier.close();
        }
        ChangeRecord.forgetWrittenRecords();
    }

    /**
     * For tests and the benchmark: waits until everything handed to the apply thread is committed (or failed: the
     * next put handles that). Returns at once unless 'apply.pipelined'.
     */
    public void awaitApplied() {
        applier.awaitApplied(0);
    }

    /** For tests and the benchmark printout. */
    public ApplyStats stats() {
        return applier.stats();
    }

    /** For tests: replayed rows carried into today's schema, per table and mapping. */
    public Map<String, Long> replayMappings() {
        return applier.replayMappings();
    }

    private long backoff(int attempt) {
        long wait = config.retryBackoffMs << Math.min(attempt - 1, 20);
        return Math.min(Math.max(wait, 0), 60_000L);
    }
}

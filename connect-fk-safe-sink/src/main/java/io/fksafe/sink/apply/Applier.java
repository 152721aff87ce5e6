package io.fksafe.sink.apply;

import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.checkpoint.Checkpoint;
import io.fksafe.sink.checkpoint.CheckpointStore;
import io.fksafe.sink.config.FkSafeSinkConfig;
import io.fksafe.sink.ddl.DdlApplier;
import io.fksafe.sink.ddl.ReplaySchemaMapper;
import io.fksafe.sink.dialect.ErrorKind;
import io.fksafe.sink.metadata.MetadataCache;
import io.fksafe.sink.metadata.TableId;
import io.fksafe.sink.metadata.TableMeta;
import io.fksafe.sink.metrics.SinkMetrics;
import io.fksafe.sink.plan.PlannedRow;
import io.fksafe.sink.plan.Planner;
import io.fksafe.sink.record.RecordRef;
import io.fksafe.sink.replay.ReplayWindowStore;
import io.fksafe.sink.replay.ReplayWindows;
import io.fksafe.sink.target.FaultPoint;
import io.fksafe.sink.target.TargetSession;

/**
 * The task's engine: buffers the rows {@link RecordIntake} takes in as upstream transactions, applies complete ones
 * in bounded target transactions, and remembers per partition what the target has committed. Called by the task's
 * thread only. With 'apply.pipelined' the commits run on an {@link ApplyPipeline}: then every use of the target
 * connection here first drains it, and the committed checkpoints are a concurrent map the apply thread updates.
 */
public final class Applier implements AutoCloseable {

    /** How long stop() waits for the batch in flight before interrupting the apply thread. */
    private static final long STOP_WAIT_MS = 30_000;

    private final FkSafeSinkConfig config;
    private final TargetSession session;
    private final MetadataCache metadata = new MetadataCache();
    private final Planner planner = new Planner();
    private final CheckpointStore checkpoints;
    private final UnitAssembler assembler = new UnitAssembler();
    private final BatchApplier batches;
    private final DdlApplier ddl;
    private final ApplyStats stats;
    private final Map<TopicPartition, Checkpoint> committed = new java.util.concurrent.ConcurrentHashMap<>();
    private final DuplicateFilter duplicates;
    private final Markerless markerless;
    private final DeadLetters deadLetters;
    private final ReplayWindows replayWindows;
    private final ReplaySchemaMapper replaySchema;
    private final RecordIntake intake;
    private boolean checkpointTableReady;
    private final java.util.Set<TopicPartition> assigned = new java.util.HashSet<>();
    /** Set by whichever thread dropped the connection; read by the task's thread. */
    private volatile boolean stale;

    private final BatchCommitter committer;
    private final TransactionLimits limits;
    /** Null unless 'apply.pipelined'. */
    private final ApplyPipeline pipeline;

    /**
     * {@code faults}: runs at named points of the work on the target; {@link FaultPoint#NONE} but in tests.
     * {@code threadName}: the apply thread's, with 'apply.pipelined'.
     */
    public Applier(
            FkSafeSinkConfig config,
            String connectorName,
            SinkMetrics metrics,
            FaultPoint.Hook faults,
            String threadName) {
        this.config = config;
        this.session = new TargetSession(config);
        this.checkpoints = new CheckpointStore(config.checkpointTable, connectorName);
        this.replaySchema = new ReplaySchemaMapper(config.checkpointTable.database(), connectorName);
        this.replayWindows =
                new ReplayWindows(new ReplayWindowStore(config.checkpointTable, connectorName), replaySchema);
        this.stats = new ApplyStats(config.statsIntervalMs, metrics);
        stats.checkpoints(this::describeCheckpoints);
        this.batches = new BatchApplier(
                session,
                checkpoints,
                stats,
                config.statementMaxRows,
                faults,
                new StatementPacker(config.statementPacking, id -> metadata.get(session.connection(), id)));
        this.duplicates = new DuplicateFilter(committed, stats);
        this.deadLetters = new DeadLetters(stats);
        this.committer = new BatchCommitter(
                config, session, checkpoints, batches, deadLetters, stats, committed, this::dropConnection);
        this.markerless = new Markerless(config.transactionIdleMs, stats);
        this.limits = new TransactionLimits(config, stats);
        this.ddl = new DdlApplier(config, connectorName, session, checkpoints, faults);
        this.intake = new RecordIntake(config, this, planner, duplicates, deadLetters, replayWindows, replaySchema);
        this.pipeline = config.applyPipelined
                ? new ApplyPipeline(
                        threadName,
                        batch -> committer.apply(batch, false),
                        config.batchMaxRows,
                        config.batchMaxBytes,
                        config.applyLingerMs)
                : null;
    }

    /** The one way records come in. */
    public RecordIntake intake() {
        return intake;
    }

    public Map<TopicPartition, Checkpoint> loadCheckpoints(Collection<TopicPartition> partitions) throws SQLException {
        awaitApplied(0); // the connection is free; a failure of the apply thread is left for the next put
        ensureCheckpointTable();
        Map<TopicPartition, Checkpoint> loaded = new HashMap<>(checkpoints.load(session.connection(), partitions));
        loaded.putAll(ddl.recover(partitions, loaded)); // a schema change a crash left unfinished
        committed.putAll(loaded);
        assigned.addAll(partitions);
        replayWindows.load(session.connection(), partitions);
        for (TopicPartition tp : partitions) {
            stats.metrics().partitionOpened(tp);
        }
        publishState();
        return loaded;
    }

    /**
     * After a failure the in-memory checkpoints may be behind the target (a COMMIT whose answer was lost): re-read
     * them, so redelivered records the target already has are skipped.
     */
    public void refreshIfStale() throws SQLException {
        if (stale && !assigned.isEmpty()) { // locking: a transaction of ours still open on the server is waited for
            committed.putAll(checkpoints.loadAfterOthersFinish(connection(), assigned));
            stale = false;
        }
    }

    /** Counts of replayed rows carried into today's schema, per table and mapping (for tests). */
    public Map<String, Long> replayMappings() {
        return replaySchema.counts();
    }

    /** Buffers a change; applies complete transactions as soon as they fill a target transaction. */
    void add(SinkRecord origin, RecordRef ref, ChangeRecord change, PlannedRow row) throws SQLException {
        markerless.taken(change);
        if (assembler.add(ref, change, row, origin)) {
            markerless.split(ref, assembler.openOf(ref).txId);
        }
        limits.check(assembler, ref);
        if (assembler.readyRows() >= config.batchMaxRows || assembler.readyBytes() >= config.batchMaxBytes) {
            applyReady();
        }
    }

    public void errantRecordReporter(ErrantRecordReporter reporter) {
        // the worker's reporter is not documented as thread-safe: the apply thread's reports go through the task's
        deadLetters.reporter(pipeline == null || reporter == null ? reporter : pipeline.relay(reporter));
    }

    /**
     * A schema change, in stream order: the rows before it commit first, then it runs (journaled) and the checkpoint
     * moves past it; target metadata is read afresh afterwards.
     */
    void applyDdl(RecordRef ref, ChangeRecord change) throws SQLException {
        // Only its partition's open transaction ends: the DDL commits on its own, and another partition's open
        // transaction has none of this source's rows, so it need not be split. Its rows, planned before the DDL, go
        // in after it; should they no longer fit the table (a concurrent schema change on the target looks the same),
        // the schema error makes the task re-plan them from the checkpoint on fresh metadata
        assembler.finishOpen(ref);
        applyReady();
        drain();
        ensureCheckpointTable();
        java.util.Optional<Checkpoint> past = ddl.apply(ref, change);
        stats.ddl(past.isPresent());
        if (past.isPresent()) {
            committed.put(ref.topicPartition(), past.get());
        } else {
            addNoop(ref); // nothing ran: its offset moves with the next transaction
        }
        forgetMetadata();
    }

    void addNoop(RecordRef ref) {
        assembler.addNoop(ref);
    }

    /**
     * After a put's records are taken in: a partition that got none since {@code putStartedNanos} is idle (every one
     * after an empty put). Its open transaction seen without markers is committed once the partition has been idle in
     * it for 'transaction.idle.ms', also while other partitions keep the task busy.
     */
    public void streamIdle(long putStartedNanos) {
        assembler.closeIdle(putStartedNanos, markerless.idleMs());
    }

    /** Milliseconds until an open transaction seen without markers is due to be committed; -1 when none is open. */
    public long idleCommitDueMs() {
        return assembler.idleCloseDueMs(markerless.idleMs());
    }

    /** Applies every complete transaction, packed into target transactions within the batch limits. */
    public void applyReady() throws SQLException {
        if (pipeline != null) {
            handOverReady();
            return;
        }
        if (!assembler.hasReady()) {
            return;
        }
        ensureCheckpointTable();
        while (assembler.hasReady()) {
            committer.apply(assembler.takeBatch(config.batchMaxRows, config.batchMaxBytes), false);
        }
        if (replayWindows.anyOpen()) {
            replayWindows.closePassed(session.connection(), committed);
        }
        publishState();
    }

    /**
     * Pipelined: hands every complete transaction to the apply thread (waiting while a full batch is queued), and
     * throws what the apply thread failed with, if it did. Entered even with nothing ready, to learn of a failure and
     * to relay a dead letter the apply thread waits to report.
     */
    private void handOverReady() throws SQLException {
        if (assembler.hasReady()) {
            ensureCheckpointTable();
        }
        pipeline.handOver(assembler.takeBatch(Integer.MAX_VALUE, Long.MAX_VALUE));
        if (replayWindows.anyOpen()) { // rare (after a REST offset rewind): closing one needs the connection
            replayWindows.closePassed(connection(), committed);
        }
        publishState();
    }

    /**
     * Waits until nothing is in flight on the apply thread, so this thread may use the connection; throws what the
     * apply thread failed with. Does nothing unless pipelined.
     */
    void drain() throws SQLException {
        if (pipeline != null) {
            pipeline.drain();
        }
    }

    /**
     * Waits at most {@code timeoutMs} (0: no limit) until nothing is in flight; true if so. Leaves a failure of the
     * apply thread for the next put to handle.
     */
    public boolean awaitApplied(long timeoutMs) {
        return pipeline == null || pipeline.awaitIdle(timeoutMs);
    }

    /** Target transactions committed so far (by the apply thread, its batches): progress, for the retry count. */
    public long progress() {
        return pipeline == null ? committer.commits() : pipeline.batchesCommitted();
    }

    /**
     * After a failure: waits for the apply thread, if any, drops the connection and everything buffered or queued,
     * and clears the failure. The task then seeks back to the committed checkpoints.
     */
    public void abandonUncommitted() {
        awaitApplied(0);
        dropConnection();
        discardBuffered();
        if (pipeline != null) {
            pipeline.reset();
        }
    }

    /** A target table's metadata, read from the target (after a drain) if it is not cached. */
    TableMeta table(TableId id) throws SQLException {
        TableMeta meta = metadata.cached(id);
        if (meta != null) {
            return meta;
        }
        return metadata.get(connection(), id);
    }

    /** The target connection for the task thread's own use: first waits until the apply thread has left it. */
    java.sql.Connection connection() throws SQLException {
        drain();
        return session.connection();
    }

    /** Buffers, checkpoints and replay windows for the metrics' gauges (read by another thread). */
    public void publishState() {
        SinkMetrics m = stats.metrics();
        long queuedRows = pipeline == null ? 0 : pipeline.queuedRows();
        long queuedBytes = pipeline == null ? 0 : pipeline.queuedBytes();
        m.buffered(
                (long) assembler.readyRows() + assembler.openRows() + queuedRows,
                assembler.readyBytes() + assembler.openBytes() + queuedBytes);
        committed.forEach((tp, cp) -> m.checkpointMoved(tp, cp.nextOffset()));
        m.replayWindow(replayWindows.anyOpen(), replayWindows.recordsLeft(committed));
    }

    private String describeCheckpoints() {
        StringBuilder b = new StringBuilder();
        committed.forEach((tp, cp) -> b.append(b.length() == 0 ? "" : ", ")
                .append(tp)
                .append(" offset ")
                .append(cp.nextOffset())
                .append(" at ")
                .append(cp.position() == null ? "-" : cp.position().format()));
        return b.length() == 0 ? "none yet" : b.toString();
    }

    public Checkpoint committed(TopicPartition tp) {
        return committed.get(tp);
    }

    public void discardBuffered() {
        assembler.clear();
        if (pipeline != null) {
            pipeline.discardQueued();
        }
        duplicates.forgetBuffered();
    }

    public void forgetPartitions(Collection<TopicPartition> partitions) {
        partitions.forEach(stats.metrics()::partitionClosed);
        committed.keySet().removeAll(partitions);
        assigned.removeAll(partitions);
        duplicates.forget(partitions);
        replayWindows.forget(partitions);
        assembler.forget(partitions);
    }

    public void forgetMetadata() {
        metadata.invalidateAll();
        replaySchema.forget(); // the journal may have grown
        planner.forgetAll();
        batches.forgetStatements();
    }

    public ErrorKind classify(SQLException e) {
        return session.classify(e);
    }

    /** After any failure: the next statement opens a fresh connection, and checkpoints are re-read. */
    public void dropConnection() {
        session.close();
        stale = true;
    }

    public ApplyStats stats() {
        return stats;
    }

    private void ensureCheckpointTable() throws SQLException {
        if (!checkpointTableReady) {
            checkpoints.ensureTable(connection());
            checkpointTableReady = true;
        }
    }

    @Override
    public void close() {
        if (pipeline != null) { // what was handed over commits first, within the bound
            pipeline.awaitIdle(STOP_WAIT_MS);
            pipeline.close(STOP_WAIT_MS);
        }
        assembler.clear();
        session.close();
        stats.metrics().close();
    }
}

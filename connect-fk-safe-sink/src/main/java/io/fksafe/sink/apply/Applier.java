package io.fksafe.sink.apply;

import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.SourcePosition;
import io.fksafe.sink.checkpoint.Checkpoint;
import io.fksafe.sink.checkpoint.CheckpointStore;
import io.fksafe.sink.config.FkSafeSinkConfig;
import io.fksafe.sink.dialect.Dialect;
import io.fksafe.sink.dialect.ErrorKind;
import io.fksafe.sink.metadata.MetadataCache;
import io.fksafe.sink.metadata.TableId;
import io.fksafe.sink.metadata.TableMeta;
import io.fksafe.sink.plan.PlannedRow;
import io.fksafe.sink.plan.Planner;
import io.fksafe.sink.plan.RecordRef;

/**
 * The task's engine: buffers planned rows as upstream transactions, applies complete ones in bounded target
 * transactions, and remembers per partition what the target has committed. One thread only (the task's).
 */
public final class Applier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Applier.class);

    private final FkSafeSinkConfig config;
    private final TargetSession session;
    private final MetadataCache metadata = new MetadataCache();
    private final Planner planner = new Planner();
    private final CheckpointStore checkpoints;
    private final UnitAssembler assembler = new UnitAssembler();
    private final BatchApplier batches;
    private final ApplyStats stats;
    private final Map<TopicPartition, Checkpoint> committed = new HashMap<>();
    private boolean checkpointTableReady;
    private ErrantRecordReporter reporter;
    private final java.util.Set<TopicPartition> assigned = new java.util.HashSet<>();
    private boolean stale;
    /** Per partition, the last streamed transaction taken into the buffers: re-emissions inside one backlog. */
    private final Map<TopicPartition, Seen> seen = new HashMap<>();
    private int unitsCommitted;

    public Applier(FkSafeSinkConfig config, String connectorName) {
        this.config = config;
        this.session = new TargetSession(config);
        this.checkpoints = new CheckpointStore(config.checkpointTable, connectorName);
        this.stats = new ApplyStats(config.statsIntervalMs);
        this.batches = new BatchApplier(session, checkpoints, stats, config.statementMaxRows);
    }

    public Map<TopicPartition, Checkpoint> loadCheckpoints(Collection<TopicPartition> partitions) throws SQLException {
        ensureCheckpointTable();
        Map<TopicPartition, Checkpoint> loaded = checkpoints.load(session.connection(), partitions);
        committed.putAll(loaded);
        assigned.addAll(partitions);
        return loaded;
    }

    /**
     * After a failure the in-memory checkpoints may be behind the target (a COMMIT whose answer was lost): re-read
     * them, so redelivered records the target already has are skipped.
     */
    public void refreshIfStale() throws SQLException {
        if (stale && !assigned.isEmpty()) {
            committed.putAll(checkpoints.load(session.connection(), assigned));
            stale = false;
        }
    }

    /** Already in the target by its checkpoint: a redelivery after a failed put or a crash before Kafka's commit. */
    public boolean alreadyCommitted(RecordRef ref) {
        Checkpoint cp = committed.get(ref.topicPartition());
        if (cp != null && ref.offset() < cp.nextOffset()) {
            stats.skippedAlreadyCommitted();
            return true;
        }
        return false;
    }

    public TableMeta table(TableId id) throws SQLException {
        return metadata.get(session.connection(), id);
    }

    public PlannedRow plan(RecordRef ref, ChangeRecord change, TableMeta meta, boolean safe) {
        return planner.plan(ref, change, meta, safe);
    }

    /**
     * A streamed change whose transaction the target's checkpoint — or a transaction already taken in — covers:
     * Debezium re-emitted it after its own restart, under a new Kafka offset. Positions order whole transactions only,
     * so this needs a transaction id (GTIDs or transaction metadata); snapshot reads share positions and never count;
     * and with transaction splitting allowed a checkpoint may sit inside a transaction, so it is off.
     */
    public boolean alreadyApplied(RecordRef ref, ChangeRecord change) {
        SourcePosition at = change.position();
        if (at == null || at.snapshot() || change.txId() == null || config.transactionSplitAllowed) {
            return false;
        }
        TopicPartition tp = ref.topicPartition();
        Checkpoint cp = committed.get(tp);
        Seen last = seen.get(tp);
        boolean duplicate = cp != null && cp.position() != null && !cp.position().snapshot() && at.transactionAtOrBefore(cp.position())
                || last != null && !change.txId().equals(last.txId) && at.transactionAtOrBefore(last.position)
                // inside one transaction only Debezium's total_order (transaction metadata) tells a repeat apart
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

    private record Seen(String txId, SourcePosition position) {
    }

    /** Buffers a change; applies complete transactions as soon as they fill a target transaction. */
    public void add(SinkRecord origin, RecordRef ref, ChangeRecord change, PlannedRow row) throws SQLException {
        assembler.add(ref, change, row, origin);
        if (assembler.openRows() > config.transactionMaxRows || assembler.openBytes() > config.transactionMaxBytes) {
            oversized(ref);
        }
        if (assembler.readyRows() >= config.batchMaxRows || assembler.readyBytes() >= config.batchMaxBytes) {
            applyReady();
        }
    }

    private void oversized(RecordRef ref) {
        String what = "upstream transaction " + assembler.openTxId() + " has grown past " + assembler.openRows()
                + " rows / ~" + assembler.openBytes() + " bytes at record " + ref + ", over '"
                + FkSafeSinkConfig.TRANSACTION_MAX_ROWS + "'=" + config.transactionMaxRows + " / '"
                + FkSafeSinkConfig.TRANSACTION_MAX_BYTES + "'=" + config.transactionMaxBytes;
        if (!config.transactionSplitAllowed) {
            throw new ConnectException(what + ". fksafe applies an upstream transaction atomically, so it stops here. Raise "
                    + "the limits (within the target's: TiDB txn-total-size-limit, default 100 MiB) and the worker's heap, "
                    + "or set '" + FkSafeSinkConfig.TRANSACTION_SPLIT + "'=true to apply it in parts");
        }
        log.warn("{}: splitting it, as '{}'=true; the target sees this transaction in several commits",
                what, FkSafeSinkConfig.TRANSACTION_SPLIT);
        stats.splitTransaction();
        assembler.finishOpen();
    }

    /** Sends one bad record to the dead-letter queue if the user configured one; false if not (the caller stops). */
    public boolean reportErrant(SinkRecord record, Throwable error) {
        if (reporter == null || record == null) {
            return false;
        }
        try {
            reporter.report(record, error).get(); // durable in the DLQ before any offset can pass it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while reporting a record to the dead-letter queue", e);
        } catch (ExecutionException e) {
            throw new ConnectException("could not write record " + RecordRef.of(record) + " to the dead-letter queue", e.getCause());
        }
        stats.addDeadLettered();
        log.warn("record {} sent to the dead-letter queue: {}", RecordRef.of(record), error.getMessage());
        return true;
    }

    public void errantRecordReporter(ErrantRecordReporter reporter) {
        this.reporter = reporter;
    }

    public void addNoop(RecordRef ref) {
        assembler.addNoop(ref);
    }

    public void streamIdle() {
        assembler.streamIdle();
    }

    public void finishOpen() {
        assembler.finishOpen();
    }

    /** Applies every complete transaction, packed into target transactions within the batch limits. */
    public void applyReady() throws SQLException {
        if (!assembler.hasReady()) {
            return;
        }
        ensureCheckpointTable();
        while (assembler.hasReady()) {
            List<Unit> batch = assembler.takeBatch(config.batchMaxRows, config.batchMaxBytes);
            applyBatch(batch);
            unitsCommitted += batch.size();
        }
    }

    private void applyBatch(List<Unit> batch) throws SQLException {
        while (true) {
            try {
                committed.putAll(batches.apply(batch, committed));
                return;
            } catch (CommitOutcomeUnknown e) {
                if (!landed(e)) {
                    throw e.sqlCause(); // rolled back by the server: retried like any transient failure
                }
                committed.putAll(e.expected);
                return;
            } catch (ApplyException e) {
                if (!deadLetterable(e.kind()) || !reportErrant(originOf(batch, e), e)) {
                    throw e;
                }
                dropRow(batch, e); // everything was rolled back: apply the batch again without the bad row
            }
        }
    }

    /** Asks the target, on a fresh connection, whether the transaction whose COMMIT failed is in. Never guesses. */
    private boolean landed(CommitOutcomeUnknown e) throws SQLException {
        Map<TopicPartition, Checkpoint> now = checkpoints.load(session.connection(), e.expected.keySet());
        boolean landed = true;
        for (Map.Entry<TopicPartition, Checkpoint> x : e.expected.entrySet()) {
            Checkpoint cp = now.get(x.getKey());
            landed &= cp != null && cp.nextOffset() == x.getValue().nextOffset();
        }
        log.warn("the connection failed during COMMIT ({}); the target's checkpoint shows the transaction {}",
                e.sqlCause().getMessage(), landed ? "landed" : "did not land and will be retried");
        if (landed) {
            stats.committedAfterUnknownOutcome();
        }
        return landed;
    }

    /** Bad input may go to a DLQ; FK violations never do: they mean lost order, not a bad record. */
    private static boolean deadLetterable(ErrorKind kind) {
        return kind == ErrorKind.DATA || kind == ErrorKind.SCHEMA || kind == ErrorKind.TOO_LARGE;
    }

    private static SinkRecord originOf(List<Unit> batch, ApplyException e) {
        for (Unit u : batch) {
            SinkRecord r = u.originOf(e.row());
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private static void dropRow(List<Unit> batch, ApplyException e) {
        for (Unit u : batch) {
            u.dropRow(e.row());
        }
    }

    public Checkpoint committed(TopicPartition tp) {
        return committed.get(tp);
    }

    public Mark mark() {
        return new Mark(assembler.mark(), unitsCommitted);
    }

    /** Undoes what was buffered since {@code mark}, keeping what reached the target meanwhile. */
    public void restore(Mark mark) {
        assembler.restore(mark.buffered, unitsCommitted - mark.unitsCommitted);
        seen.clear(); // it may name records that were just dropped and will be redelivered
    }

    public void discardBuffered() {
        assembler.clear();
        seen.clear();
    }

    public void forgetPartitions(Collection<TopicPartition> partitions) {
        committed.keySet().removeAll(partitions);
        assigned.removeAll(partitions);
        seen.keySet().removeAll(partitions);
    }

    public void forgetMetadata() {
        metadata.invalidateAll();
        planner.forgetAll();
        batches.forgetStatements();
    }

    public ErrorKind classify(SQLException e) {
        return Dialect.generic().classify(e);
    }

    /** After any failure: the next statement opens a fresh connection, and checkpoints are re-read. */
    public void dropConnection() {
        session.close();
        stale = true;
    }

    public ApplyStats stats() {
        return stats;
    }

    /** For fault-injection tests only. */
    public void faultHook(FaultPoint.Hook hook) {
        batches.faults = hook;
    }

    private void ensureCheckpointTable() throws SQLException {
        if (!checkpointTableReady) {
            checkpoints.ensureTable(session.connection());
            checkpointTableReady = true;
        }
    }

    @Override
    public void close() {
        assembler.clear();
        session.close();
    }

    public static final class Mark {
        private final UnitAssembler.Mark buffered;
        private final int unitsCommitted;

        private Mark(UnitAssembler.Mark buffered, int unitsCommitted) {
            this.buffered = buffered;
            this.unitsCommitted = unitsCommitted;
        }
    }
}

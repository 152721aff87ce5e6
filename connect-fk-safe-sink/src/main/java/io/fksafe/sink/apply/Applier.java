package io.fksafe.sink.apply;

import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.checkpoint.Checkpoint;
import io.fksafe.sink.checkpoint.CheckpointStore;
import io.fksafe.sink.checkpoint.ReplayWindowStore;
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

    private final FkSafeSinkConfig config;
    private final TargetSession session;
    private final MetadataCache metadata = new MetadataCache();
    private final Planner planner = new Planner();
    private final CheckpointStore checkpoints;
    private final UnitAssembler assembler = new UnitAssembler();
    private final BatchApplier batches;
    private final ApplyStats stats;
    private final Map<TopicPartition, Checkpoint> committed = new HashMap<>();
    private final ReplayWindows replayWindows;
    private boolean checkpointTableReady;
    private int unitsCommitted;

    public Applier(FkSafeSinkConfig config, String connectorName) {
        this.config = config;
        this.session = new TargetSession(config);
        this.checkpoints = new CheckpointStore(config.checkpointTable, connectorName);
        this.replayWindows = new ReplayWindows(new ReplayWindowStore(config.checkpointTable, connectorName));
        this.stats = new ApplyStats(config.statsIntervalMs);
        this.batches = new BatchApplier(session, checkpoints, stats, config.statementMaxRows);
    }

    public Map<TopicPartition, Checkpoint> loadCheckpoints(Collection<TopicPartition> partitions) throws SQLException {
        ensureCheckpointTable();
        Map<TopicPartition, Checkpoint> loaded = checkpoints.load(session.connection(), partitions);
        committed.putAll(loaded);
        replayWindows.load(session.connection(), partitions);
        return loaded;
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
        TableMeta meta = metadata.get(session.connection(), id);
        replayWindows.touched(meta);
        return meta;
    }

    /** Inside the replay window of a REST offset rewind: possibly in the target already, so applied in safe mode. */
    public boolean inReplayWindow(RecordRef ref) {
        return replayWindows.covers(ref);
    }

    public PlannedRow plan(RecordRef ref, ChangeRecord change, TableMeta meta, boolean safe) {
        return planner.plan(ref, change, meta, safe);
    }

    /** Buffers a change; applies complete transactions as soon as they fill a target transaction. */
    public void add(RecordRef ref, ChangeRecord change, PlannedRow row) throws SQLException {
        assembler.add(ref, change, row);
        if (assembler.readyRows() >= config.batchMaxRows || assembler.readyBytes() >= config.batchMaxBytes) {
            applyReady();
        }
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
            committed.putAll(batches.apply(batch, committed));
            unitsCommitted += batch.size();
        }
        if (replayWindows.anyOpen()) {
            replayWindows.closePassed(session.connection(), committed);
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
    }

    public void discardBuffered() {
        assembler.clear();
    }

    public void forgetPartitions(Collection<TopicPartition> partitions) {
        committed.keySet().removeAll(partitions);
        replayWindows.forget(partitions);
    }

    public void forgetMetadata() {
        metadata.invalidateAll();
        planner.forgetAll();
        batches.forgetStatements();
    }

    public ErrorKind classify(SQLException e) {
        return Dialect.generic().classify(e);
    }

    /** After any failure: the next statement opens a fresh connection. */
    public void dropConnection() {
        session.close();
    }

    public ApplyStats stats() {
        return stats;
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

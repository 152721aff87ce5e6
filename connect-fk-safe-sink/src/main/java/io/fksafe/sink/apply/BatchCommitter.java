package io.fksafe.sink.apply;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.sink.checkpoint.Checkpoint;
import io.fksafe.sink.checkpoint.CheckpointStore;
import io.fksafe.sink.config.FkSafeSinkConfig;
import io.fksafe.sink.dialect.ErrorKind;
import io.fksafe.sink.target.TargetSession;

/**
 * Gets complete upstream transactions into the target, whatever the target answers: a lost COMMIT settled by reading
 * the checkpoint, one retry after a schema error, a batch too large applied in smaller pieces, a bad row taken out to
 * the dead-letter queue. Counts the target transactions committed: the task's measure of progress between failures.
 */
final class BatchCommitter {

    private static final Logger log = LoggerFactory.getLogger(BatchCommitter.class);

    private final FkSafeSinkConfig config;
    private final TargetSession session;
    private final CheckpointStore checkpoints;
    private final BatchApplier batches;
    private final DeadLetters deadLetters;
    private final ApplyStats stats;
    /** The task's committed checkpoints per partition (the Applier's map, updated here). */
    private final Map<TopicPartition, Checkpoint> committed;
    /** Drops the connection and marks the checkpoints for a re-read. */
    private final Runnable dropConnection;

    private boolean schemaRetried;
    private int commits;

    BatchCommitter(
            FkSafeSinkConfig config,
            TargetSession session,
            CheckpointStore checkpoints,
            BatchApplier batches,
            DeadLetters deadLetters,
            ApplyStats stats,
            Map<TopicPartition, Checkpoint> committed,
            Runnable dropConnection) {
        this.config = config;
        this.session = session;
        this.checkpoints = checkpoints;
        this.batches = batches;
        this.deadLetters = deadLetters;
        this.stats = stats;
        this.committed = committed;
        this.dropConnection = dropConnection;
    }

    int commits() {
        return commits;
    }

    /** Commits {@code batch}, counting its units as committed; {@code rowByRow}: one row per statement. */
    void apply(List<Unit> batch, boolean rowByRow) throws SQLException {
        while (true) {
            try {
                committed.putAll(batches.apply(batch, committed, rowByRow));
                commits++;
                schemaRetried = false;
                return;
            } catch (CommitOutcomeUnknown e) {
                if (!landed(e)) {
                    throw e.sqlCause(); // rolled back by the server: retried like any transient failure
                }
                committed.putAll(e.expected);
                commits++;
                return;
            } catch (ApplyException e) {
                if (e.kind() == ErrorKind.SCHEMA && !schemaRetried && e.getCause() instanceof SQLException s) {
                    // likely a concurrent DDL on the target made the cached metadata wrong: the task refreshes it
                    // and retries once before blaming the row
                    schemaRetried = true;
                    throw s;
                }
                if (e.kind() == ErrorKind.STATEMENT_TOO_LARGE || e.kind() == ErrorKind.TRANSACTION_TOO_LARGE) {
                    applySmaller(batch, rowByRow, e);
                    return;
                }
                if (!deadLetters.takeOut(batch, e)) {
                    throw e;
                } // everything was rolled back: apply the batch again without the bad row
            }
        }
    }

    /**
     * The batch was too large for the target as a whole, through no single row (that would be ROW_TOO_LARGE): apply
     * it in two halves, then a lone upstream transaction one row per statement; one that still does not fit stops
     * the task, or, with 'transaction.split.allowed', is applied in parts.
     */
    private void applySmaller(List<Unit> batch, boolean rowByRow, ApplyException e) throws SQLException {
        dropConnection.run(); // 1153 closes it; a fresh one is the only state we trust after an error
        if (batch.size() > 1) {
            log.info(
                    "{} upstream transactions were too large for one target transaction ({}); applying them in two halves",
                    batch.size(),
                    e.getCause().getMessage());
            int half = batch.size() / 2;
            apply(batch.subList(0, half), rowByRow);
            apply(batch.subList(half, batch.size()), rowByRow);
            return;
        }
        Unit unit = batch.get(0);
        if (!rowByRow) {
            log.info(
                    "upstream transaction {} did not fit the target in multi-row statements ({}); one row per statement",
                    unit.txId,
                    e.getCause().getMessage());
            apply(batch, true);
            return;
        }
        String what = "upstream transaction " + unit.txId + " (" + unit.rowCount() + " rows, records " + unit.span()
                + ") is too large for one target transaction even one row per statement: "
                + e.getCause().getMessage();
        if (!config.transactionSplitAllowed) {
            throw new ConnectException(
                    what + ". fksafe applies an upstream transaction atomically, so it stops here. "
                            + "Raise the target's limit (TiDB txn-total-size-limit; max_binlog_cache_size), or set '"
                            + FkSafeSinkConfig.TRANSACTION_SPLIT + "'=true to apply it in parts",
                    e);
        }
        log.warn(
                "{}: splitting it, as '{}'=true; the target sees this transaction in several commits",
                what,
                FkSafeSinkConfig.TRANSACTION_SPLIT);
        stats.splitTransaction();
        for (Unit part : unit.halves()) {
            apply(List.of(part), true);
        }
    }

    /**
     * Asks the target, on a fresh connection, whether the transaction whose COMMIT failed is in. A plain read could
     * run before the server finishes a COMMIT still in flight and wrongly say no; the locking read waits until that
     * transaction has committed or rolled back (the server rolls it back when it sees the connection gone), so the
     * answer is its outcome. If the wait times out, this throws and the put is retried: nothing is assumed.
     */
    private boolean landed(CommitOutcomeUnknown e) throws SQLException {
        Map<TopicPartition, Checkpoint> now =
                checkpoints.loadAfterOthersFinish(session.connection(), e.expected.keySet());
        boolean landed = true;
        for (Map.Entry<TopicPartition, Checkpoint> x : e.expected.entrySet()) {
            Checkpoint cp = now.get(x.getKey());
            landed &= cp != null && cp.nextOffset() == x.getValue().nextOffset();
        }
        log.warn(
                "the connection failed during COMMIT ({}); the target's checkpoint shows the transaction {}",
                e.sqlCause().getMessage(),
                landed ? "landed" : "did not land and will be retried");
        if (landed) {
            stats.committedAfterUnknownOutcome();
        }
        return landed;
    }
}

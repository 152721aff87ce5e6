package io.fksafe.sink.apply;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.fksafe.sink.checkpoint.Checkpoint;
import io.fksafe.sink.checkpoint.CheckpointStore;
import io.fksafe.sink.dialect.Dialect;
import io.fksafe.sink.dialect.ErrorKind;
import io.fksafe.sink.plan.PlannedRow;
import io.fksafe.sink.plan.RowOp;
import io.fksafe.sink.target.FaultPoint;
import io.fksafe.sink.target.TargetSession;

/**
 * Applies whole upstream transactions in one target transaction, rows of one table and statement kind batched into
 * multi-row statements in the order {@link StatementPacker} proves equivalent to arrival order, and the checkpoint
 * written last in the same transaction. Any failure rolls everything back; the caller decides about retrying.
 */
final class BatchApplier {

    private final TargetSession session;
    private final CheckpointStore checkpoints;
    private final ApplyStats stats;
    private final int statementMaxRows;
    private final StatementPacker packer;
    private StatementRunner runner;
    private final FaultPoint.Hook faults;
    private SafeModeResolver resolver;
    private Dialect dialect;

    BatchApplier(
            TargetSession session,
            CheckpointStore checkpoints,
            ApplyStats stats,
            int statementMaxRows,
            FaultPoint.Hook faults,
            StatementPacker packer) {
        this.session = session;
        this.checkpoints = checkpoints;
        this.stats = stats;
        this.statementMaxRows = statementMaxRows;
        this.faults = faults;
        this.packer = packer;
    }

    /**
     * Returns the checkpoints now committed (merged into {@code committed} by the caller). {@code rowByRow}: one row
     * per statement, for units whose multi-row statements were too large for the target.
     */
    Map<TopicPartition, Checkpoint> apply(List<Unit> units, Map<TopicPartition, Checkpoint> committed, boolean rowByRow)
            throws SQLException, CommitOutcomeUnknown {
        long started = System.nanoTime();
        prepare();
        List<PlannedRow> rows = new ArrayList<>();
        Map<TopicPartition, Checkpoint> next = new HashMap<>();
        for (Unit u : units) {
            u.forEachRow(r -> {
                Checkpoint done = committed.get(r.ref().topicPartition());
                if (done == null || r.ref().offset() >= done.nextOffset()) {
                    rows.add(r); // below the checkpoint it is in the target already (a unit retried after a part of it)
                }
            });
            u.checkpoints(next);
        }
        next.replaceAll((tp, cp) -> cp.position() != null || !committed.containsKey(tp)
                ? cp
                : new Checkpoint(cp.nextOffset(), committed.get(tp).position()));
        try {
            faults.at(FaultPoint.BEFORE_FIRST_STATEMENT);
            long statementsBefore = runner.statements;
            if (rowByRow) { // strict arrival order: packing would save no statement here
                for (PlannedRow r : rows) {
                    runGroup(List.of(r), rows.size());
                }
            } else {
                for (List<PlannedRow> group : packer.groups(rows)) {
                    runGroup(group, rows.size());
                }
            }
            stats.statementsRun(runner.statements - statementsBefore);
            session.foreignKeyChecks(true);
            checkpoints.write(session.connection(), dialect, next);
            faults.at(FaultPoint.BEFORE_COMMIT);
        } catch (SQLException | RuntimeException e) {
            session.rollbackQuietly();
            throw e;
        }
        try {
            session.connection().commit();
        } catch (SQLException e) {
            session.close();
            throw new CommitOutcomeUnknown(e, next);
        }
        stats.committed(units, rows.size(), started);
        return next;
    }

    /** {@code transactionRows}: how many rows the target transaction holds, to tell whose fault "too large" is. */
    private void runGroup(List<PlannedRow> group, int transactionRows) throws SQLException {
        PlannedRow first = group.get(0);
        session.foreignKeyChecks(first.fkChecks());
        if (first.safe()) {
            runSafe(group, transactionRows);
            return;
        }
        try {
            switch (first.op()) {
                case UPSERT -> runner.upsert(group);
                case DELETE -> runner.delete(group);
                case KEY_UPDATE -> {
                    for (PlannedRow r : group) {
                        if (runner.keyUpdate(r) == 0) {
                            throw new ApplyException(
                                    r,
                                    "the row to re-key is not in the target: the target has diverged "
                                            + "from the source. If this is a replay of changes the target already has, apply it with "
                                            + "'safe.mode'='always'",
                                    null);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            ErrorKind kind = dialect.classify(e);
            if (kind == ErrorKind.TRANSIENT) {
                throw e; // the task retries the whole transaction on a fresh connection
            }
            throwIfTooLarge(group, e, kind, transactionRows);
            throw ApplyException.forStatement(group, culprit(group, e), e, kind);
        }
    }

    /**
     * A one-row statement, or a one-row transaction, is too large because of its row; otherwise no row is to blame
     * (and 1153 closed the connection, so re-running rows singly to find one would prove nothing).
     */
    private static void throwIfTooLarge(List<PlannedRow> group, SQLException e, ErrorKind kind, int transactionRows) {
        if (kind == ErrorKind.STATEMENT_TOO_LARGE || kind == ErrorKind.TRANSACTION_TOO_LARGE) {
            boolean rowAlone = group.size() == 1 && (kind == ErrorKind.STATEMENT_TOO_LARGE || transactionRows == 1);
            throw ApplyException.forStatement(group, group.get(0), e, rowAlone ? ErrorKind.ROW_TOO_LARGE : kind);
        }
    }

    private void runSafe(List<PlannedRow> group, int transactionRows) throws SQLException {
        PlannedRow first = group.get(0);
        if (first.op() == RowOp.KEY_UPDATE) {
            resolver.applyOneByOne(group);
            return;
        }
        try {
            if (first.op() == RowOp.UPSERT) {
                runner.upsert(group);
            } else {
                runner.delete(group);
            }
        } catch (SQLException e) {
            ErrorKind kind = dialect.classify(e);
            if (kind != ErrorKind.FK_PARENT_MISSING
                    && kind != ErrorKind.FK_CHILD_EXISTS
                    && kind != ErrorKind.DUPLICATE_KEY) {
                throwIfTooLarge(group, e, kind, transactionRows);
                throw e;
            }
            // The failed statement was rolled back on its own; the transaction is still open, so resolve row by row.
            resolver.applyOneByOne(group);
        }
    }

    /**
     * Which row of a failed multi-row statement is to blame: re-run them singly (the failed statement left nothing
     * behind) until one fails. Only for the error message; the transaction is rolled back afterwards.
     */
    private PlannedRow culprit(List<PlannedRow> group, SQLException original) {
        if (group.size() == 1 || dialect.classify(original) == ErrorKind.TRANSIENT) {
            return group.get(0);
        }
        try {
            for (PlannedRow r : group) {
                try {
                    switch (r.op()) {
                        case UPSERT -> runner.upsertOne(r, r.values());
                        case DELETE -> runner.delete(List.of(r));
                        case KEY_UPDATE -> runner.keyUpdate(r);
                    }
                } catch (SQLException e) {
                    return r;
                }
            }
        } catch (RuntimeException ignored) {
            // fall through to the first row
        }
        return group.get(0);
    }

    private void prepare() throws SQLException {
        Dialect current = session.dialect();
        if (current != dialect || runner == null) { // a new connection may have brought a new dialect instance
            dialect = current;
            runner = new StatementRunner(session, statementMaxRows);
            resolver = new SafeModeResolver(runner, dialect, stats);
        }
    }

    void forgetStatements() {
        packer.forget();
        if (runner != null) {
            runner.forgetSql();
        }
    }
}

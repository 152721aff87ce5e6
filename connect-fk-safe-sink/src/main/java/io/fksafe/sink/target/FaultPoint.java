package io.fksafe.sink.target;

import java.sql.SQLException;

/**
 * Named points in the work on the target where tests inject faults (kill the connection, throw, crash) to prove that
 * no failure moves a checkpoint or an offset past an unapplied row. The hook is handed to the task's constructor; the
 * one the worker gets, {@link #NONE}, does nothing.
 */
public enum FaultPoint {
    /** The transaction is about to get its first statement (the point of tiflow #12626's failed BEGIN). */
    BEFORE_FIRST_STATEMENT,
    /** Rows and checkpoint are written, COMMIT is next. */
    BEFORE_COMMIT,
    /** A schema change's intent is committed in the DDL journal; the statement has not run. */
    AFTER_DDL_INTENT,
    /** The schema change ran (and committed implicitly); it is not marked done and the checkpoint has not moved. */
    AFTER_DDL;

    @FunctionalInterface
    public interface Hook {
        void at(FaultPoint point) throws SQLException;
    }

    public static final Hook NONE = point -> {};
}

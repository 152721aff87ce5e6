package io.fksafe.sink.target;

import java.sql.SQLException;

/**
 * Named points in a target transaction where tests inject faults (kill the connection, throw) to prove that no
 * failure moves a checkpoint or an offset past an unapplied row. The production hook does nothing.
 */
public enum FaultPoint {
    /** The transaction is about to get its first statement (the point of tiflow #12626's failed BEGIN). */
    BEFORE_FIRST_STATEMENT,
    /** Rows and checkpoint are written, COMMIT is next. */
    BEFORE_COMMIT;

    @FunctionalInterface
    public interface Hook {
        void at(FaultPoint point) throws SQLException;
    }

    public static final Hook NONE = point -> { };
}

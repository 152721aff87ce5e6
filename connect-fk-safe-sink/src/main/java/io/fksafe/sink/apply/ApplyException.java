package io.fksafe.sink.apply;

import java.sql.SQLException;
import java.util.List;

import org.apache.kafka.connect.errors.ConnectException;

import io.fksafe.sink.dialect.ErrorKind;
import io.fksafe.sink.plan.PlannedRow;

/** A change the target refused, named by record, table and cause, with what the user can do about it. */
public final class ApplyException extends ConnectException {

    private final transient PlannedRow row;
    private final ErrorKind kind;

    ApplyException(PlannedRow row, String message, Throwable cause) {
        this(row, message, cause, ErrorKind.OTHER);
    }

    private ApplyException(PlannedRow row, String message, Throwable cause, ErrorKind kind) {
        super("failed to apply " + row.describe() + ": " + message, cause);
        this.row = row;
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public PlannedRow row() {
        return row;
    }

    /**
     * A text value carrying U+FFFD was most likely decoded with a replacement by the source connector: Debezium reads
     * a latin1 column with Java's cp1252, which leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined, so those bytes are
     * gone before Kafka. Returns the explanation naming the column, or null if no value has the character.
     */
    static String lostAtCapture(PlannedRow row) {
        for (int i = 0; i < row.values().length; i++) {
            if (row.values()[i] instanceof String s && s.indexOf('\uFFFD') >= 0) {
                return "column '" + row.columns().get(i)
                        + "' holds U+FFFD (the replacement character) where the source "
                        + "has bytes its character set defines but the source connector could not decode: typically a "
                        + "latin1 column holding 0x81, 0x8D, 0x8F, 0x90 or 0x9D, which Java's cp1252 leaves undefined. The "
                        + "original bytes were lost at capture, before Kafka, and no sink setting brings them back. See "
                        + "docs/deploy.md, 'Data fidelity': convert the source column to utf8mb4 (or VARBINARY), make the "
                        + "target column accept this record, then copy the affected rows from the source";
            }
        }
        return null;
    }

    static ApplyException forStatement(List<PlannedRow> group, PlannedRow culprit, SQLException e, ErrorKind kind) {
        String cause = "[" + e.getErrorCode() + "/" + e.getSQLState() + "] " + e.getMessage();
        String fix = switch (kind) {
            case FK_PARENT_MISSING ->
                "the parent row is not in the target. fksafe stops rather than drop a row: make sure "
                        + "every table of the source database is captured into this one single-partition topic, or, if this is a "
                        + "replay onto a target that already holds later changes, replay with 'safe.mode'='always'";
            case FK_CHILD_EXISTS ->
                "the target still has child rows the source did not have. If this is a replay onto a "
                        + "target that is ahead, replay with 'safe.mode'='always'; otherwise the target has rows the source never had";
            case DUPLICATE_KEY ->
                "a unique key value is taken by another row in the target: the target has diverged, or "
                        + "this is a replay (use 'safe.mode'='always')";
            case SCHEMA ->
                "the target table or column is missing or different: create or alter it to match the source "
                        + "(or map the source table elsewhere with 'table.mapping')";
            case DATA ->
                lostAtCapture(culprit) != null
                        ? lostAtCapture(culprit)
                        : "the value does not fit the target column: make the target column's type match the source's";
            case ROW_TOO_LARGE ->
                "this row alone exceeds a target limit (TiDB txn-entry-size-limit, 6 MiB per row by "
                        + "default; the row size limit of the table's storage engine; max_allowed_packet for one statement): "
                        + "raise the target's limit";
            case STATEMENT_TOO_LARGE, TRANSACTION_TOO_LARGE ->
                "the statement or the target transaction exceeds a target "
                        + "limit (max_allowed_packet; TiDB txn-total-size-limit; max_binlog_cache_size): raise the limit, or "
                        + "lower 'batch.max.bytes' and 'statement.max.rows'";
            case TRANSIENT -> "the target was unreachable or busy; retries are exhausted";
            case OTHER -> "see the database error";
        };
        String where = group.size() > 1
                ? " (in a " + group.size() + "-row statement, records from offset "
                        + group.get(0).ref().offset() + " to "
                        + group.get(group.size() - 1).ref().offset() + ")"
                : "";
        return new ApplyException(culprit, cause + where + ". Fix: " + fix, e, kind);
    }
}

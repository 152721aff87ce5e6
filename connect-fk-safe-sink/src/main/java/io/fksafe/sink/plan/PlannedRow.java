package io.fksafe.sink.plan;

import java.util.List;

import io.fksafe.sink.metadata.TableMeta;
import io.fksafe.sink.record.RecordRef;

/**
 * One row change ready to bind: the target table, the statement kind, values aligned with {@code columns}, and the
 * values of {@code keyColumns} that find the row ({@code key}: for a key update, the old key). {@code keyColumns} is
 * the primary key, else a unique NOT NULL key; for a keyless table it is the whole row image ({@code byRowImage}),
 * matched null-safely, one row at a time.
 */
public record PlannedRow(
        RecordRef ref,
        String sourceDatabase,
        String sourceTable,
        TableMeta table,
        RowOp op,
        boolean fkChecks,
        boolean safe,
        List<String> columns,
        Object[] values,
        List<String> keyColumns,
        boolean byRowImage,
        Object[] key,
        int bytes) {

    /** Rows that can share one multi-row statement. Column lists are shared per layout, so identity is enough. */
    public boolean sameStatementAs(PlannedRow o) {
        return table == o.table
                && op == o.op
                && fkChecks == o.fkChecks
                && safe == o.safe
                && columns == o.columns
                && keyColumns == o.keyColumns
                && !byRowImage;
    }

    /** The source table, {@code db.table}: for messages only, so not kept per row. */
    public String source() {
        return sourceDatabase + "." + sourceTable;
    }

    public String describe() {
        return ref + " (" + op.name().toLowerCase(java.util.Locale.ROOT) + " " + source() + " -> " + table.id()
                + " key " + java.util.Arrays.toString(key) + ")";
    }
}

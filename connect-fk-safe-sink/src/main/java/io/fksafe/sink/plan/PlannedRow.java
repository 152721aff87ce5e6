package io.fksafe.sink.plan;

import java.util.List;

import io.fksafe.sink.metadata.TableMeta;

/**
 * One row change ready to bind: the target table, the statement kind, values aligned with {@code columns}, and the
 * primary-key values that find the row ({@code key}: for a key update, the old key).
 */
public record PlannedRow(RecordRef ref, String source, TableMeta table, RowOp op, boolean fkChecks, boolean safe,
                         List<String> columns, Object[] values, Object[] key, int bytes) {

    /** Rows that can share one multi-row statement. {@code columns} is shared per layout, so identity is enough. */
    public boolean sameStatementAs(PlannedRow o) {
        return table == o.table && op == o.op && fkChecks == o.fkChecks && safe == o.safe && columns == o.columns;
    }

    public String describe() {
        return ref + " (" + op.name().toLowerCase(java.util.Locale.ROOT) + " " + source + " -> " + table.id()
                + " key " + java.util.Arrays.toString(key) + ")";
    }
}

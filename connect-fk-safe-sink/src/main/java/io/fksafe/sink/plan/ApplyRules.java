package io.fksafe.sink.plan;

import io.fksafe.change.Op;

/**
 * The apply table of docs/design.md in one place.
 *
 * <pre>
 * change               normal                         safe mode (replay)                         snapshot read
 * insert               upsert (never REPLACE)         same                                       upsert, FK checks off
 * update, same key     upsert (never DELETE+insert)   upsert                                     -
 * update, key changed  UPDATE SET pk=new WHERE pk=old same; if the old row is gone, upsert new    -
 * delete               DELETE WHERE pk                same; 0 rows is fine                       -
 * </pre>
 *
 * In safe mode FK conflicts are resolved by {@code io.fksafe.sink.apply.SafeModeResolver}; in normal mode they stop the task.
 */
public final class ApplyRules {

    private ApplyRules() {}

    public static RowOp statementFor(Op op) {
        return switch (op) {
            case INSERT, UPDATE, READ -> RowOp.UPSERT;
            case KEY_UPDATE -> RowOp.KEY_UPDATE;
            case DELETE -> RowOp.DELETE;
            default -> throw new IllegalArgumentException(op.wireName() + " is not a row change");
        };
    }

    /** Snapshot reads arrive table by table, parents possibly after children: only they run with FK checks off. */
    public static boolean foreignKeyChecks(Op op) {
        return op != Op.READ;
    }
}

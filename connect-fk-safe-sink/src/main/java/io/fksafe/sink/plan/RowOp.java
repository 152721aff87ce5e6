package io.fksafe.sink.plan;

/** The statement a row change becomes. */
public enum RowOp {
    /** INSERT ... ON DUPLICATE KEY UPDATE. */
    UPSERT,
    /** UPDATE ... SET pk = new ... WHERE pk = old. */
    KEY_UPDATE,
    /** DELETE ... WHERE pk. */
    DELETE
}

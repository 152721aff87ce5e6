package io.fksafe.sink.dialect;

/** What a target error means for the apply loop. */
public enum ErrorKind {
    /** Retry with backoff on a fresh connection: the same statements can succeed later. */
    TRANSIENT,
    /** 1452: the row points at a parent the target does not have. */
    FK_PARENT_MISSING,
    /** 1451: the row is a parent the target still has children of. */
    FK_CHILD_EXISTS,
    /** 1062: a primary or unique key value is already taken. */
    DUPLICATE_KEY,
    /** Unknown table, column or database: refresh metadata; the user must fix the target schema. */
    SCHEMA,
    /** The value does not fit the column (out of range, bad value, too long, NULL into NOT NULL). */
    DATA,
    /** One row exceeds a target limit on its own (TiDB 8025 txn-entry-size-limit, 1118 row size): that row is the problem. */
    ROW_TOO_LARGE,
    /**
     * 1153: the statement exceeds max_allowed_packet. Not any one row's fault while it holds several rows: smaller
     * statements fit. The server drops the connection with it.
     */
    STATEMENT_TOO_LARGE,
    /** TiDB 8004 txn-total-size-limit, 1197 max_binlog_cache_size: the target transaction as a whole; smaller ones fit. */
    TRANSACTION_TOO_LARGE,
    /** Anything else: not retried. */
    OTHER
}

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
    /** The row or the transaction exceeds a target limit (TiDB txn-entry-size-limit / txn-total-size-limit, max_allowed_packet). */
    TOO_LARGE,
    /** Anything else: not retried. */
    OTHER
}

package io.fksafe.sink.dialect;

/**
 * Every vendor error code fksafe acts on, by the name the server's manual gives it. What a code means for the apply
 * loop is decided by the dialect of the target ({@link Dialect#classify}); everything else asks the dialect, never a
 * local copy of these numbers. MySQL and MariaDB share the codes below 2000; TiDB returns them too, and adds its own
 * 8000 and 9000 ranges, which neither MySQL nor MariaDB uses.
 */
public final class ErrorCodes {

    private ErrorCodes() {}

    // --- MySQL and MariaDB (and TiDB, which imitates them) ---

    /** A CREATE or ALTER failed; with InnoDB errno 150 a foreign key's other table is missing or does not match. */
    public static final int ER_CANT_CREATE_TABLE = 1005;
    /** NULL into a NOT NULL column: the value does not fit. */
    public static final int ER_BAD_NULL_ERROR = 1048;
    /** Unknown database. */
    public static final int ER_BAD_DB_ERROR = 1049;
    /** The server is shutting down: a fresh connection later may find it up. */
    public static final int ER_SERVER_SHUTDOWN = 1053;
    /** Unknown column. */
    public static final int ER_BAD_FIELD_ERROR = 1054;
    /** A primary or unique key value is taken. */
    public static final int ER_DUP_ENTRY = 1062;
    /** Unknown table (in a multi-table statement). */
    public static final int ER_UNKNOWN_TABLE = 1109;
    /** The row is over the storage engine's row size limit: that row alone is too large. */
    public static final int ER_TOO_BIG_ROWSIZE = 1118;
    /** No such table. */
    public static final int ER_NO_SUCH_TABLE = 1146;
    /** The statement is over max_allowed_packet; the server drops the connection with it. */
    public static final int ER_NET_PACKET_TOO_LARGE = 1153;
    /** The transaction is over max_binlog_cache_size: the transaction as a whole, not one row. */
    public static final int ER_TRANS_CACHE_FULL = 1197;
    /** innodb_lock_wait_timeout passed: another transaction holds the row; the same statements can succeed later. */
    public static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    /** Chosen as a deadlock victim and rolled back: retrying the whole transaction is what the server asks for. */
    public static final int ER_LOCK_DEADLOCK = 1213;
    /** A foreign key cannot be created (its parent table or index is missing). */
    public static final int ER_CANNOT_ADD_FOREIGN = 1215;
    /** Older spelling of {@link #ER_NO_REFERENCED_ROW_2}. */
    public static final int ER_NO_REFERENCED_ROW = 1216;
    /** Older spelling of {@link #ER_ROW_IS_REFERENCED_2}. */
    public static final int ER_ROW_IS_REFERENCED = 1217;
    /** Numeric value out of range. */
    public static final int ER_WARN_DATA_OUT_OF_RANGE = 1264;
    /** Data truncated (strict mode makes it an error). */
    public static final int WARN_DATA_TRUNCATED = 1265;
    /** Incorrect value, e.g. an impossible date. */
    public static final int ER_TRUNCATED_WRONG_VALUE = 1292;
    /** Incorrect value for the column, e.g. characters its character set cannot hold. */
    public static final int ER_TRUNCATED_WRONG_VALUE_FOR_FIELD = 1366;
    /** Illegal value for the column's type. */
    public static final int ER_ILLEGAL_VALUE_FOR_TYPE = 1367;
    /** A value longer than the column allows. */
    public static final int ER_DATA_TOO_LONG = 1406;
    /** The row is a parent the target still has children of (a delete or key change it would orphan). */
    public static final int ER_ROW_IS_REFERENCED_2 = 1451;
    /** The row points at a parent the target does not have. */
    public static final int ER_NO_REFERENCED_ROW_2 = 1452;
    /** An FK cascade would make a duplicate key in the child table. */
    public static final int ER_FOREIGN_DUPLICATE_KEY = 1557;
    /** {@link #ER_DUP_ENTRY} naming the key. */
    public static final int ER_DUP_ENTRY_WITH_KEY_NAME = 1586;
    /** An FK cascade would make a duplicate key in the named child table. */
    public static final int ER_FOREIGN_DUPLICATE_KEY_WITH_CHILD_INFO = 1761;
    /** An FK cascade would make a duplicate key in a child table it does not name. */
    public static final int ER_FOREIGN_DUPLICATE_KEY_WITHOUT_CHILD_INFO = 1762;
    /** A foreign key's parent table cannot be opened (it does not exist). */
    public static final int ER_FK_CANNOT_OPEN_PARENT = 1824;

    // --- MariaDB only ---

    /** MariaDB: the connection was killed (KILL CONNECTION, or the server's timeouts); a fresh one works. */
    public static final int ER_CONNECTION_KILLED = 1927;
    /** MariaDB: a CHECK constraint failed: the value does not fit. */
    public static final int ER_CONSTRAINT_FAILED = 4025;

    // --- MySQL only ---

    /** MySQL: the value is not valid JSON for a JSON column. */
    public static final int ER_INVALID_JSON_TEXT = 3140;
    /** MySQL 8: a table cannot be dropped while a foreign key still references it. */
    public static final int ER_FK_CANNOT_DROP_PARENT = 3730;

    // --- client side (both drivers report the server's connection loss with these) ---

    /** The server has gone away. */
    public static final int CR_SERVER_GONE_ERROR = 2006;
    /** The connection was lost during a query. */
    public static final int CR_SERVER_LOST = 2013;

    // --- TiDB only ---

    /** TiDB: a transaction with SELECT FOR UPDATE met a write conflict; the whole transaction may be retried. */
    public static final int TIDB_FOR_UPDATE_CANT_RETRY = 8002;
    /** TiDB: the transaction is over txn-total-size-limit: the transaction as a whole; smaller ones fit. */
    public static final int TIDB_TXN_TOO_LARGE = 8004;
    /** TiDB: write conflict, the transaction's start timestamp is stale; retrying it can succeed. */
    public static final int TIDB_WRITE_CONFLICT_IN_TIDB = 8005;
    /** TiDB: the commit failed and was rolled back; the whole transaction may be retried. */
    public static final int TIDB_TXN_RETRYABLE = 8022;
    /** TiDB: one key-value entry is over txn-entry-size-limit (6 MiB by default): that row alone is too large. */
    public static final int TIDB_ENTRY_TOO_LARGE = 8025;
    /** TiDB: this server's schema is out of date (it lost touch with PD); a retry can find it current. */
    public static final int TIDB_INFO_SCHEMA_EXPIRED = 8027;
    /** TiDB: a table the transaction used changed meanwhile; the transaction may be retried. */
    public static final int TIDB_INFO_SCHEMA_CHANGED = 8028;
    /** TiDB: PD did not answer in time. */
    public static final int TIDB_PD_SERVER_TIMEOUT = 9001;
    /** TiDB: TiKV did not answer in time. */
    public static final int TIDB_TIKV_SERVER_TIMEOUT = 9002;
    /** TiDB: TiKV is busy. */
    public static final int TIDB_TIKV_SERVER_BUSY = 9003;
    /** TiDB: resolving another transaction's locks timed out (many conflicting transactions). */
    public static final int TIDB_RESOLVE_LOCK_TIMEOUT = 9004;
    /** TiDB: a region (Raft group) is unavailable, e.g. while a TiKV node is down. */
    public static final int TIDB_REGION_UNAVAILABLE = 9005;
    /** TiDB: the data a long transaction read was garbage-collected; a new transaction reads afresh. */
    public static final int TIDB_GC_TOO_EARLY = 9006;
    /** TiDB: write conflict in TiKV; retrying the transaction can succeed. */
    public static final int TIDB_WRITE_CONFLICT = 9007;
    /** TiDB: TiKV's store is over its limit of pending requests. */
    public static final int TIDB_TIKV_STORE_LIMIT = 9008;
}

package io.fksafe.sink.dialect;

/**
 * TiDB: MySQL 5.7/8.0 syntax without the row alias. Its own retryable codes (8002 write conflict, 8022/8027/8028
 * schema or txn changes, 9001-9008 PD/TiKV unavailable) are in the shared transient set; it also bounds a
 * transaction's size (txn-total-size-limit, 100 MiB by default), which the batch limits must respect.
 */
final class TiDbDialect extends Dialect {

    /** TiDB's default txn-total-size-limit. */
    public static final long DEFAULT_TXN_TOTAL_SIZE_LIMIT = 100L * 1024 * 1024;

    TiDbDialect(ServerVersion version) {
        super(version);
    }
}

package io.fksafe.sink.dialect;

import static io.fksafe.sink.dialect.ErrorCodes.*;

import java.sql.SQLException;
import java.util.Set;

/**
 * TiDB: MySQL 5.7/8.0 syntax without the row alias, MySQL's error codes plus its own (write conflicts, schema
 * changes, PD/TiKV unavailable: retried; entries and transactions over its size limits).
 */
final class TiDbDialect extends Dialect {

    private static final Set<Integer> TRANSIENT_CODES = Set.of(TIDB_FOR_UPDATE_CANT_RETRY, TIDB_WRITE_CONFLICT_IN_TIDB,
            TIDB_TXN_RETRYABLE, TIDB_INFO_SCHEMA_EXPIRED, TIDB_INFO_SCHEMA_CHANGED, TIDB_PD_SERVER_TIMEOUT,
            TIDB_TIKV_SERVER_TIMEOUT, TIDB_TIKV_SERVER_BUSY, TIDB_RESOLVE_LOCK_TIMEOUT, TIDB_REGION_UNAVAILABLE,
            TIDB_GC_TOO_EARLY, TIDB_WRITE_CONFLICT, TIDB_TIKV_STORE_LIMIT);

    TiDbDialect(ServerVersion version) {
        super(version);
    }

    @Override
    protected ErrorKind classifyOne(SQLException e) {
        ErrorKind own = tidbKind(e.getErrorCode());
        return own != null ? own : super.classifyOne(e);
    }

    /** What a code of TiDB's own means; null for any other code. */
    static ErrorKind tidbKind(int code) {
        if (TRANSIENT_CODES.contains(code)) {
            return ErrorKind.TRANSIENT;
        }
        if (code == TIDB_ENTRY_TOO_LARGE) {
            return ErrorKind.ROW_TOO_LARGE;
        }
        if (code == TIDB_TXN_TOO_LARGE) {
            return ErrorKind.TRANSACTION_TOO_LARGE;
        }
        return null;
    }
}

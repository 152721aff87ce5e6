package io.fksafe.sink.dialect;

import static io.fksafe.sink.dialect.ErrorCodes.*;

import java.sql.SQLException;
import java.util.Set;

/**
 * TiDB: MySQL 5.7/8.0 syntax without the row alias, MySQL's error codes plus its own (write conflicts, schema
 * changes, PD/TiKV unavailable: retried; entries and transactions over its size limits), and what its schema changes
 * can do, by its own release.
 */
final class TiDbDialect extends Dialect {

    private static final Set<Integer> TRANSIENT_CODES = Set.of(
            TIDB_FOR_UPDATE_CANT_RETRY,
            TIDB_WRITE_CONFLICT_IN_TIDB,
            TIDB_TXN_RETRYABLE,
            TIDB_INFO_SCHEMA_EXPIRED,
            TIDB_INFO_SCHEMA_CHANGED,
            TIDB_PD_SERVER_TIMEOUT,
            TIDB_TIKV_SERVER_TIMEOUT,
            TIDB_TIKV_SERVER_BUSY,
            TIDB_RESOLVE_LOCK_TIMEOUT,
            TIDB_REGION_UNAVAILABLE,
            TIDB_GC_TOO_EARLY,
            TIDB_WRITE_CONFLICT,
            TIDB_TIKV_STORE_LIMIT);

    private static final Set<String> IGNORED_TABLE_OPTIONS = Set.of(
            "ENGINE",
            "ROW_FORMAT",
            "KEY_BLOCK_SIZE",
            "STATS_PERSISTENT",
            "STATS_AUTO_RECALC",
            "STATS_SAMPLE_PAGES",
            "PAGE_CHECKSUM",
            "PAGE_COMPRESSED",
            "PAGE_COMPRESSION_LEVEL",
            "TRANSACTIONAL",
            "ENCRYPTED",
            "ENCRYPTION_KEY_ID",
            "IETF_QUOTES",
            "CHECKSUM",
            "DELAY_KEY_WRITE",
            "PACK_KEYS");

    TiDbDialect(ServerVersion version) {
        super(version);
    }

    /** TiDB enforces foreign keys from v6.6.0; before, it accepts them and checks nothing. */
    @Override
    public boolean enforcesForeignKeys() {
        return releaseAtLeast(6, 6);
    }

    /** Before v6.2 TiDB runs one change per ALTER TABLE. */
    @Override
    public boolean alterTakesSeveralChanges() {
        return releaseAtLeast(6, 2);
    }

    /** TiDB accepts FULLTEXT indexes with a warning and does not create them. */
    @Override
    public boolean createsFulltextIndexes() {
        return false;
    }

    @Override
    public boolean hasSpatialTypes() {
        return false;
    }

    @Override
    public boolean foreignKeysOnPartitionedTables() {
        return false;
    }

    /** Storage engine, row format, page and statistics settings, MariaDB's Aria and encryption options. */
    @Override
    public Set<String> ignoredTableOptions() {
        return IGNORED_TABLE_OPTIONS;
    }

    /** A TiDB whose VERSION() does not say its release is taken to be a current one. */
    private boolean releaseAtLeast(int major, int minor) {
        ServerVersion release = version().release();
        return release == null || release.atLeast(major, minor, 0);
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
